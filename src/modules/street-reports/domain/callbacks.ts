import type { Executor } from '../../../kernel/db/transaction.js';
import { inTransaction } from '../../../kernel/db/transaction.js';
import { newId, nowIso } from '../../../kernel/db/values.js';
import { sniff } from '../../../kernel/files/sniff.js';
import { HttpError } from '../../../kernel/http/errors.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { rememberCallback } from '../../../kernel/webhooks/incoming.js';
import { FINISHED_STATUSES } from '../../../kernel/workflow/definition.js';
import { findItem } from '../../../kernel/workflow/items.js';
import { applyAction } from '../../../kernel/workflow/transition.js';

/** What a contractor may say about a work order, and the workflow action each one runs. */
export const CALLBACK_ACTIONS = {
  scheduled: 'contractor-scheduled',
  done: 'contractor-done',
  rejected: 'contractor-rejected',
  requalify: 'contractor-requalify',
} as const;
export type CallbackStatus = keyof typeof CALLBACK_ACTIONS;

/** Callbacks' ids are remembered under this source: a replayed one is refused. */
export const CALLBACK_SOURCE = 'street-reports:contractor';

/** Paris accepts photos up to 2 MB; the base64 text of one is a third longer. */
export const PHOTO_MAX_BYTES = 2 * 1_048_576;
/** The largest callback body: a photo at its limit in base64, plus the rest. */
export const CALLBACK_BODY_BYTES = Math.ceil(PHOTO_MAX_BYTES / 3) * 4 + 64 * 1024;

export interface ContractorCallback {
  /** Chosen by the contractor, unique per callback: a repeat is answered 409 and not applied. */
  id: string;
  status: CallbackStatus;
  /** The planned date (YYYY-MM-DD) of a "scheduled" callback. */
  date?: string;
  /** The message of "done", the reason of "rejected" and "requalify". */
  comment?: string;
  /** The "after" photo of "done": base64, or a `data:` URL. */
  photo?: string;
}

export interface CallbackTarget {
  id: string;
  reference: string;
  itemId: string;
}

/** The report a callback is about; 404 when there is none. */
export async function reportForCallback(db: Executor, reportId: string): Promise<CallbackTarget> {
  const row = await db.selectFrom('street_reports').select(['id', 'reference', 'item_id']).where('id', '=', reportId).executeTakeFirst();
  if (!row) throw new HttpError(404, 'not-found', `No street report ${reportId}.`);
  return { id: row.id, reference: row.reference, itemId: row.item_id };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The photo's bytes: 400 when not base64, 413 over the limit, 415 when its content is not an image. */
export async function decodePhoto(text: string): Promise<Buffer> {
  const encoded = text.replace(/^data:[\w.+-]+\/[\w.+-]+;base64,/, '').replace(/\s+/g, '');
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0) {
    throw new HttpError(400, 'street-reports.photo-not-base64', 'The photo must be an image encoded in base64 (or a data: URL).', [
      { field: 'photo', message: 'is not base64' },
    ]);
  }
  if ((encoded.length / 4) * 3 > PHOTO_MAX_BYTES + 2) {
    throw new HttpError(413, 'street-reports.photo-too-large', `The photo is larger than ${PHOTO_MAX_BYTES / 1_048_576} MB.`);
  }
  const data = Buffer.from(encoded, 'base64');
  if ((await sniff(data)).kind !== 'image') {
    throw new HttpError(415, 'file.type-not-allowed', 'The photo must be a JPEG, PNG, WebP, GIF or AVIF image.');
  }
  return data;
}

/**
 * Applies a contractor's (authenticated) callback: its workflow action, run by the system, with the
 * date, the comment and the "after" photo — which the files service sniffs and re-encodes, so no
 * metadata (GPS included) survives. One transaction records the callback's id (409 on a replay)
 * and moves the report (409 when its state does not allow this status); the tasks of the action tell
 * the reporter and the followers. A refused callback changes nothing (an uploaded photo stays a
 * pending file, deleted within a day).
 */
export async function applyContractorCallback(
  kernel: Kernel,
  report: CallbackTarget,
  callback: ContractorCallback,
): Promise<{ id: string; reference: string; state: string; status: string }> {
  const action = CALLBACK_ACTIONS[callback.status];
  if (callback.photo !== undefined && callback.status !== 'done') {
    throw new HttpError(400, 'street-reports.photo-unexpected', 'Only a "done" callback carries a photo.', [
      { field: 'photo', message: 'only with status "done"' },
    ]);
  }
  const photoId = callback.photo
    ? (await kernel.files.store({ data: await decodePhoto(callback.photo), filename: 'after-work.jpg' })).id
    : null;
  const fields: Record<string, string> = {};
  if (callback.date !== undefined) fields['planned-on'] = callback.date;
  if (callback.comment !== undefined) fields.comment = callback.comment;
  return inTransaction(kernel.db, async (trx) => {
    await rememberCallback(trx, CALLBACK_SOURCE, callback.id);
    const item = await findItem(trx, report.itemId);
    if (!item) throw new HttpError(404, 'not-found', `No street report ${report.id}.`);
    const next = await applyAction(trx, kernel, 'system', item, action, { fields, photos: photoId ? { after: [photoId] } : {} });
    if (photoId) {
      await trx
        .insertInto('street_report_photos')
        .values({ id: newId(), report_id: report.id, file_id: photoId, kind: 'after', redacted: 0, created_at: nowIso() })
        .execute();
    }
    const generic = kernel.workflows.get(next.workflow, next.version).states[next.state]!.status;
    return { id: report.id, reference: report.reference, state: next.state, status: FINISHED_STATUSES.has(generic) ? 'closed' : 'open' };
  });
}
