import { normalizeEmail } from '../identity/accounts.js';
import {
  type AddressAnswer,
  type Answer,
  type FileAnswer,
  type FormData,
  type FormError,
  type RawValues,
  type Row,
  rawList,
  rawText,
} from './answers.js';
import { type ConditionLookup, holds } from './conditions.js';
import type { Condition, FileFieldDef, FormDefinition, GroupDef, LeafFieldDef, ValueFieldDef } from './definition.js';
import { ibanProblem, normalizeIban } from './iban.js';
import { addressNames, childName, maxRows, rowCount } from './names.js';
import { decimalUnits, numberUnits, parseCoordinate, parseDate, parseDecimal, parseInteger, parsePhone } from './scalars.js';
import { groupValueFields, placedFields } from './walk.js';

/** Longest answers when a definition sets no `maxLength`. */
export const DEFAULT_MAX_LENGTH = { text: 200, textarea: 5000, address: 300 } as const;
/** What a file field accepts when its definition does not say (images are stored as JPEG or PNG). */
export const DEFAULT_ACCEPT = { photo: ['image/jpeg', 'image/png'], file: ['application/pdf', 'image/jpeg', 'image/png'] } as const;

export interface ValidateOptions {
  /** Check only this step's answers (conditions still look at every earlier answer). */
  step?: string;
  /** Files the person may use, by id (the uploads of their draft); any other id is refused. */
  files?: ReadonlyMap<string, FileAnswer>;
  /** `YYYY-MM-DD` in the city's time zone, for date bounds written `today`; defaults to today in UTC. */
  today?: string;
}

export interface Validation {
  ok: boolean;
  /** The typed answers of visible fields that are valid; complete when `ok`. */
  data: FormData;
  errors: FormError[];
  /** Codes of the steps whose condition holds, in order. */
  steps: string[];
  /** Codes of the top-level fields asked (their step, section and own conditions hold), in order. */
  fields: string[];
}

interface Context {
  options: ValidateOptions;
  today: string;
}

type Outcome = { value?: Answer; errors: FormError[] };

const none: Outcome = { errors: [] };

function lengthOutcome(field: LeafFieldDef & { type: 'text' | 'textarea' }, name: string, text: string): Outcome {
  const length = [...text].length;
  const max = field.maxLength ?? DEFAULT_MAX_LENGTH[field.type];
  if (field.minLength !== undefined && length < field.minLength)
    return { errors: [{ field: name, code: 'min-length', params: { min: field.minLength } }] };
  if (length > max) return { errors: [{ field: name, code: 'max-length', params: { max } }] };
  if (field.pattern && !new RegExp(`^(?:${field.pattern.regex})$`, 'u').test(text)) {
    return { errors: [{ field: name, code: 'pattern', message: field.pattern.message }] };
  }
  return { value: text, errors: [] };
}

function bounded(name: string, below: boolean, above: boolean, min: unknown, max: unknown, value: Answer, prefix = ''): Outcome {
  if (below) return { errors: [{ field: name, code: `${prefix}min`, params: { min: String(min) } }] };
  if (above) return { errors: [{ field: name, code: `${prefix}max`, params: { max: String(max) } }] };
  return { value, errors: [] };
}

function fail(name: string, code: string, params?: Record<string, string | number>): Outcome {
  return { errors: [{ field: name, code, ...(params ? { params } : {}) }] };
}

function fileOutcome(field: FileFieldDef, name: string, raw: RawValues, ctx: Context): Outcome {
  const known = ctx.options.files ?? new Map<string, FileAnswer>();
  const ids = [...new Set(rawList(raw, name))];
  const files: FileAnswer[] = [];
  const accept: readonly string[] = field.accept ?? DEFAULT_ACCEPT[field.type];
  for (const id of ids) {
    const file = known.get(id);
    if (!file) return fail(name, 'file-unknown');
    if (!accept.includes(file.mime)) return fail(name, 'file-type', { name: file.name, types: accept.map(mimeLabel).join(', ') });
    if (field.maxBytes !== undefined && file.size > field.maxBytes)
      return fail(name, 'file-size', { name: file.name, max: megabytes(field.maxBytes) });
    files.push(file);
  }
  if (files.length === 0) return field.required ? fail(name, 'required') : none;
  const min = field.min ?? 1;
  const max = field.max ?? 1;
  return bounded(name, files.length < min, files.length > max, min, max, files, 'files-');
}

/** "PDF", "JPEG": how people name file types. */
export function mimeLabel(mime: string): string {
  return (mime.split('/')[1] ?? mime).toUpperCase();
}

export function megabytes(bytes: number): string {
  return String(Math.round((bytes / 1_048_576) * 10) / 10);
}

function addressOutcome(field: LeafFieldDef & { type: 'address' }, name: string, raw: RawValues): Outcome {
  const names = addressNames(name);
  const text = rawText(raw, names.text);
  const latText = rawText(raw, names.lat);
  const lngText = rawText(raw, names.lng);
  const mode = field.point ?? 'optional';
  if (!text && !latText && !lngText) return field.required ? fail(names.text, 'required') : none;
  if (!text) return fail(names.text, 'address-text');
  if ([...text].length > DEFAULT_MAX_LENGTH.address) return fail(names.text, 'max-length', { max: DEFAULT_MAX_LENGTH.address });
  let point: AddressAnswer['point'] = null;
  if (mode !== 'none' && (latText || lngText)) {
    const lat = parseCoordinate(latText, 90);
    const lng = parseCoordinate(lngText, 180);
    if (lat === undefined) return fail(names.lat, 'latitude');
    if (lng === undefined) return fail(names.lng, 'longitude');
    point = { lat, lng };
  }
  if (mode === 'required' && !point) return fail(names.lat, 'point-required');
  return { value: { text, point }, errors: [] };
}

function choiceOutcome(field: LeafFieldDef & { type: 'choices' }, name: string, raw: RawValues): Outcome {
  const ticked = [...new Set(rawList(raw, name))];
  if (ticked.some((v) => !field.options.some((o) => o.value === v))) return fail(name, 'choice');
  if (ticked.length === 0) return field.required ? fail(name, 'required') : none;
  // In the definition's order, whatever the order posted.
  const value = field.options.map((o) => o.value).filter((v) => ticked.includes(v));
  const min = field.min ?? 1;
  const max = field.max ?? field.options.length;
  return bounded(name, value.length < min, value.length > max, min, max, value, 'choices-');
}

function dateBound(bound: string | undefined, today: string): string | undefined {
  return bound === 'today' ? today : bound;
}

/** One answer of a leaf field posted under `name`. */
function leafOutcome(field: LeafFieldDef, name: string, raw: RawValues, ctx: Context): Outcome {
  switch (field.type) {
    case 'address':
      return addressOutcome(field, name, raw);
    case 'choices':
      return choiceOutcome(field, name, raw);
    case 'file':
    case 'photo':
      return fileOutcome(field, name, raw, ctx);
  }
  const text = rawText(raw, name);
  if (!text) return field.required ? fail(name, 'required') : none;
  switch (field.type) {
    case 'text':
    case 'textarea':
      return lengthOutcome(field, name, field.type === 'text' ? text.replace(/\s+/g, ' ') : text);
    case 'integer': {
      const parsed = parseInteger(text);
      if (!parsed.ok) return fail(name, parsed.code);
      const v = parsed.value;
      return bounded(name, field.min !== undefined && v < field.min, field.max !== undefined && v > field.max, field.min, field.max, v);
    }
    case 'decimal': {
      const parsed = parseDecimal(text, field.scale);
      if (!parsed.ok) return fail(name, parsed.code, { scale: field.scale });
      const units = decimalUnits(parsed.value, field.scale) as bigint;
      const min = field.min === undefined ? undefined : numberUnits(field.min, field.scale);
      const max = field.max === undefined ? undefined : numberUnits(field.max, field.scale);
      return bounded(name, min !== undefined && units < min, max !== undefined && units > max, field.min, field.max, parsed.value);
    }
    case 'date': {
      const parsed = parseDate(text);
      if (!parsed.ok) return fail(name, parsed.code);
      const min = dateBound(field.min, ctx.today);
      const max = dateBound(field.max, ctx.today);
      const v = parsed.value;
      return bounded(name, min !== undefined && v < min, max !== undefined && v > max, min, max, v, 'date-');
    }
    case 'email': {
      const email = normalizeEmail(text);
      return email ? { value: email, errors: [] } : fail(name, 'email');
    }
    case 'phone': {
      const parsed = parsePhone(text);
      return parsed.ok ? { value: parsed.value, errors: [] } : fail(name, parsed.code);
    }
    case 'iban': {
      const problem = ibanProblem(text);
      return problem ? fail(name, problem) : { value: normalizeIban(text), errors: [] };
    }
    case 'yesno':
      return text === 'yes' || text === 'no' ? { value: text === 'yes', errors: [] } : fail(name, 'choice');
    case 'choice':
      return field.options.some((o) => o.value === text) ? { value: text, errors: [] } : fail(name, 'choice');
  }
}

function lookupIn(fields: Map<string, ValueFieldDef>, data: FormData, outer?: ConditionLookup): ConditionLookup {
  return (code) => {
    const field = fields.get(code);
    if (field) return { field, value: data[code] };
    return outer?.(code);
  };
}

/** A row whose every value is blank was left empty: it is ignored rather than refused. */
function blankRow(group: GroupDef, row: number, raw: RawValues): boolean {
  const prefix = `${group.code}.${row}.`;
  return Object.entries(raw).every(([name, value]) => !name.startsWith(prefix) || [value].flat().every((v) => v.trim() === ''));
}

function groupOutcome(group: GroupDef, raw: RawValues, ctx: Context, outer: ConditionLookup): Outcome {
  const children = groupValueFields(group);
  const rows: Row[] = [];
  const errors: FormError[] = [];
  const count = rowCount(group, raw);
  for (let i = 0; i < count; i++) {
    if (blankRow(group, i, raw)) continue;
    const row: Row = {};
    const lookup = lookupIn(new Map(children.map((c) => [c.code, c])), row, outer);
    for (const child of group.fields) {
      if (child.type === 'explanation' || !holds(child.when, lookup)) continue;
      const outcome = leafOutcome(child, childName(group.code, i, child.code), raw, ctx);
      if (outcome.value !== undefined) row[child.code] = outcome.value;
      errors.push(...outcome.errors);
    }
    rows.push(row);
  }
  const min = group.min ?? (group.required ? 1 : 0);
  const max = maxRows(group);
  if (rows.length < min) errors.push({ field: group.code, code: min === 1 ? 'required' : 'rows-min', params: { min } });
  else if (rows.length > max) errors.push({ field: group.code, code: 'rows-max', params: { max } });
  return { value: rows.length > 0 && errors.length === 0 ? rows : undefined, errors };
}

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * The server's judgement of a form post: reads only the definition's fields (anything else posted is
 * ignored), skips hidden steps, sections and fields (neither required nor kept), and yields the typed
 * answers or the problems. Conditions see the answers of fields asked before, once validated.
 */
export function validateForm(definition: FormDefinition, raw: RawValues, options: ValidateOptions = {}): Validation {
  const ctx: Context = { options, today: options.today ?? todayUtc() };
  const data: FormData = {};
  const errors: FormError[] = [];
  const steps: string[] = [];
  const asked: string[] = [];
  const fields = new Map<string, ValueFieldDef>();
  const lookup = lookupIn(fields, data);
  const visible = (...conditions: (Condition | undefined)[]) => conditions.every((c) => holds(c, lookup));
  for (const step of definition.steps) {
    if (!visible(step.when)) continue;
    steps.push(step.code);
    const reported = options.step === undefined || options.step === step.code;
    for (const { field, section } of placedFields(step)) {
      if (field.type === 'explanation') continue;
      fields.set(field.code, field);
      if (!visible(section?.when, field.when)) continue;
      asked.push(field.code);
      const outcome = field.type === 'group' ? groupOutcome(field, raw, ctx, lookup) : leafOutcome(field, field.code, raw, ctx);
      if (outcome.value !== undefined && outcome.errors.length === 0) data[field.code] = outcome.value;
      if (reported) errors.push(...outcome.errors);
    }
  }
  return { ok: errors.length === 0, data, errors, steps, fields: asked };
}
