import type { FastifyRequest } from 'fastify';
import { CSRF_FIELD } from '../http/csrf.js';
import { HttpError } from '../http/errors.js';
import { readPostedForm } from '../http/multipart-form.js';
import { type RawValues, rawList, rawText } from './answers.js';
import type { StepDef } from './definition.js';
import { belongsTo, rowCount, rowsName } from './names.js';
import { groupValueFields, valueFields } from './walk.js';

/** A file chosen in a step's file input (`<name>.upload`). */
export interface Upload {
  /** Name of the field's answer (`code`, or `group.<row>.<code>`). */
  field: string;
  filename: string;
  declaredType: string;
  data: Buffer;
  /** Cut at the platform's upload limit. */
  truncated: boolean;
}

export type StepAction =
  | { kind: 'continue' }
  | { kind: 'save' }
  | { kind: 'add-row'; group: string }
  | { kind: 'remove-row'; group: string; row: number }
  | { kind: 'remove-file'; field: string; id: string };

export interface StepPost {
  values: RawValues;
  uploads: Upload[];
  action: StepAction;
  returnToSummary: boolean;
  csrf: string | undefined;
}

const UPLOAD_SUFFIX = '.upload';

/** The button pressed: "continue" (also Enter), "save", or a change of rows or uploads. */
export function parseAction(value: string): StepAction {
  const [kind = '', first = '', second = ''] = value.split(':');
  if (kind === 'save') return { kind };
  if (kind === 'add-row' && first) return { kind, group: first };
  if (kind === 'remove-row' && first && /^\d{1,3}$/.test(second)) return { kind, group: first, row: Number(second) };
  if (kind === 'remove-file' && first && second) return { kind, field: first, id: second };
  return { kind: 'continue' };
}

function fromValues(values: RawValues, uploads: Upload[]): StepPost {
  const post: StepPost = {
    values: {},
    uploads,
    action: parseAction(rawText(values, '_action')),
    returnToSummary: rawText(values, '_return') === 'summary',
    csrf: rawText(values, CSRF_FIELD) || undefined,
  };
  for (const [name, value] of Object.entries(values)) if (!name.startsWith('_')) post.values[name] = value;
  return post;
}

/**
 * Reads a step's post, urlencoded or multipart (a step with a file input). Only values are read
 * here; what they mean is the validator's business.
 */
export async function readStepPost(request: FastifyRequest): Promise<StepPost> {
  const { values, files } = await readPostedForm(request);
  const uploads: Upload[] = files.map((file) => {
    if (!file.name.endsWith(UPLOAD_SUFFIX)) throw new HttpError(400, 'forms.unexpected-file', 'A file was sent outside a file field.');
    return { ...file, field: file.name.slice(0, -UPLOAD_SUFFIX.length) };
  });
  return fromValues(values, uploads);
}

/** The names of a step's file answers: they come from the draft (uploads), never from the post. */
export function fileNames(step: StepDef, raw: RawValues): string[] {
  return valueFields(step).flatMap((field) => {
    if (field.type === 'file' || field.type === 'photo') return [field.code];
    if (field.type !== 'group') return [];
    const files = groupValueFields(field).filter((c) => c.type === 'file' || c.type === 'photo');
    return Array.from({ length: rowCount(field, raw) }, (_, row) => files.map((c) => `${field.code}.${row}.${c.code}`)).flat();
  });
}

/**
 * The draft's values with this step's replaced by what was posted: values of other steps stay,
 * names the step does not have are dropped, and file answers stay as the draft holds them.
 */
export function mergeStep(step: StepDef, draft: RawValues, posted: RawValues): RawValues {
  const codes = valueFields(step).map((f) => f.code);
  const ours = (name: string) => codes.some((code) => belongsTo(name, code));
  const merged: RawValues = {};
  for (const [name, value] of Object.entries(draft)) if (!ours(name)) merged[name] = value;
  for (const [name, value] of Object.entries(posted)) if (ours(name)) merged[name] = value;
  const files = new Set([...fileNames(step, draft), ...fileNames(step, merged)]);
  for (const name of files) {
    delete merged[name];
    if (draft[name] !== undefined) merged[name] = draft[name];
  }
  return merged;
}

/** Adds a row at the end of a group (up to its maximum). */
export function addRow(raw: RawValues, code: string, shown: number, max: number): RawValues {
  return { ...raw, [rowsName(code)]: String(Math.min(shown + 1, max)) };
}

/** Removes one row of a group, moving the later rows up. */
export function removeRow(raw: RawValues, code: string, row: number, shown: number): RawValues {
  const out: RawValues = {};
  const pattern = new RegExp(`^${code}\\.(\\d+)\\.(.+)$`);
  for (const [name, value] of Object.entries(raw)) {
    const match = pattern.exec(name);
    if (!match) {
      out[name] = value;
      continue;
    }
    const index = Number(match[1]);
    if (index === row) continue;
    out[index > row ? `${code}.${index - 1}.${match[2]}` : name] = value;
  }
  out[rowsName(code)] = String(Math.max(shown - 1, 0));
  return out;
}

/** Takes one upload out of a file answer. */
export function removeFile(raw: RawValues, name: string, id: string): RawValues {
  return { ...raw, [name]: rawList(raw, name).filter((v) => v !== id) };
}
