import type { Executor } from '../db/transaction.js';
import { newId, nowIso, toJson } from '../db/values.js';
import type { Kernel } from '../kernel.js';
import { WEBHOOK_DELIVERY_JOB, WEBHOOK_MAX_ATTEMPTS } from './deliver.js';
import { EVENT_NAME, endpointsFor } from './endpoints.js';

export interface WebhookEvent {
  /** The module the event belongs to: endpoints are configured per module. */
  module: string;
  /** The unit the event's resource belongs to; null for a city-wide event. */
  unitPath: string | null;
  /** The event name ("work-order.created"), matched against each endpoint's filter. */
  event: string;
  /** What the event is about ("street-reports:report:42"), sent along and shown in the log. */
  subject?: string;
  /** The event's data, sent as `data`. */
  payload: unknown;
  /**
   * Identifies the event for receivers (`id` and `Civitas-Webhook-Id`); queueing again with the same
   * key sends nothing more to an endpoint that already has it. Default: a new id.
   */
  idempotencyKey?: string;
}

/** The JSON body every endpoint receives. */
export interface WebhookBody {
  id: string;
  event: string;
  occurredAt: string;
  module: string;
  unitPath: string | null;
  subject: string | null;
  data: unknown;
}

/**
 * Queues the event for every matching active endpoint, in the caller's transaction: one delivery row
 * and one delivery job each, so nothing is sent unless the change commits, and nothing committed is
 * lost. Returns how many deliveries were queued.
 */
export async function queueWebhooks(trx: Executor, kernel: Pick<Kernel, 'jobs'>, input: WebhookEvent): Promise<number> {
  // A module's mistake, not a user's: no endpoint filter could ever name such an event.
  if (!EVENT_NAME.test(input.event)) throw new Error(`Invalid webhook event name "${input.event}".`);
  const endpoints = await endpointsFor(trx, input);
  if (endpoints.length === 0) return 0;
  const now = nowIso();
  const key = input.idempotencyKey ?? newId();
  const body: WebhookBody = {
    id: key,
    event: input.event,
    occurredAt: now,
    module: input.module,
    unitPath: input.unitPath,
    subject: input.subject ?? null,
    data: input.payload ?? null,
  };
  const text = toJson(body);
  let queued = 0;
  for (const endpoint of endpoints) {
    const inserted = await trx
      .insertInto('webhook_deliveries')
      .values({
        id: newId(),
        endpoint_id: endpoint.id,
        event: input.event,
        idempotency_key: key,
        subject: input.subject ?? null,
        body: text,
        status: 'pending',
        attempts: 0,
        max_attempts: WEBHOOK_MAX_ATTEMPTS,
        last_http_status: null,
        last_error: null,
        job_id: null,
        redelivery_of: null,
        created_at: now,
        updated_at: now,
        last_attempt_at: null,
        delivered_at: null,
      })
      // Only the unique (endpoint, key) index can conflict: the id is new.
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) continue;
    await enqueueDelivery(trx, kernel, inserted.id);
    queued++;
  }
  return queued;
}

/** Queues the job that sends one delivery, and remembers it on the row (for the log's next attempt). */
export async function enqueueDelivery(trx: Executor, kernel: Pick<Kernel, 'jobs'>, deliveryId: string): Promise<void> {
  const jobId = await kernel.jobs.enqueue(trx, WEBHOOK_DELIVERY_JOB, { deliveryId }, { maxAttempts: WEBHOOK_MAX_ATTEMPTS });
  await trx.updateTable('webhook_deliveries').set({ job_id: jobId }).where('id', '=', deliveryId).execute();
}
