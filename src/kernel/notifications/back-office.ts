import type { Db } from '../db/database.js';
import { type Executor, inTransaction } from '../db/transaction.js';
import { HttpError } from '../http/errors.js';
import type { Acting } from '../identity/agents/acting.js';
import { audit } from '../identity/audit.js';
import type { Kernel } from '../kernel.js';
import type { NotificationEventsTable, NotificationsTable } from './migrations.js';
import { recordNotification, type Undeliverable } from './notify.js';
import { resolveRecipient } from './recipient.js';
import { type Channel, type NotificationStatus, STATUSES } from './status.js';

export interface NotificationFilters {
  status?: NotificationStatus;
  channel?: Channel;
  template?: string;
  /** The resident's account e-mail, or the address a message was sent to. */
  email?: string;
  /** Keyset pagination: messages older than this id. */
  before?: string;
}

export type NotificationRow = NotificationsTable & { account_email: string | null };

export const PAGE_SIZE = 50;

/** Messages matching the filters, newest first, one page and whether there is more. */
export async function searchNotifications(db: Db, filters: NotificationFilters): Promise<{ rows: NotificationRow[]; more: boolean }> {
  let query = db
    .selectFrom('notifications as n')
    .leftJoin('accounts as a', 'a.id', 'n.account_id')
    .selectAll('n')
    .select('a.email as account_email');
  if (filters.status) query = query.where('n.status', '=', filters.status);
  if (filters.channel) query = query.where('n.channel', '=', filters.channel);
  if (filters.template) query = query.where('n.template_code', '=', filters.template);
  if (filters.email) {
    const email = filters.email.trim().toLowerCase();
    query = query.where((eb) => eb.or([eb('a.email', '=', email), eb('n.recipient', '=', email)]));
  }
  if (filters.before) query = query.where('n.id', '<', filters.before);
  const rows = await query
    .orderBy('n.id', 'desc')
    .limit(PAGE_SIZE + 1)
    .execute();
  return { rows: rows.slice(0, PAGE_SIZE), more: rows.length > PAGE_SIZE };
}

/** How many messages are in each status: the page opens on what needs attention. */
export async function countByStatus(db: Db): Promise<Record<NotificationStatus, number>> {
  const rows = await db
    .selectFrom('notifications')
    .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('status')
    .execute();
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<NotificationStatus, number>;
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

export interface NotificationDetail {
  notification: NotificationRow;
  events: NotificationEventsTable[];
  /** Messages made by retrying this one. */
  retries: Pick<NotificationsTable, 'id' | 'status' | 'created_at'>[];
}

export async function notificationDetail(db: Executor, id: string): Promise<NotificationDetail> {
  const notification = await db
    .selectFrom('notifications as n')
    .leftJoin('accounts as a', 'a.id', 'n.account_id')
    .selectAll('n')
    .select('a.email as account_email')
    .where('n.id', '=', id)
    .executeTakeFirst();
  if (!notification) throw new HttpError(404, 'not-found', `No notification ${id}.`);
  const events = await db.selectFrom('notification_events').selectAll().where('notification_id', '=', id).orderBy('seq').execute();
  const retries = await db
    .selectFrom('notifications')
    .select(['id', 'status', 'created_at'])
    .where('retry_of', '=', id)
    .orderBy('id')
    .execute();
  return { notification, events, retries };
}

/** Only failed e-mails and SMS can be retried; a retry that is still under way is not doubled. */
export function canRetry(detail: NotificationDetail): boolean {
  const { notification, retries } = detail;
  return (
    notification.status === 'permanent-failure' &&
    notification.channel !== 'dashboard' &&
    retries.every((r) => r.status === 'permanent-failure')
  );
}

/**
 * An agent's retry of a failed message: a new message with the same content, to the address the
 * account has now (it may have been corrected), so the failure and its history stay as they were.
 * Returns the new message's id.
 */
export async function retryNotification(db: Db, kernel: Pick<Kernel, 'jobs' | 'config'>, who: Acting, id: string): Promise<string> {
  return inTransaction(db, async (trx) => {
    const detail = await notificationDetail(trx, id);
    if (!canRetry(detail))
      throw new HttpError(409, 'notifications.not-retryable', 'Only a failed e-mail or SMS can be retried, once at a time.');
    const original = detail.notification;
    const channel = original.channel;
    const recipient = await resolveRecipient(trx, original.account_id, kernel.config.city.defaultLanguage);
    const address = channel === 'email' ? recipient.email : recipient.phone;
    const problem: Undeliverable | null =
      recipient.unreachable ??
      (!address ? (channel === 'email' ? 'no-email-address' : 'no-phone-number') : null) ??
      (channel === 'sms' && !kernel.config.sms ? 'no-sms-provider' : null);
    const newId = await recordNotification(
      trx,
      kernel,
      {
        account_id: original.account_id,
        demand_id: original.demand_id,
        template_code: original.template_code,
        template_version: original.template_version,
        channel,
        language: original.language,
        recipient: address,
        subject: original.subject,
        body: original.body,
        link: original.link,
        retry_of: original.id,
      },
      problem,
    );
    await audit(trx, {
      actor: who.actor,
      action: 'notification.retry',
      resourceType: 'notification',
      resourceId: original.id,
      ip: who.ip,
      details: { retry: newId, channel },
    });
    return newId;
  });
}
