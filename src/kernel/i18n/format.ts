import type { Lang } from './types.js';

const locales: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB' };

export function formatDate(lang: Lang, iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locales[lang], { dateStyle: 'long', timeZone }).format(new Date(iso));
}

export function formatDateTime(lang: Lang, iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locales[lang], { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
}

export function formatNumber(lang: Lang, n: number): string {
  return new Intl.NumberFormat(locales[lang]).format(n);
}

/** Money is stored in integer cents. */
export function formatMoney(lang: Lang, cents: number, currency = 'EUR'): string {
  return new Intl.NumberFormat(locales[lang], { style: 'currency', currency }).format(cents / 100);
}
