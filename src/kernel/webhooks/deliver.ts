import { inTransaction } from '../db/transaction.js';
import { nowIso } from '../db/values.js';
import type { JobHandler } from '../jobs/types.js';
import type { Kernel } from '../kernel.js';
import type { DeliveryStatus } from './migrations.js';
import { signatureHeader, WEBHOOK_ID_HEADER, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from './sign.js';

export const WEBHOOK_DELIVERY_JOB = 'kernel:deliver-webhook';

/**
 * Emitted (outbox) in the transaction that records a delivery failed for good, so the module whose
 * event it was can make the failure visible on its item (a work order that never reached its
 * contractor). Payload: `DeliveryFailed`.
 */
export const WEBHOOK_DELIVERY_FAILED_EVENT = 'webhooks.delivery-failed';
export interface DeliveryFailed {
  module: string;
  event: string;
  subject: string | null;
  deliveryId: string;
}

/**
 * With the jobs’ backoff (2 s doubling, capped at 1 h, half of it random), 16 attempts spread over
 * two and a half to five hours: a receiver down for a couple of hours still gets every event.
 */
export const WEBHOOK_MAX_ATTEMPTS = 16;

/** Receivers should answer at once and do the work later; 10 s is what GitHub and Stripe allow. */
export const DEFAULT_TIMEOUT_MS = 10_000;

const ERROR_EXCERPT = 500;

type Attempt = { ok: true; httpStatus: number } | { ok: false; permanent: boolean; httpStatus: number | null; error: string };

export interface DeliveryJobOptions {
  timeoutMs?: number;
}

/**
 * The job that sends one delivery. 2xx: delivered. 4xx other than 408 and 429: the receiver refuses
 * this request as such, so retrying cannot help (failed, no retry). Anything else (5xx, timeout,
 * dropped connection, redirect): the job throws and the jobs runtime retries it with backoff, until
 * its attempts are exhausted and it is dead. The delivery row records every attempt and its final
 * state itself, so the log stays true even once the job is dead.
 */
export function deliverWebhookJob(options: DeliveryJobOptions = {}): JobHandler<{ deliveryId: string }> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return async ({ deliveryId }, { kernel, job, log, signal }) => {
    const delivery = await kernel.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
      .select(['d.status', 'd.body', 'd.idempotency_key', 'd.event', 'd.subject', 'e.module', 'e.url', 'e.secret', 'e.active'])
      .where('d.id', '=', deliveryId)
      .executeTakeFirst();
    // Deleted with its endpoint, or already final (a replay from the dead-letter list): nothing to send.
    if (!delivery || delivery.status === 'delivered' || delivery.status === 'failed') {
      log.info({ deliveryId, status: delivery?.status ?? 'deleted' }, 'webhook delivery has nothing left to send');
      return;
    }
    if (delivery.active !== 1) {
      const error = 'The endpoint was deactivated before this delivery could be sent.';
      await record(kernel, { ...delivery, deliveryId }, 'failed', { ok: false, permanent: true, httpStatus: null, error }, false);
      return;
    }
    const attempt = await post(delivery, timeoutMs, signal);
    // Stopping the process released the job: this attempt did not really happen.
    if (signal.aborted) throw new Error('The process stopped during the delivery.');
    const last = job.attempt >= job.maxAttempts;
    const status: DeliveryStatus = attempt.ok ? 'delivered' : attempt.permanent || last ? 'failed' : 'retrying';
    await record(kernel, { ...delivery, deliveryId }, status, attempt);
    if (!attempt.ok && !attempt.permanent) throw new Error(`Webhook delivery ${deliveryId} failed: ${attempt.error}`);
    if (!attempt.ok) log.warn({ deliveryId, httpStatus: attempt.httpStatus }, 'webhook refused by its receiver; not retried');
  };
}

async function post(
  delivery: { body: string; idempotency_key: string; url: string; secret: string },
  timeoutMs: number,
  stop: AbortSignal,
): Promise<Attempt> {
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const response = await fetch(delivery.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Civitas-Webhooks/1',
        [WEBHOOK_ID_HEADER]: delivery.idempotency_key,
        [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
        [WEBHOOK_SIGNATURE_HEADER]: signatureHeader(delivery.secret, timestamp, delivery.body),
      },
      body: delivery.body,
      // A redirect would resend the signed body elsewhere: it counts as a failure instead.
      redirect: 'manual',
      signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), stop]),
    });
    const status = response.status;
    if (status >= 200 && status < 300) {
      await response.body?.cancel().catch(() => undefined);
      return { ok: true, httpStatus: status };
    }
    const excerpt = await readExcerpt(response);
    const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
    return { ok: false, permanent, httpStatus: status, error: `HTTP ${status}${excerpt ? `: ${excerpt}` : ''}` };
  } catch (err) {
    return { ok: false, permanent: false, httpStatus: null, error: describeFailure(err, timeoutMs) };
  }
}

/** The start of an error answer, for the log; the rest is not read (a receiver could send gigabytes). */
async function readExcerpt(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < ERROR_EXCERPT) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // A body cut short still leaves its status, which is what matters.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text.slice(0, ERROR_EXCERPT).replace(/\s+/g, ' ').trim();
}

function describeFailure(err: unknown, timeoutMs: number): string {
  const error = err as Error & { cause?: { code?: string; message?: string } };
  if (error?.name === 'TimeoutError') return `No answer within ${timeoutMs} ms.`;
  const cause = error?.cause ? [error.cause.code, error.cause.message].filter(Boolean).join(' ') : '';
  return (cause ? `${error.message}: ${cause}` : String(error?.message ?? err)).slice(0, ERROR_EXCERPT);
}

/**
 * Records one attempt (or a refusal to make one); the `status in (pending, retrying)` guard keeps a
 * final state final, and only the attempt that made a delivery failed emits the failure.
 */
async function record(
  kernel: Pick<Kernel, 'db' | 'jobs'>,
  delivery: DeliveryFailed,
  status: DeliveryStatus,
  attempt: Attempt,
  attempted = true,
): Promise<void> {
  const now = nowIso();
  const final = status === 'delivered' || status === 'failed';
  const { deliveryId } = delivery;
  await inTransaction(kernel.db, async (trx) => {
    const recorded = await trx
      .updateTable('webhook_deliveries')
      .set((eb) => ({
        status,
        attempts: eb('attempts', '+', attempted ? 1 : 0),
        last_http_status: attempt.httpStatus,
        last_error: attempt.ok ? null : attempt.error,
        last_attempt_at: now,
        updated_at: now,
        ...(attempt.ok ? { delivered_at: now } : {}),
        // Done jobs are deleted; a dead one stays referenced, to find it in the dead-letter list.
        ...(final && (attempt.ok || attempt.permanent) ? { job_id: null } : {}),
      }))
      .where('id', '=', deliveryId)
      .where('status', 'in', ['pending', 'retrying'])
      .returning('id')
      .executeTakeFirst();
    if (recorded && status === 'failed') {
      const failed: DeliveryFailed = { module: delivery.module, event: delivery.event, subject: delivery.subject, deliveryId };
      await kernel.jobs.emit(trx, WEBHOOK_DELIVERY_FAILED_EVENT, failed);
    }
  });
}
