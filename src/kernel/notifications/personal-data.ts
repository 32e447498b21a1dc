import type { Executor, Trx } from '../db/transaction.js';

/** A resident's messages on every channel, for the export of their data. */
export async function exportNotifications(db: Executor, accountId: string) {
  return db
    .selectFrom('notifications')
    .select(['id', 'channel', 'recipient', 'subject', 'body', 'link', 'status', 'created_at', 'read_at'])
    .where('account_id', '=', accountId)
    .orderBy('id')
    .execute();
}

/**
 * Deletes a resident's messages and their histories, in the account-deletion transaction. A
 * delivery still queued then finds nothing to send and stops.
 */
export async function eraseNotifications(trx: Trx, accountId: string): Promise<void> {
  await trx
    .deleteFrom('notification_events')
    .where('notification_id', 'in', (eb) => eb.selectFrom('notifications').select('id').where('account_id', '=', accountId))
    .execute();
  await trx.deleteFrom('notifications').where('account_id', '=', accountId).execute();
}
