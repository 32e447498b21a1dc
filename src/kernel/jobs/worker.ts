import { setTimeout as sleep } from 'node:timers/promises';
import type { Engine } from '../db/database.js';
import { claimJobs, releaseJobs } from './claim.js';
import type { JobsTable } from './migrations.js';
import { type RunDeps, runJob } from './run.js';

export interface WorkerDeps extends RunDeps {
  engine: Engine;
  concurrency: number;
  pollMs: number;
  /** Runs every `pollMs` beside the job loops (the scheduler). */
  tick: () => Promise<unknown>;
}

export interface Worker {
  start(): void;
  stop(timeoutMs: number): Promise<void>;
  runDue(): Promise<number>;
}

interface Running {
  job: JobsTable;
  controller: AbortController;
  done: Promise<void>;
}

/** The job loops of this process: `concurrency` loops each claiming and running one job at a time. */
export function createWorker(deps: WorkerDeps): Worker {
  const running = new Map<string, Running>();
  let loops: Promise<void>[] = [];
  let stopping: AbortController | undefined;

  function execute(job: JobsTable): Promise<void> {
    const controller = new AbortController();
    const done = runJob(deps, job, controller.signal).finally(() => running.delete(job.id));
    running.set(job.id, { job, controller, done });
    return done;
  }

  async function pause(signal: AbortSignal): Promise<void> {
    await sleep(deps.pollMs, undefined, { signal }).catch(() => undefined);
  }

  async function jobLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const [job] = await claimJobs(deps.db, deps.engine, deps.lease, 1);
        if (job && signal.aborted) {
          // Claimed while stop() was under way: give it back rather than start it.
          await releaseJobs(deps.db, deps.lease, [job]);
        } else if (job) {
          await execute(job);
          continue;
        }
      } catch (err) {
        deps.log.error({ err }, 'job loop failed; retrying after the poll interval');
      }
      await pause(signal);
    }
  }

  async function tickLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await deps.tick();
      } catch (err) {
        deps.log.error({ err }, 'scheduler tick failed');
      }
      await pause(signal);
    }
  }

  return {
    start() {
      if (stopping) throw new Error('Jobs were already started in this process.');
      stopping = new AbortController();
      const { signal } = stopping;
      loops = [tickLoop(signal), ...Array.from({ length: deps.concurrency }, () => jobLoop(signal))];
    },

    async stop(timeoutMs) {
      stopping?.abort();
      const finished = Promise.all([...loops, ...[...running.values()].map((r) => r.done)]);
      if (await settlesWithin(finished, timeoutMs)) return;
      const left = [...running.values()];
      // Release first: the aborted handlers' failures then no longer match the claim and are ignored.
      await releaseJobs(
        deps.db,
        deps.lease,
        left.map((r) => r.job),
      );
      for (const r of left) r.controller.abort(new Error('The process is stopping.'));
      deps.log.warn({ jobs: left.map((r) => r.job.id) }, 'jobs still running at shutdown were released to the queue');
    },

    async runDue() {
      let count = 0;
      for (;;) {
        const jobs = await claimJobs(deps.db, deps.engine, deps.lease, deps.concurrency);
        if (jobs.length === 0) return count;
        await Promise.all(jobs.map(execute));
        count += jobs.length;
      }
    },
  };
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
