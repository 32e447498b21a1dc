export type Lang = 'fr' | 'en';
export const LANGS: readonly Lang[] = ['fr', 'en'];

/** A text in every supported language: used for labels declared in data (categories, states…). */
export type Localized = Record<Lang, string>;

/** A flat catalogue of messages, keyed by a dotted code ("pages.feedback.thanks"). */
export type Messages = Record<string, string>;
export type Catalogue = Record<Lang, Messages>;

/** One catalogue from several (a module whose parts keep their messages in their own files). */
export function mergeCatalogues(...parts: Catalogue[]): Catalogue {
  return { fr: Object.assign({}, ...parts.map((p) => p.fr)), en: Object.assign({}, ...parts.map((p) => p.en)) };
}
