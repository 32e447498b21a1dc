import type { Selectable } from 'kysely';
import type { Executor } from '../db/transaction.js';
import { fromJson, newId, nowIso, toJson } from '../db/values.js';
import type { JobHandler } from '../jobs/types.js';
import type { RawValues } from './answers.js';
import type { FormDraftsTable } from './migrations.js';

/** Drafts not touched for this long are deleted, with their uploads (Démarches Simplifiées keeps three months). */
export const DRAFT_LIFETIME_DAYS = 90;

/** Whose draft of which form, for what: one draft per key. */
export interface DraftKey {
  accountId: string;
  formCode: string;
  subject: string | null;
}

export interface Draft extends DraftKey {
  id: string;
  formVersion: number;
  step: string | null;
  /** The values as posted, valid or not. */
  data: RawValues;
  fileIds: string[];
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
}

/** The owner the kernel's files service records for a draft's uploads, so they outlive the one-day pending cleanup. */
export function draftFileOwner(draftId: string): string {
  return `kernel:forms:draft:${draftId}`;
}

function toDraft(row: Selectable<FormDraftsTable>): Draft {
  return {
    id: row.id,
    accountId: row.account_id,
    formCode: row.form_code,
    formVersion: row.form_version,
    subject: row.subject,
    step: row.step,
    data: fromJson<RawValues>(row.data, {}),
    fileIds: fromJson<string[]>(row.file_ids, []),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
  };
}

function expiry(now: Date): string {
  return nowIso(new Date(now.getTime() + DRAFT_LIFETIME_DAYS * 24 * 3600 * 1000));
}

export async function loadDraft(db: Executor, key: DraftKey): Promise<Draft | null> {
  const row = await db
    .selectFrom('form_drafts')
    .selectAll()
    .where('account_id', '=', key.accountId)
    .where('form_code', '=', key.formCode)
    .where((eb) => (key.subject === null ? eb('subject', 'is', null) : eb('subject', '=', key.subject)))
    .where('expires_at', '>', nowIso())
    // Two tabs starting the same form at once may each create one: the latest wins.
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ? toDraft(row) : null;
}

/** Creates or replaces the draft of this key; each save pushes its expiry back. */
export async function saveDraft(
  db: Executor,
  key: DraftKey,
  content: { formVersion: number; step: string | null; data: RawValues; fileIds: readonly string[] },
  now: Date = new Date(),
): Promise<Draft> {
  const existing = await loadDraft(db, key);
  const values = {
    form_version: content.formVersion,
    step: content.step,
    data: toJson(content.data),
    file_ids: toJson([...new Set(content.fileIds)]),
    updated_at: nowIso(now),
    expires_at: expiry(now),
  };
  if (existing) {
    await db.updateTable('form_drafts').set(values).where('id', '=', existing.id).execute();
    return toDraft({
      id: existing.id,
      account_id: key.accountId,
      form_code: key.formCode,
      subject: key.subject,
      created_at: existing.createdAt,
      ...values,
    });
  }
  const row = {
    id: newId(now.getTime()),
    account_id: key.accountId,
    form_code: key.formCode,
    subject: key.subject,
    created_at: nowIso(now),
    ...values,
  };
  await db.insertInto('form_drafts').values(row).execute();
  return toDraft(row);
}

/**
 * Gives a draft's uploads back to the files service as pending: the caller's domain write attaches
 * the ones it keeps (`kernel.files.attach`) in the same transaction; the others are deleted with
 * the abandoned uploads a day later.
 */
export async function releaseDraftFiles(db: Executor, draftIds: readonly string[]): Promise<void> {
  if (draftIds.length === 0) return;
  await db.updateTable('files').set({ owner: null, attached_at: null }).where('owner', 'in', draftIds.map(draftFileOwner)).execute();
}

/** One upload removed from a draft goes back to pending, to be cleaned up with abandoned uploads. */
export async function releaseDraftFile(db: Executor, draftId: string, fileId: string): Promise<void> {
  await db
    .updateTable('files')
    .set({ owner: null, attached_at: null })
    .where('id', '=', fileId)
    .where('owner', '=', draftFileOwner(draftId))
    .execute();
}

/** Deletes a draft and lets its uploads go; returns whether there was one. Call it inside a transaction. */
export async function discardDraft(db: Executor, draftId: string): Promise<boolean> {
  const result = await db.deleteFrom('form_drafts').where('id', '=', draftId).executeTakeFirst();
  await releaseDraftFiles(db, [draftId]);
  return Number(result.numDeletedRows) > 0;
}

/** Deletes the drafts past their expiry (their uploads go with the pending-files cleanup); returns how many. */
export async function expireDrafts(db: Executor, now: Date = new Date()): Promise<number> {
  const expired = await db.deleteFrom('form_drafts').where('expires_at', '<=', nowIso(now)).returning('id').execute();
  await releaseDraftFiles(
    db,
    expired.map((r) => r.id),
  );
  return expired.length;
}

/** A person's drafts, for the export of their data. */
export async function draftsOf(db: Executor, accountId: string): Promise<Draft[]> {
  const rows = await db.selectFrom('form_drafts').selectAll().where('account_id', '=', accountId).orderBy('created_at').execute();
  return rows.map(toDraft);
}

/** Deletes every draft of an account (account deletion); call it inside that transaction. */
export async function eraseDraftsOf(db: Executor, accountId: string): Promise<void> {
  const removed = await db.deleteFrom('form_drafts').where('account_id', '=', accountId).returning('id').execute();
  await releaseDraftFiles(
    db,
    removed.map((r) => r.id),
  );
}

export const EXPIRE_DRAFTS_JOB = 'kernel:forms:expire-drafts';

/** Daily, just before the pending-files cleanup, which then deletes the expired drafts' uploads. */
export const expireDraftsJob: JobHandler = async (_payload, { kernel, log }) => {
  const expired = await expireDrafts(kernel.db);
  if (expired) log.info({ expired }, 'expired form drafts deleted');
};
