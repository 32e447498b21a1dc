import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { rememberCallback } from '../webhooks/incoming.js';
import { advanceStatus, type NotificationStatus } from './status.js';

export const RECEIPT_STATUSES = ['delivered', 'temporary-failure', 'permanent-failure'] as const;

export interface SmsReceipt {
  /** The receipt's own id: the same receipt is applied once. */
  id: string;
  /** The provider's id of the message, or our notification id it was given as `reference`. */
  reference: string;
  status: (typeof RECEIPT_STATUSES)[number];
  detail?: string;
}

/**
 * Applies a provider's delivery receipt. Receipts come late, twice, or out of order: a replayed one
 * is refused (409) and the status only moves forward, so a stale one changes nothing. Returns the
 * message's status afterwards, or null when no SMS has this reference (nothing is recorded then).
 */
export async function applySmsReceipt(db: Db, receipt: SmsReceipt): Promise<{ status: NotificationStatus; applied: boolean } | null> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom('notifications')
      .select('id')
      .where('channel', '=', 'sms')
      .where((eb) => eb.or([eb('provider_ref', '=', receipt.reference), eb('id', '=', receipt.reference)]))
      .executeTakeFirst();
    if (!row) return null;
    await rememberCallback(trx, 'sms-receipt', receipt.id);
    const applied = await advanceStatus(trx, row.id, receipt.status, receipt.detail ?? 'receipt from the SMS provider');
    const now = await trx.selectFrom('notifications').select('status').where('id', '=', row.id).executeTakeFirstOrThrow();
    return { status: now.status, applied };
  });
}
