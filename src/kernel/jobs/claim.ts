import type { Db, Engine } from '../db/database.js';
import { nowIso } from '../db/values.js';
import type { JobsTable } from './migrations.js';

export interface Lease {
  workerId: string;
  leaseSeconds: number;
}

function leaseEnd(leaseSeconds: number, now: Date): string {
  return nowIso(new Date(now.getTime() + leaseSeconds * 1000));
}

/**
 * Claims up to `limit` available jobs in one statement, so two workers can never both take a job.
 * Available: queued and due, or running with an expired lease (its worker died or hung).
 */
export function claimJobs(db: Db, engine: Engine, lease: Lease, limit: number): Promise<JobsTable[]> {
  const now = new Date();
  const nowText = nowIso(now);
  return db
    .updateTable('jobs')
    .set((eb) => ({
      status: 'running',
      lease_until: leaseEnd(lease.leaseSeconds, now),
      locked_by: lease.workerId,
      attempts: eb('attempts', '+', 1),
      updated_at: nowText,
    }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('jobs')
        .select('id')
        .where((w) =>
          w.or([
            w.and([w('status', '=', 'queued'), w('run_at', '<=', nowText)]),
            w.and([w('status', '=', 'running'), w('lease_until', '<', nowText)]),
          ]),
        )
        .orderBy('run_at')
        .limit(limit)
        // PostgreSQL runs claims concurrently: skip rows another claim holds instead of queueing
        // behind it. SQLite runs one write at a time, so the statement alone is enough there.
        .$if(engine === 'postgres', (q) => q.forUpdate().skipLocked()),
    )
    .returningAll()
    .execute();
}

/**
 * Restricts a write (`where((eb) => eb.and(ownClaim(…)))`) to the claim this worker made: if the
 * lease expired and another worker re-claimed the job (attempts moved on), or stop() released it,
 * the write touches nothing.
 */
export function ownClaim(lease: Lease, job: Pick<JobsTable, 'id' | 'attempts'>) {
  return { id: job.id, locked_by: lease.workerId, attempts: job.attempts };
}

/** Pushes the lease of a running job forward; false when the claim is no longer this worker's. */
export async function extendLease(db: Db, lease: Lease, job: JobsTable): Promise<boolean> {
  const now = new Date();
  const result = await db
    .updateTable('jobs')
    .set({ lease_until: leaseEnd(lease.leaseSeconds, now), updated_at: nowIso(now) })
    .where((eb) => eb.and(ownClaim(lease, job)))
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/**
 * Gives claimed jobs back to the queue at shutdown. The interrupted run does not count as an
 * attempt: the job did not fail, its process stopped.
 */
export async function releaseJobs(db: Db, lease: Lease, jobs: readonly JobsTable[]): Promise<void> {
  for (const job of jobs) {
    await db
      .updateTable('jobs')
      .set((eb) => ({
        status: 'queued',
        lease_until: null,
        locked_by: null,
        attempts: eb('attempts', '-', 1),
        updated_at: nowIso(),
      }))
      .where((eb) => eb.and(ownClaim(lease, job)))
      .execute();
  }
}
