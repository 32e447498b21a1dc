import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { fromJson, newId, nowIso } from '../db/values.js';
import { HttpError } from '../http/errors.js';
import type { Acting } from '../identity/agents/acting.js';
import { audit } from '../identity/audit.js';
import type { Kernel } from '../kernel.js';
import { endpointFor } from './endpoints.js';
import type { DeliveryStatus } from './migrations.js';
import { enqueueDelivery } from './queue.js';

export interface DeliveryLogEntry {
  id: string;
  event: string;
  idempotencyKey: string;
  subject: string | null;
  status: DeliveryStatus;
  attempts: number;
  maxAttempts: number;
  lastHttpStatus: number | null;
  lastError: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  /** When the jobs runtime will try again (retrying deliveries only). */
  nextAttemptAt: string | null;
  redeliveryOf: string | null;
  /** The start of the event's data as sent. */
  excerpt: string;
}

export const LOG_PAGE = 50;
const EXCERPT = 200;

/** The event's `data`, which the other columns do not show (the envelope's fields are there). */
function excerptOf(body: string): string {
  const data = JSON.stringify(fromJson<{ data?: unknown }>(body, {}).data ?? null);
  return data.length > EXCERPT ? `${data.slice(0, EXCERPT)}…` : data;
}

/**
 * Marks failed the deliveries whose job died without their handler recording it: the handler does
 * on every attempt it runs, but a worker killed during the final attempt leaves the jobs runtime to
 * declare the job dead alone.
 */
export async function settleDeadDeliveries(db: Db, endpointId?: string): Promise<void> {
  let query = db
    .updateTable('webhook_deliveries')
    .set({ status: 'failed', updated_at: nowIso() })
    .where('status', 'in', ['pending', 'retrying'])
    .where('job_id', 'in', (eb) => eb.selectFrom('jobs').select('id').where('status', '=', 'dead'));
  if (endpointId) query = query.where('endpoint_id', '=', endpointId);
  await query.execute();
}

/** An endpoint's deliveries, newest first, by pages of `LOG_PAGE` before the id `before`. */
export async function deliveryLog(db: Db, endpointId: string, before?: string): Promise<{ entries: DeliveryLogEntry[]; more: boolean }> {
  await settleDeadDeliveries(db, endpointId);
  let query = db
    .selectFrom('webhook_deliveries as d')
    .leftJoin('jobs as j', (join) => join.onRef('j.id', '=', 'd.job_id').on('j.status', '=', 'queued'))
    .select([
      'd.id',
      'd.event',
      'd.idempotency_key',
      'd.subject',
      'd.status',
      'd.attempts',
      'd.max_attempts',
      'd.last_http_status',
      'd.last_error',
      'd.created_at',
      'd.last_attempt_at',
      'd.delivered_at',
      'd.redelivery_of',
      'd.body',
      'j.run_at',
    ])
    .where('d.endpoint_id', '=', endpointId)
    .orderBy('d.id', 'desc')
    .limit(LOG_PAGE + 1);
  if (before) query = query.where('d.id', '<', before);
  const rows = await query.execute();
  const entries = rows.slice(0, LOG_PAGE).map((r) => ({
    id: r.id,
    event: r.event,
    idempotencyKey: r.idempotency_key,
    subject: r.subject,
    status: r.status,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    lastHttpStatus: r.last_http_status,
    lastError: r.last_error,
    createdAt: r.created_at,
    lastAttemptAt: r.last_attempt_at,
    deliveredAt: r.delivered_at,
    nextAttemptAt: r.status === 'retrying' || r.status === 'pending' ? (r.run_at ?? null) : null,
    redeliveryOf: r.redelivery_of,
    excerpt: excerptOf(r.body),
  }));
  return { entries, more: rows.length > LOG_PAGE };
}

/**
 * "Retry now" on a failed delivery: a new delivery of the same event (same body, same
 * `Civitas-Webhook-Id`, so a receiver that did apply it ignores it), with its own attempts. The
 * failed one stays in the log as it was.
 */
export async function redeliver(
  db: Db,
  kernel: Pick<Kernel, 'jobs'>,
  who: Acting,
  endpointId: string,
  deliveryId: string,
): Promise<string> {
  const endpoint = await endpointFor(db, who.actor, endpointId);
  const failed = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('id', '=', deliveryId)
    .where('endpoint_id', '=', endpointId)
    .executeTakeFirst();
  if (!failed) throw new HttpError(404, 'not-found', `No delivery ${deliveryId} for this endpoint.`);
  if (failed.status !== 'failed') throw new HttpError(409, 'webhook.not-failed', 'Only a failed delivery can be sent again.');
  if (!endpoint.active)
    throw new HttpError(409, 'webhook.endpoint-inactive', 'Activate the endpoint before sending deliveries to it again.');
  return inTransaction(db, async (trx) => {
    const running = await trx
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('endpoint_id', '=', endpointId)
      .where('idempotency_key', '=', failed.idempotency_key)
      .where('status', 'in', ['pending', 'retrying'])
      .executeTakeFirst();
    if (running) throw new HttpError(409, 'webhook.already-retrying', 'This event is already being sent again to this endpoint.');
    const id = newId();
    const now = nowIso();
    await trx
      .insertInto('webhook_deliveries')
      .values({
        ...failed,
        id,
        status: 'pending',
        attempts: 0,
        last_http_status: null,
        last_error: null,
        job_id: null,
        redelivery_of: failed.id,
        created_at: now,
        updated_at: now,
        last_attempt_at: null,
        delivered_at: null,
      })
      .execute();
    await enqueueDelivery(trx, kernel, id);
    await audit(trx, {
      actor: who.actor,
      action: 'webhook.redeliver',
      resourceType: 'webhook-delivery',
      resourceId: id,
      ip: who.ip,
      details: { endpoint: endpointId, of: failed.id, event: failed.event },
    });
    return id;
  });
}
