import type { Db } from '../db/database.js';
import { type Executor, inTransaction, type Trx } from '../db/transaction.js';
import { newId, nowIso } from '../db/values.js';

export { CHANNELS, type Channel } from '../identity/citizens/profile.js';

export const STATUSES = ['created', 'sending', 'temporary-failure', 'delivered', 'permanent-failure'] as const;
export type NotificationStatus = (typeof STATUSES)[number];

/** Nothing leaves these: a late "delivered" cannot hide a failure, nor a late failure a delivery. */
export const FINAL_STATUSES: readonly NotificationStatus[] = ['delivered', 'permanent-failure'];

/**
 * The statuses each status may be reached from. A retry goes from temporary-failure back to
 * sending, and sending to sending when a worker died mid-attempt; nothing else moves backwards.
 */
const REACHABLE_FROM: Record<NotificationStatus, readonly NotificationStatus[]> = {
  created: [],
  sending: ['created', 'sending', 'temporary-failure'],
  'temporary-failure': ['created', 'sending'],
  delivered: ['created', 'sending', 'temporary-failure'],
  'permanent-failure': ['created', 'sending', 'temporary-failure'],
};

export function canMove(from: NotificationStatus, to: NotificationStatus): boolean {
  return REACHABLE_FROM[to].includes(from);
}

const MAX_DETAIL = 2000;

/**
 * Appends to a notification's history. Callers have just inserted or updated the notification's
 * row in `trx`, which holds its lock until commit, so the next number cannot be taken twice.
 */
export async function recordEvent(trx: Executor, id: string, status: NotificationStatus, at: string, detail: string | null): Promise<void> {
  const last = await trx
    .selectFrom('notification_events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('notification_id', '=', id)
    .executeTakeFirst();
  const seq = Number(last?.seq ?? 0) + 1;
  await trx.insertInto('notification_events').values({ id: newId(), notification_id: id, seq, status, at, detail }).execute();
}

/**
 * Moves a notification to `to` if its current status allows it, and records the change in its
 * history. One conditional UPDATE decides, so two workers, or a callback racing a job, cannot move
 * a status backwards on either engine, even from different processes. Returns whether it moved.
 */
export async function advanceStatus(executor: Executor, id: string, to: NotificationStatus, detail?: string): Promise<boolean> {
  const from = REACHABLE_FROM[to];
  if (from.length === 0) return false;
  const text = detail ? detail.slice(0, MAX_DETAIL) : null;
  const work = async (trx: Trx) => {
    const at = nowIso();
    const result = await trx
      .updateTable('notifications')
      .set((eb) => ({
        status: to,
        updated_at: at,
        ...(to === 'sending' ? { attempts: eb('attempts', '+', 1) } : {}),
        ...(to === 'temporary-failure' || to === 'permanent-failure' ? { last_error: text } : {}),
      }))
      .where('id', '=', id)
      .where('status', 'in', from)
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) return false;
    await recordEvent(trx, id, to, at, text);
    return true;
  };
  return executor.isTransaction ? work(executor as Trx) : inTransaction(executor as Db, work);
}
