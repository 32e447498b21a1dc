import type { Executor } from '../db/transaction.js';
import { nowIso } from '../db/values.js';

/** A message on a resident's dashboard. */
export interface InboxItem {
  id: string;
  demandId: string | null;
  subject: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

/** A resident's in-app notifications, newest first (for their notifications page and the dashboard). */
export async function listNotifications(
  db: Executor,
  accountId: string,
  options: { limit?: number; unreadOnly?: boolean } = {},
): Promise<InboxItem[]> {
  let query = db
    .selectFrom('notifications')
    .select(['id', 'demand_id', 'subject', 'body', 'link', 'created_at', 'read_at'])
    .where('account_id', '=', accountId)
    .where('channel', '=', 'dashboard')
    .where('status', '=', 'delivered');
  if (options.unreadOnly) query = query.where('read_at', 'is', null);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(options.limit ?? 50, 1), 500))
    .execute();
  return rows.map((r) => ({
    id: r.id,
    demandId: r.demand_id,
    subject: r.subject,
    body: r.body,
    link: r.link,
    createdAt: r.created_at,
    readAt: r.read_at,
  }));
}

export async function countUnread(db: Executor, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('account_id', '=', accountId)
    .where('channel', '=', 'dashboard')
    .where('status', '=', 'delivered')
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks one of the resident's messages read, or all of them when `id` is omitted; returns how many changed. */
export async function markRead(db: Executor, accountId: string, id?: string): Promise<number> {
  let query = db
    .updateTable('notifications')
    .set({ read_at: nowIso() })
    .where('account_id', '=', accountId)
    .where('channel', '=', 'dashboard')
    .where('read_at', 'is', null);
  if (id) query = query.where('id', '=', id);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
