import { inTransaction } from '../db/transaction.js';
import type { Kernel } from '../kernel.js';
import { notify } from '../notifications/notify.js';
import { postMessage } from './demands.js';
import type { DemandSummary } from './queries.js';
import { DEMAND_REPLY_TEMPLATE } from './templates.js';

/**
 * A message on a demand, as one write: the message and its attachments, the outgoing event
 * `demands.message` (modules and agents' tools subscribe), and, when an agent writes, the
 * resident's notification on the channels they chose.
 */
export async function sendDemandMessage(
  kernel: Kernel,
  demand: DemandSummary,
  input: { authorId: string; authorKind: 'citizen' | 'agent'; body: string; fileIds?: readonly string[] },
): Promise<string> {
  return inTransaction(kernel.db, async (trx) => {
    const id = await postMessage(trx, kernel, { demandId: demand.id, ...input });
    await kernel.jobs.emit(trx, 'demands.message', { demandId: demand.id, type: demand.type, messageId: id, authorKind: input.authorKind });
    if (input.authorKind === 'agent' && demand.accountId) {
      const link = `/account/demands/${demand.id}`;
      await notify(trx, kernel, {
        accountId: demand.accountId,
        template: DEMAND_REPLY_TEMPLATE,
        demandId: demand.id,
        link,
        data: { reference: demand.reference, title: demand.title, link: `${kernel.config.publicUrl ?? ''}${link}` },
      });
    }
    return id;
  });
}
