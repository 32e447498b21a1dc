import type { Db } from '../db/database.js';
import { nowIso } from '../db/values.js';
import { settleDeadDeliveries } from './deliveries.js';

export const PRUNE_WEBHOOKS_JOB = 'kernel:prune-webhooks';

/** How long the delivery log keeps final deliveries, and how long a callback id is remembered. */
export const DELIVERY_LOG_DAYS = 90;
export const SEEN_CALLBACK_DAYS = 30;

const DAY_MS = 24 * 3600 * 1000;

/**
 * Drops old final deliveries (their bodies may hold personal data) and old callback ids. A signed
 * callback older than its timestamp tolerance is refused anyway; a token-authenticated one is
 * protected from replay for `SEEN_CALLBACK_DAYS`.
 */
export async function pruneWebhooks(db: Db, now: Date = new Date()): Promise<{ deliveries: number; seen: number }> {
  await settleDeadDeliveries(db);
  const deliveries = await db
    .deleteFrom('webhook_deliveries')
    .where('status', 'in', ['delivered', 'failed'])
    .where('created_at', '<', nowIso(new Date(now.getTime() - DELIVERY_LOG_DAYS * DAY_MS)))
    .executeTakeFirst();
  const seen = await db
    .deleteFrom('webhook_incoming_seen')
    .where('seen_at', '<', nowIso(new Date(now.getTime() - SEEN_CALLBACK_DAYS * DAY_MS)))
    .executeTakeFirst();
  return { deliveries: Number(deliveries.numDeletedRows), seen: Number(seen.numDeletedRows) };
}
