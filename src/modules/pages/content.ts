import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CityConfig } from '../../kernel/config/schema.js';
import { LANGS, type Lang } from '../../kernel/i18n/types.js';

export interface PageContent {
  slug: string;
  title: string;
  markdown: string;
}

/** slug → language → content. Files named `<slug>.<lang>.md`; the first `# ` line is the title. */
export type PageLibrary = Map<string, Record<Lang, PageContent>>;

const FILE = /^([a-z0-9][a-z0-9-]*)\.(fr|en)\.md$/;

function fill(text: string, city: CityConfig, lang: Lang): string {
  const values: Record<string, string> = {
    city: city.name[lang],
    contactEmail: city.contact.email ?? '',
    contactAddress: city.contact.address ?? '',
  };
  return text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
}

function parse(slug: string, source: string): PageContent {
  const match = /^#\s+(.+)\r?\n/.exec(source);
  if (!match?.[1]) throw new Error(`Page "${slug}" must start with a "# Title" line.`);
  return { slug, title: match[1].trim(), markdown: source.slice(match[0].length).trim() };
}

/**
 * Reads the built-in pages, then the city's own folder (same names replace, new names add).
 * Every page must exist in every language: a city cannot publish a half-translated page by mistake.
 */
export function loadPages(dirs: string[], city: CityConfig): PageLibrary {
  const sources = new Map<string, Partial<Record<Lang, string>>>();
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const m = FILE.exec(name);
      if (!m) continue;
      const [, slug, lang] = m as unknown as [string, string, Lang];
      sources.set(slug, { ...sources.get(slug), [lang]: readFileSync(join(dir, name), 'utf8') });
    }
  }
  const library: PageLibrary = new Map();
  for (const [slug, byLang] of sources) {
    const missing = LANGS.filter((l) => byLang[l] === undefined);
    if (missing.length) throw new Error(`Page "${slug}" has no ${missing.join(', ')} version (${slug}.${missing[0]}.md).`);
    const entry = Object.fromEntries(LANGS.map((l) => [l, parse(slug, fill(byLang[l] as string, city, l))])) as Record<Lang, PageContent>;
    library.set(slug, entry);
  }
  return library;
}
