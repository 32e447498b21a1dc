import type { CityConfig } from '../config/schema.js';
import type { Translate } from '../i18n/i18n.js';
import type { Lang } from '../i18n/types.js';

export interface NavLink {
  href: string;
  label: string;
  current: 'page' | 'true' | false;
}

/** What every server-rendered page knows of its request: built once per page by `reply.page`. */
export interface ViewContext {
  lang: Lang;
  t: Translate;
  city: CityConfig;
  /** Path of the page, for the language switch and the current navigation entry. */
  path: string;
  nav: NavLink[];
  footer: NavLink[];
  csrfToken: string;
  /** The signed-in person, for the header's account links; null when anonymous. */
  user: { kind: 'citizen' | 'agent'; name: string } | null;
}
