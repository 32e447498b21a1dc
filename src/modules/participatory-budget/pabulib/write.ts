import { plainDecimal } from '../rules/fraction.js';
import { writeField } from './csv.js';
import { PabulibWriteError } from './errors.js';
import { type FieldSpec, META_FIELDS, META_ORDER, PROJECT_FIELDS, PROJECT_ORDER, VOTE_FIELDS, VOTE_ORDER } from './fields.js';
import type { PabulibFile } from './types.js';

export interface WriteOptions {
  /** pabulib.org's files use CRLF (Python's csv default); LF is accepted on reading either way. */
  lineEnding?: '\r\n' | '\n';
}

/**
 * Writes a Pabulib file that `parsePabulib` reads back to an equal structure. Keys and columns go
 * in the format's standard order (then unknown ones, in the order first met), so a published file
 * read and written back comes out the same. A column is written when some row has a value in it.
 */
export function writePabulib(file: PabulibFile, options: WriteOptions = {}): string {
  const eol = options.lineEnding ?? '\r\n';
  const lines: string[] = ['META', 'key;value'];
  const meta = file.meta as unknown as Record<string, unknown>;
  const metaKeys = ordered([...Object.keys(meta).filter((k) => k !== 'other'), ...Object.keys(file.meta.other)], META_ORDER);
  for (const key of metaKeys) {
    const value = key in META_FIELDS ? format(meta[key], META_FIELDS[key]!, `META ${key}`) : (file.meta.other[key] ?? '');
    if (value !== '') lines.push(row([key, value]));
  }
  lines.push('PROJECTS');
  lines.push(...table(file.projects as unknown as Row[], PROJECT_FIELDS, PROJECT_ORDER, 'project'));
  lines.push('VOTES');
  lines.push(...table(file.votes as unknown as Row[], VOTE_FIELDS, VOTE_ORDER, 'vote'));
  return lines.join(eol) + eol;
}

type Row = Record<string, unknown> & { other: Record<string, string> };

function table(rows: readonly Row[], fields: Readonly<Record<string, FieldSpec>>, order: readonly string[], what: string): string[] {
  const present = new Set<string>(Object.entries(fields).flatMap(([key, spec]) => (spec.required ? [key] : [])));
  for (const r of rows) {
    for (const key of Object.keys(r)) if (key !== 'other' && key in fields && !isEmpty(r[key])) present.add(key);
    for (const [key, value] of Object.entries(r.other)) if (value !== '') present.add(key);
  }
  const columns = ordered([...present], order);
  const lines = [row(columns)];
  for (const r of rows) {
    const values = columns.map((column) => {
      const spec = fields[column];
      return spec ? format(r[column], spec, `${what} ${column}`) : (r.other[column] ?? '');
    });
    lines.push(row(values));
  }
  return lines;
}

/** Known keys in the standard order, then the others in the order given. */
function ordered(keys: readonly string[], standard: readonly string[]): string[] {
  const set = new Set(keys);
  return [...standard.filter((k) => set.has(k)), ...[...set].filter((k) => !standard.includes(k))];
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

function format(value: unknown, spec: FieldSpec, name: string): string {
  if (value === undefined || value === '') return '';
  switch (spec.kind) {
    case 'text':
      return String(value);
    case 'integer':
    case 'decimal':
      return number(value, name);
    case 'text-list':
    case 'decimal-list': {
      const items = value as unknown[];
      if (items.length === 0) throw new PabulibWriteError(`${name}: an empty list cannot be written (it would read back as absent)`);
      return items
        .map((item) => {
          const text = spec.kind === 'decimal-list' ? number(item, name) : String(item);
          if (text === '' && spec.kind === 'text-list' && items.length === 1) {
            throw new PabulibWriteError(`${name}: a list holding one empty item cannot be written`);
          }
          if (text.includes(','))
            throw new PabulibWriteError(`${name}: list item ${JSON.stringify(text)} contains a comma, the list separator`);
          return text;
        })
        .join(',');
    }
  }
}

function number(value: unknown, name: string): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new PabulibWriteError(`${name}: ${String(value)} is not a finite number`);
  return plainDecimal(value);
}

function row(values: readonly string[]): string {
  return values.map(writeField).join(';');
}
