import type { Executor } from '../db/transaction.js';
import { type FieldProblem, HttpError } from '../http/errors.js';
import type { Kernel } from '../kernel.js';
import type { ActionDefinition } from './definition.js';

export const COMMENT_MAX_LENGTH = 5000;

/** What an agent or resident typed for an action: text values and uploaded photo ids. */
export interface ActionInput {
  fields?: Record<string, string>;
  photos?: Record<string, readonly string[]>;
}

function validDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

/**
 * Checks the action's fields (the server is the authority) and attaches its photos to the item.
 * Returns what the history keeps: the comment apart, the other fields as an object.
 */
export async function readActionFields(
  trx: Executor,
  kernel: Pick<Kernel, 'files'>,
  action: ActionDefinition,
  itemId: string,
  input: ActionInput,
): Promise<{ comment: string | null; values: Record<string, string | string[]> }> {
  const problems: FieldProblem[] = [];
  const values: Record<string, string | string[]> = {};
  let comment: string | null = null;
  for (const field of action.fields) {
    const raw = (input.fields?.[field.code] ?? '').trim();
    const photos = input.photos?.[field.code] ?? [];
    const empty = field.type === 'photo' ? photos.length === 0 : raw === '';
    if (empty) {
      if (field.required) problems.push({ field: field.code, message: 'workflow.errors.required' });
      continue;
    }
    if (field.type === 'comment') {
      if (raw.length > COMMENT_MAX_LENGTH) problems.push({ field: field.code, message: 'workflow.errors.too-long' });
      else if (comment === null) comment = raw;
      else values[field.code] = raw;
    } else if (field.type === 'reason') {
      if (!field.reasons?.some((r) => r.code === raw)) problems.push({ field: field.code, message: 'workflow.errors.unknown-reason' });
      else values[field.code] = raw;
    } else if (field.type === 'date') {
      if (!validDate(raw)) problems.push({ field: field.code, message: 'workflow.errors.bad-date' });
      else values[field.code] = raw;
    } else {
      values[field.code] = [...photos];
    }
  }
  if (problems.length) throw new HttpError(400, 'workflow.invalid-fields', 'Some fields of the action are missing or invalid.', problems);
  const photoIds = Object.values(values).filter(Array.isArray).flat();
  if (photoIds.length) await kernel.files.attach(trx, photoIds, `workflow:item:${itemId}`);
  return { comment, values };
}
