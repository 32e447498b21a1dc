import { Fraction } from '../rules/fraction.js';
import { type Row, readRows } from './csv.js';
import { PabulibParseError } from './errors.js';
import { DECIMAL, type FieldSpec, INTEGER, META_FIELDS, PROJECT_FIELDS, VOTE_FIELDS } from './fields.js';
import { type PabulibFile, type PabulibMeta, type PabulibProject, type PabulibVote, VOTE_TYPES, type VoteType } from './types.js';

const SECTIONS = ['META', 'PROJECTS', 'VOTES'] as const;
type Section = (typeof SECTIONS)[number];

/**
 * Reads a Pabulib file (UTF-8 text, optional BOM, CRLF or LF). Throws a `PabulibParseError` naming
 * the line and the problem at the first error: an import is all or nothing, and the person fixing
 * the file needs to know where to look.
 */
export function parsePabulib(input: string | Uint8Array): PabulibFile {
  let text = typeof input === 'string' ? input : decodeUtf8(input);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const sections = splitSections(readRows(text));
  const meta = parseMeta(sections.META);
  const projects = parseProjects(sections.PROJECTS);
  const votes = parseVotes(sections.VOTES, new Set(projects.map((p) => p.project_id)));
  checkCount(sections.META, 'num_projects', meta.num_projects, projects.length, 'PROJECTS rows');
  checkCount(sections.META, 'num_votes', meta.num_votes, votes.length, 'VOTES rows');
  return { meta, projects, votes };
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const line = lenient.slice(0, lenient.indexOf('\uFFFD')).split('\n').length;
    throw new PabulibParseError(line, 'the file is not valid UTF-8 text (re-save it as UTF-8)');
  }
}

interface SectionRows {
  /** The row naming the section. */
  start: Row;
  rows: Row[];
}

function splitSections(rows: Row[]): Record<Section, SectionRows> {
  const found: Partial<Record<Section, SectionRows>> = {};
  let current: SectionRows | undefined;
  for (const row of rows) {
    if (row.fields.length === 1) {
      const name = row.fields[0]!;
      const expected = SECTIONS[Object.keys(found).length];
      if (!(SECTIONS as readonly string[]).includes(name)) {
        throw new PabulibParseError(
          row.line,
          `unknown section ${JSON.stringify(name)} (a line with a single field must be META, PROJECTS or VOTES)`,
        );
      }
      if (name !== expected) {
        throw new PabulibParseError(
          row.line,
          expected
            ? `section ${name} found where ${expected} was expected (the order is META, PROJECTS, VOTES)`
            : `section ${name} appears twice`,
        );
      }
      current = { start: row, rows: [] };
      found[name as Section] = current;
      continue;
    }
    if (!current) throw new PabulibParseError(row.line, 'the file must start with a line reading META');
    current.rows.push(row);
  }
  const lastLine = rows.at(-1)?.line ?? 1;
  for (const name of SECTIONS) {
    if (!found[name]) throw new PabulibParseError(lastLine, `section ${name} is missing`);
  }
  return found as Record<Section, SectionRows>;
}

function parseMeta(section: SectionRows): PabulibMeta {
  const [header, ...rows] = section.rows;
  if (header?.fields.join(';') !== 'key;value') {
    throw new PabulibParseError(header?.line ?? section.start.line, 'the META section must start with the header row "key;value"');
  }
  const meta: Record<string, unknown> = { other: {} };
  const other = meta.other as Record<string, string>;
  const seen = new Set<string>();
  for (const row of rows) {
    if (row.fields.length !== 2)
      throw new PabulibParseError(row.line, `a META row has 2 fields (key;value), this one has ${row.fields.length}`);
    const [key, value] = row.fields as [string, string];
    if (key === '') throw new PabulibParseError(row.line, 'a META row has an empty key');
    if (seen.has(key)) throw new PabulibParseError(row.line, `META key "${key}" appears twice`);
    seen.add(key);
    const spec = META_FIELDS[key];
    if (value === '') continue;
    if (spec) meta[key] = convert(value, spec, key, row.line);
    else other[key] = value;
  }
  const missing = Object.entries(META_FIELDS)
    .filter(([key, spec]) => spec.required && meta[key] === undefined)
    .map(([key]) => key);
  if (missing.length > 0) throw new PabulibParseError(section.start.line, `META is missing required key(s): ${missing.join(', ')}`);
  if (!(VOTE_TYPES as readonly string[]).includes(meta.vote_type as string)) {
    throw new PabulibParseError(lineOf(section, 'vote_type'), `vote_type "${meta.vote_type}" is not one of ${VOTE_TYPES.join(', ')}`);
  }
  for (const key of ['budget', 'num_projects', 'num_votes']) {
    if ((meta[key] as number) < 0) throw new PabulibParseError(lineOf(section, key), `${key} must not be negative`);
  }
  return meta as unknown as PabulibMeta & { vote_type: VoteType };
}

function parseProjects(section: SectionRows): PabulibProject[] {
  const { columns, records } = table(section, PROJECT_FIELDS);
  const projects: PabulibProject[] = [];
  const ids = new Set<string>();
  for (const { row, values } of records) {
    const project = record(columns, values, PROJECT_FIELDS, row.line) as unknown as PabulibProject;
    const id = project.project_id;
    if (ids.has(id)) throw new PabulibParseError(row.line, `project_id "${id}" appears twice`);
    if (id.includes(',')) throw new PabulibParseError(row.line, `project_id "${id}" contains a comma, which separates ids in votes`);
    ids.add(id);
    if (project.cost < 0) throw new PabulibParseError(row.line, `project "${id}" has a negative cost`);
    if (project.selected !== undefined && ![0, 1, 2, 3].includes(project.selected)) {
      throw new PabulibParseError(row.line, `project "${id}" has selected=${project.selected}; it must be 0, 1, 2 or 3`);
    }
    projects.push(project);
  }
  return projects;
}

function parseVotes(section: SectionRows, projectIds: ReadonlySet<string>): PabulibVote[] {
  const { columns, records } = table(section, VOTE_FIELDS);
  const votes: PabulibVote[] = [];
  const voters = new Set<string>();
  for (const { row, values } of records) {
    const vote = record(columns, values, VOTE_FIELDS, row.line) as unknown as PabulibVote;
    const id = vote.voter_id;
    if (voters.has(id)) throw new PabulibParseError(row.line, `voter_id "${id}" appears twice`);
    voters.add(id);
    const named = new Set<string>();
    for (const project of vote.vote) {
      if (project === '') throw new PabulibParseError(row.line, `the vote of voter "${id}" has an empty project id`);
      if (!projectIds.has(project))
        throw new PabulibParseError(row.line, `the vote of voter "${id}" names project "${project}", which is not in PROJECTS`);
      if (named.has(project)) throw new PabulibParseError(row.line, `the vote of voter "${id}" names project "${project}" twice`);
      named.add(project);
    }
    if (vote.points && vote.points.length !== vote.vote.length) {
      throw new PabulibParseError(row.line, `voter "${id}" gives ${vote.points.length} points value(s) for ${vote.vote.length} project(s)`);
    }
    votes.push(vote);
  }
  return votes;
}

/** The header and data rows of PROJECTS or VOTES, each row checked against the header's width. */
function table(section: SectionRows, fields: Readonly<Record<string, FieldSpec>>) {
  const [header, ...rows] = section.rows;
  const name = section.start.fields[0];
  if (!header) throw new PabulibParseError(section.start.line, `the ${name} section has no header row`);
  const columns = header.fields;
  const seen = new Set<string>();
  for (const column of columns) {
    if (column === '') throw new PabulibParseError(header.line, `the ${name} header has an empty column name`);
    if (seen.has(column)) throw new PabulibParseError(header.line, `the ${name} header names column "${column}" twice`);
    seen.add(column);
  }
  const missing = Object.entries(fields)
    .filter(([key, spec]) => spec.required && !seen.has(key))
    .map(([key]) => key);
  if (missing.length > 0) throw new PabulibParseError(header.line, `the ${name} header lacks required column(s): ${missing.join(', ')}`);
  const records = rows.map((row) => {
    if (row.fields.length !== columns.length) {
      throw new PabulibParseError(row.line, `a ${name} row has ${row.fields.length} fields but the header has ${columns.length}`);
    }
    return { row, values: row.fields };
  });
  return { columns, records };
}

function record(columns: readonly string[], values: readonly string[], fields: Readonly<Record<string, FieldSpec>>, line: number) {
  const out: Record<string, unknown> = { other: {} };
  const other = out.other as Record<string, string>;
  columns.forEach((column, i) => {
    const value = values[i]!;
    const spec = fields[column];
    if (value === '') {
      if (spec?.required) throw new PabulibParseError(line, `required field "${column}" is empty`);
      return;
    }
    if (spec) out[column] = convert(value, spec, column, line);
    else other[column] = value;
  });
  return out;
}

function convert(value: string, spec: FieldSpec, name: string, line: number): unknown {
  switch (spec.kind) {
    case 'text':
      return value;
    case 'integer':
      if (!INTEGER.test(value)) throw new PabulibParseError(line, `${name} must be a whole number, found "${value}"`);
      return exactNumber(value, name, line);
    case 'decimal':
      if (!DECIMAL.test(value)) throw new PabulibParseError(line, `${name} must be a number written like 1234 or 1234.5, found "${value}"`);
      return exactNumber(value, name, line);
    case 'text-list':
      return value.split(',');
    case 'decimal-list':
      return value.split(',').map((item) => {
        if (!DECIMAL.test(item)) throw new PabulibParseError(line, `${name} must be a comma-separated list of numbers, found "${value}"`);
        return exactNumber(item, name, line);
      });
  }
}

/** Amounts feed exact computations: refuse a value that a JS number would silently round. */
function exactNumber(text: string, name: string, line: number): number {
  const value = Number(text);
  if (!Fraction.fromNumber(value).eq(Fraction.fromDecimal(text))) {
    throw new PabulibParseError(line, `${name} "${text}" has too many digits to be represented exactly`);
  }
  return value === 0 ? 0 : value; // never -0
}

function lineOf(section: SectionRows, key: string): number {
  return section.rows.find((row) => row.fields[0] === key)?.line ?? section.start.line;
}

function checkCount(meta: SectionRows, key: string, declared: number, counted: number, what: string) {
  if (declared !== counted)
    throw new PabulibParseError(lineOf(meta, key), `META says ${key}=${declared} but the file has ${counted} ${what}`);
}
