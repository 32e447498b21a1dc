import type { Db } from '../db/database.js';
import type { JobStatus } from './migrations.js';

export type QueueDepth = Record<JobStatus, number>;

/** Jobs per status, for the metrics endpoint. */
export async function queueDepth(db: Db): Promise<QueueDepth> {
  const rows = await db
    .selectFrom('jobs')
    .select((eb) => ['status', eb.fn.countAll<number>().as('count')])
    .groupBy('status')
    .execute();
  const depth: QueueDepth = { queued: 0, running: 0, dead: 0 };
  for (const row of rows) depth[row.status] = row.count;
  return depth;
}
