import { existsSync, readFileSync } from 'node:fs';
import type { FieldDef } from '../../../kernel/forms/index.js';
import type { LocalText } from '../../../kernel/workflow/definition.js';

/**
 * A node of the category tree (three levels at most). Leaves are what residents choose; codes are
 * stable and used everywhere (configuration, Open311 service codes, exports), never database ids.
 */
export interface Category {
  code: string;
  label: LocalText;
  /** Codes from the root to this node's parent. */
  parents: string[];
  children: Category[];
  /** Leaves only: who handles it — "district" (the town hall of the report's district) or a unit code. */
  unit?: string;
  /** Only agents may file it (Paris marks these "[réservé agents]"). */
  agentOnly?: boolean;
  /** Residents may report it without giving their name. */
  anonymousAllowed?: boolean;
  /** The name of its icon (see views/public/category-icons.tsx); top-level categories show theirs. */
  icon?: CategoryIconName;
  /** Not handled by this service: residents are sent elsewhere with this message. */
  elsewhere?: LocalText;
  /** Leaves only: extra questions asked of the reporter (forms engine fields; see questions.ts). */
  questions?: FieldDef[];
  /** How often it occurs (demo and benchmark mixes). */
  weight: number;
}

/** The icons a category may name (drawn by views/public/category-icons.tsx). */
export const CATEGORY_ICONS = [
  'commerce',
  'tree',
  'vehicle',
  'water',
  'graffiti',
  'furniture',
  'bulky',
  'cleanliness',
  'road',
  'lighting',
  'other',
] as const;
export type CategoryIconName = (typeof CATEGORY_ICONS)[number];

export interface CategoryTree {
  roots: Category[];
  /** Every node by code. */
  byCode: ReadonlyMap<string, Category>;
  leaves: Category[];
}

/** A readable stable code from a label: lowercase ASCII words joined by dashes. */
export function slug(label: string, maxWords = 6): string {
  return label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w.length > 2 || /\d/.test(w))
    .slice(0, maxWords)
    .join('-');
}

/** RFC 4180 rows (quoted fields may hold commas and doubled quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows;
}

/**
 * Builds the tree from a CSV of `type,soustype,count` (Paris's published taxonomy): the type is the
 * first level; a sub-type written "Family : Detail" gives a second level (the family) and a leaf.
 * `translations` gives the English of French labels at every level (see `translationsFromCsv`); a
 * label it lacks stays in French. Codes come from the French labels only, so translating never changes them.
 */
export function categoriesFromCsv(text: string, translations: ReadonlyMap<string, string> = new Map()): CategoryTree {
  const roots: Category[] = [];
  const byCode = new Map<string, Category>();
  const unique = (base: string) => {
    let code = base || 'autre';
    for (let n = 2; byCode.has(code); n++) code = `${base}-${n}`;
    return code;
  };
  const node = (raw: string, parent: Category | null): Category => {
    const label = normalizeLabel(raw);
    const siblings = parent ? parent.children : roots;
    const existing = siblings.find((c) => c.label.fr === label);
    if (existing) return existing;
    const code = unique(parent ? `${parent.code.split('.')[0]}.${slug(label)}` : slug(label, 2));
    const created: Category = {
      code,
      label: { fr: label, en: translations.get(label) ?? label },
      parents: parent ? [...parent.parents, parent.code] : [],
      children: [],
      weight: 0,
    };
    siblings.push(created);
    byCode.set(code, created);
    return created;
  };
  for (const [type, subtype, count] of parseCsv(text).slice(1)) {
    if (!type || !subtype) continue;
    const root = node(type, null);
    const agentOnly = /\[réservé agents?/i.test(subtype);
    const clean = subtype.replace(/^\[[^\]]*\]\s*/, '').trim() || type;
    const at = clean.indexOf(' : ');
    const parent = at > 0 ? node(clean.slice(0, at), root) : root;
    const leaf = node(at > 0 ? clean.slice(at + 3) : clean, parent);
    leaf.unit = 'district';
    leaf.weight += Number(count) || 1;
    leaf.anonymousAllowed = true;
    if (agentOnly) leaf.agentOnly = true;
  }
  const leaves = [...byCode.values()].filter((c) => c.children.length === 0);
  for (const c of [...byCode.values()].reverse()) if (c.children.length) c.weight = c.children.reduce((a, k) => a + k.weight, 0);
  return { roots, byCode, leaves };
}

/** A label as shown and as looked up: runs of spaces collapsed, ends trimmed (the source has "WC publics  : …"). */
function normalizeLabel(label: string): string {
  return label.replace(/\s+/g, ' ').trim();
}

/** English labels from a CSV of `fr,en`, keyed by the French label (an empty `en` counts as missing). */
export function translationsFromCsv(text: string): Map<string, string> {
  const [header, ...rows] = parseCsv(text);
  if (header?.[0]?.replace(/^\uFEFF/, '') !== 'fr' || header[1] !== 'en') {
    throw new Error('A category translation file starts with the header "fr,en".');
  }
  const translations = new Map<string, string>();
  for (const [fr, en] of rows) if (fr && en?.trim()) translations.set(normalizeLabel(fr), en.trim());
  return translations;
}

/** The file holding the English labels of a category file: `<name>.en.csv` next to `<name>.csv`. */
export function translationsFileOf(file: string): string {
  return file.replace(/(\.csv)?$/i, '.en.csv');
}

/** Reads a category file and, when it exists, its English labels (`translationsFileOf`). */
export function loadCategories(file: string): CategoryTree {
  const translationsFile = translationsFileOf(file);
  const translations = existsSync(translationsFile) ? translationsFromCsv(readFileSync(translationsFile, 'utf8')) : undefined;
  return categoriesFromCsv(readFileSync(file, 'utf8'), translations);
}

/** Leaves whose label (or a parent's), in French or English, contains every word typed, accents and case ignored. */
export function searchCategories(tree: CategoryTree, query: string, forAgent = false): Category[] {
  const words = slug(query, 20).split('-').filter(Boolean);
  return tree.leaves.filter((leaf) => {
    if (leaf.agentOnly && !forAgent) return false;
    const labels = [...leaf.parents.map((p) => tree.byCode.get(p)), leaf].flatMap((c) => (c ? [c.label.fr, c.label.en] : []));
    const text = slug(labels.join(' '), 200);
    return words.every((w) => text.includes(w));
  });
}
