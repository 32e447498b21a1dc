import { inTransaction } from '../../../kernel/db/transaction.js';
import { HttpError } from '../../../kernel/http/errors.js';
import type { JobHandler } from '../../../kernel/jobs/types.js';
import type { DeliveryFailed } from '../../../kernel/webhooks/deliver.js';
import { findItemBySubject } from '../../../kernel/workflow/items.js';
import { applyAction } from '../../../kernel/workflow/transition.js';

/** The webhook event a contractor endpoint receives on dispatch (endpoints may filter on it). */
export const WORK_ORDER_EVENT = 'street-reports.work-order';

export const reportSubject = (reportId: string): string => `street-reports:report:${reportId}`;

/**
 * The work order's id, sent as the webhook's idempotency key: one per dispatch (the item's revision
 * after the dispatch), so a retry of the same order is recognised and a new dispatch is a new order.
 */
export const workOrderKey = (itemId: string, revision: number): string => `${itemId}:${revision}:work-order`;

/**
 * A dispatch with nowhere to go is refused rather than left in "sent to the contractor" where
 * nobody would ever answer: the agent keeps the report and handles it otherwise.
 */
export function noContractor(): HttpError {
  return new HttpError(
    409,
    'street-reports.no-contractor',
    'No contractor receives the work orders of this report’s unit: an administrator must add its webhook endpoint first, or the report is handled in-house.',
  );
}

/**
 * Subscriber of `webhooks.delivery-failed`: a work order that could not be delivered, for good,
 * makes its report "sending to the contractor failed" (internal, retried hourly by the workflow's
 * timer). Only the current order counts, and only once no other endpoint has it or may still get it.
 */
export const onDeliveryFailed: JobHandler<DeliveryFailed> = async (failed, { kernel, log }) => {
  if (failed.module !== 'street-reports' || failed.event !== WORK_ORDER_EVENT || !failed.subject) return;
  const subject = failed.subject;
  await inTransaction(kernel.db, async (trx) => {
    const item = await findItemBySubject(trx, subject);
    const delivery = await trx
      .selectFrom('webhook_deliveries')
      .select('idempotency_key')
      .where('id', '=', failed.deliveryId)
      .executeTakeFirst();
    // The report moved on (the contractor answered through another way, an agent acted) or was dispatched again.
    if (!item || !delivery || item.state !== 'sent-to-contractor' || delivery.idempotency_key !== workOrderKey(item.id, item.revision)) {
      return;
    }
    const reached = await trx
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('idempotency_key', '=', delivery.idempotency_key)
      .where('status', 'in', ['pending', 'retrying', 'delivered'])
      .executeTakeFirst();
    if (reached) return;
    await applyAction(trx, kernel, 'system', item, 'dispatch-failed', { revision: item.revision });
    log.warn({ subject, deliveryId: failed.deliveryId }, 'work order undeliverable: report marked as dispatch failed');
  });
};
