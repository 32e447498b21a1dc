import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { replay } from '../../jobs/dead-letters.js';
import { audit } from '../audit.js';
import { type Acting, notFound } from './acting.js';

/** Queues a dead job again, recording who did it in the same transaction. */
export async function replayJob(db: Db, who: Acting, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const job = await trx.selectFrom('jobs').select('name').where('id', '=', id).where('status', '=', 'dead').executeTakeFirst();
    if (!job || !(await replay(trx, id))) throw notFound(`No dead job ${id}.`);
    await audit(trx, {
      actor: who.actor,
      action: 'job.replay',
      resourceType: 'job',
      resourceId: id,
      ip: who.ip,
      details: { name: job.name },
    });
  });
}
