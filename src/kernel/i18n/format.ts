import type { Lang } from './types.js';

const locales: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB' };

/**
 * Building an Intl formatter costs about 200 µs and much memory (a page of 30 dates spent more on
 * that than on everything else); formatters are immutable, so one per language, style and zone is
 * kept for the life of the process.
 */
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function cached<F extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => F): F {
  let formatter = formatters.get(key) as F | undefined;
  if (!formatter) {
    formatter = make();
    formatters.set(key, formatter);
  }
  return formatter;
}

export function formatDate(lang: Lang, iso: string, timeZone: string): string {
  return cached(`date:${lang}:${timeZone}`, () => new Intl.DateTimeFormat(locales[lang], { dateStyle: 'long', timeZone })).format(
    new Date(iso),
  );
}

export function formatDateTime(lang: Lang, iso: string, timeZone: string): string {
  return cached(
    `datetime:${lang}:${timeZone}`,
    () => new Intl.DateTimeFormat(locales[lang], { dateStyle: 'medium', timeStyle: 'short', timeZone }),
  ).format(new Date(iso));
}

export function formatNumber(lang: Lang, n: number): string {
  return cached(`number:${lang}`, () => new Intl.NumberFormat(locales[lang])).format(n);
}

/** Money is stored in integer cents. */
export function formatMoney(lang: Lang, cents: number, currency = 'EUR'): string {
  return cached(`money:${lang}:${currency}`, () => new Intl.NumberFormat(locales[lang], { style: 'currency', currency })).format(
    cents / 100,
  );
}

/** Today's date in the city (`YYYY-MM-DD`), for date rules such as "today" bounds and ages. */
export function cityToday(timeZone: string, now: Date = new Date()): string {
  return cached(
    `day:${timeZone}`,
    () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).format(now);
}
