import type { Db } from '../db/database.js';
import { nowIso } from '../db/values.js';
import { advanceStatus } from './status.js';

export const SWEEP_JOB = 'kernel:sweep-notifications';

/** How long an SMS may wait for its delivery receipt before it counts as failed (GOV.UK Notify's 72 hours). */
const RECEIPT_WAIT_MS = 72 * 3600 * 1000;

/**
 * Ends as permanent failures the messages nobody is trying any more, so none stays "sending" for
 * ever: those whose delivery job is dead or gone (its worker died on the last attempt, or no process
 * has its handler), and SMS whose receipt never came. `graceMs` leaves alone what changed recently.
 * Returns how many it ended.
 */
export async function sweepAbandoned(db: Db, now = new Date(), graceMs = 10 * 60 * 1000): Promise<number> {
  const orphans = await db
    .selectFrom('notifications as n')
    .leftJoin('jobs as j', 'j.id', 'n.job_id')
    .select(['n.id', 'j.last_error'])
    .where('n.status', 'in', ['created', 'sending', 'temporary-failure'])
    .where('n.channel', '!=', 'dashboard')
    .where('n.provider_ref', 'is', null)
    .where('n.updated_at', '<', nowIso(new Date(now.getTime() - graceMs)))
    .where((eb) => eb.or([eb('j.id', 'is', null), eb('j.status', '=', 'dead')]))
    .execute();
  const unanswered = await db
    .selectFrom('notifications')
    .select('id')
    .where('status', 'in', ['sending', 'temporary-failure'])
    .where('provider_ref', 'is not', null)
    .where('updated_at', '<', nowIso(new Date(now.getTime() - RECEIPT_WAIT_MS)))
    .execute();
  let ended = 0;
  for (const o of orphans) {
    const detail = `delivery abandoned by the job runner${o.last_error ? `: ${o.last_error.split('\n')[0]}` : ''}`;
    if (await advanceStatus(db, o.id, 'permanent-failure', detail)) ended++;
  }
  for (const u of unanswered) {
    if (await advanceStatus(db, u.id, 'permanent-failure', 'no-receipt')) ended++;
  }
  return ended;
}
