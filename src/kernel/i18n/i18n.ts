import { type Catalogue, LANGS, type Lang, type Localized, type Messages } from './types.js';

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export interface I18n {
  readonly langs: readonly Lang[];
  readonly defaultLang: Lang;
  t(lang: Lang, key: string, params?: Record<string, string | number>): string;
  translator(lang: Lang): Translate;
  /** Every key, per language: the completeness test compares them. */
  keys(lang: Lang): string[];
}

function interpolate(text: string, params?: Record<string, string | number>): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Merges catalogues (the kernel's, then each module's); a key defined twice is a mistake. */
export function createI18n(catalogues: { owner: string; catalogue: Catalogue }[], defaultLang: Lang): I18n {
  const merged: Record<Lang, Messages> = { fr: {}, en: {} };
  const ownerOf = new Map<string, string>();
  for (const { owner, catalogue } of catalogues) {
    for (const lang of LANGS) {
      for (const [key, text] of Object.entries(catalogue[lang] ?? {})) {
        const previous = ownerOf.get(`${lang}:${key}`);
        if (previous && previous !== owner) throw new Error(`Message "${key}" is defined by both ${previous} and ${owner}.`);
        ownerOf.set(`${lang}:${key}`, owner);
        merged[lang][key] = text;
      }
    }
  }
  const t = (lang: Lang, key: string, params?: Record<string, string | number>) => {
    const text = merged[lang][key] ?? merged[defaultLang][key];
    // A missing key shows itself rather than an empty string, and the completeness test catches it.
    return text === undefined ? key : interpolate(text, params);
  };
  return {
    langs: LANGS,
    defaultLang,
    t,
    translator: (lang) => (key, params) => t(lang, key, params),
    keys: (lang) => Object.keys(merged[lang]).sort(),
  };
}

export function localized(value: Localized, lang: Lang): string {
  return value[lang];
}

/**
 * The language of a request: an explicit `?lang=`, then the visitor's stored choice, then the
 * browser's Accept-Language, then the city's default.
 */
export function negotiateLang(input: { query?: string; cookie?: string; acceptLanguage?: string }, fallback: Lang): Lang {
  const known = (v: string | undefined): Lang | undefined => ((LANGS as readonly string[]).includes(v ?? '') ? (v as Lang) : undefined);
  const explicit = known(input.query) ?? known(input.cookie);
  if (explicit) return explicit;
  if (input.acceptLanguage) {
    const ranked = input.acceptLanguage
      .split(',')
      .map((part, index) => {
        const [tag = '', ...params] = part.trim().split(';');
        const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
        return { lang: tag.toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) || 0 : 1, index };
      })
      .filter((r) => r.q > 0)
      .sort((a, b) => b.q - a.q || a.index - b.index);
    for (const r of ranked) {
      const lang = known(r.lang);
      if (lang) return lang;
    }
  }
  return fallback;
}
