import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import { fromJson, nowIso } from '../db/values.js';
import type { Kernel } from '../kernel.js';
import { backoffMs } from './backoff.js';
import { extendLease, type Lease, ownClaim } from './claim.js';
import type { JobsTable } from './migrations.js';
import type { JobHandler } from './types.js';

export interface RunDeps {
  db: Db;
  log: Logger;
  lease: Lease;
  handlers: ReadonlyMap<string, JobHandler>;
  contextKernel: () => Kernel;
  retryDelayMs?: (attempt: number) => number;
}

type Outcome = { ok: true } | { ok: false; error: unknown };

/** Runs a claimed job and records the outcome: deleted when done, retried later or dead when not. */
export async function runJob(deps: RunDeps, job: JobsTable, signal: AbortSignal): Promise<void> {
  const log = deps.log.child({ job: job.name, jobId: job.id, attempt: job.attempts });
  const outcome = await runHandler(deps, job, signal, log);
  if (outcome.ok) {
    const result = await deps.db
      .deleteFrom('jobs')
      .where((eb) => eb.and(ownClaim(deps.lease, job)))
      .executeTakeFirst();
    if (result.numDeletedRows !== 1n) log.warn('job finished after losing its claim; it will run again');
    return;
  }
  await recordFailure(deps, job, outcome.error, log);
}

async function runHandler(deps: RunDeps, job: JobsTable, signal: AbortSignal, log: Logger): Promise<Outcome> {
  // Claims count attempts, so a job whose worker keeps dying (say, out of memory) reaches its limit
  // and stops here rather than taking down worker after worker.
  if (job.attempts > job.max_attempts) {
    return { ok: false, error: new Error('The lease of the final attempt expired: its worker stopped without an outcome.') };
  }
  const handler = deps.handlers.get(job.name);
  if (!handler) {
    return { ok: false, error: new Error(`No handler for job "${job.name}" in this process (is its module enabled?).`) };
  }
  const heartbeat = setInterval(
    () => {
      extendLease(deps.db, deps.lease, job).then(
        (held) => {
          if (!held) log.warn('job lost its claim while running; another worker may run it too');
        },
        (err: unknown) => log.error({ err }, 'could not extend the lease of a running job'),
      );
    },
    (deps.lease.leaseSeconds * 1000) / 3,
  );
  // After stop() released the job, its lease is no longer ours to extend.
  signal.addEventListener('abort', () => clearInterval(heartbeat), { once: true });
  try {
    const payload = fromJson<unknown>(job.payload, null);
    const context = {
      kernel: deps.contextKernel(),
      job: { id: job.id, name: job.name, attempt: job.attempts, maxAttempts: job.max_attempts },
      log,
      signal,
    };
    await handler(payload, context);
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  } finally {
    clearInterval(heartbeat);
  }
}

async function recordFailure(deps: RunDeps, job: JobsTable, error: unknown, log: Logger): Promise<void> {
  const dead = job.attempts >= job.max_attempts;
  const now = Date.now();
  const result = await deps.db
    .updateTable('jobs')
    .set({
      status: dead ? 'dead' : 'queued',
      run_at: dead ? job.run_at : nowIso(new Date(now + (deps.retryDelayMs ?? backoffMs)(job.attempts))),
      lease_until: null,
      locked_by: null,
      last_error: describeError(error),
      updated_at: nowIso(new Date(now)),
    })
    .where((eb) => eb.and(ownClaim(deps.lease, job)))
    .executeTakeFirst();
  if (result.numUpdatedRows !== 1n) log.warn({ err: error }, 'job failed after losing its claim');
  else if (dead) log.error({ err: error }, 'job failed its last attempt and is now dead');
  else log.warn({ err: error }, 'job failed; it will be retried');
}

const MAX_ERROR_LENGTH = 4000;

function describeError(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return text.slice(0, MAX_ERROR_LENGTH);
}
