import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Db, Engine } from '../db/database.js';
import type { Executor } from '../db/transaction.js';
import type { Kernel } from '../kernel.js';
import { type DeadJob, listDead, replay } from './dead-letters.js';
import { type EnqueueOptions, insertEvent, insertJob } from './enqueue.js';
import { type QueueDepth, queueDepth } from './queue-depth.js';
import { type ScheduledJob, syncSchedules, tickSchedules, validateSchedule } from './scheduler.js';
import type { JobHandler } from './types.js';
import { createWorker } from './worker.js';

export type { DeadJob, EnqueueOptions, QueueDepth, ScheduledJob };

/** Background work, the transactional outbox and cron schedules, shared by all processes through the database. */
export interface Jobs {
  /** Identifies this instance's claims in `jobs.locked_by`. */
  readonly workerId: string;
  /** Queues a job in the caller's transaction; null when `uniqueKey` is already taken. */
  enqueue(executor: Executor, name: string, payload: unknown, options?: EnqueueOptions): Promise<string | null>;
  /** Records an event and queues one job per subscriber, in the caller's transaction; returns the event id. */
  emit(executor: Executor, event: string, payload: unknown): Promise<string>;
  /** Runs the job loops and the scheduler (which first syncs the schedules) in this process. */
  start(): void;
  /**
   * Stops claiming and waits up to `timeoutMs` for running jobs; jobs still running then go back
   * to the queue and their signal is aborted.
   */
  stop(timeoutMs: number): Promise<void>;
  /** Claims and runs due jobs until none is left; returns how many ran (tests, CLI). */
  runDue(): Promise<number>;
  syncSchedules(): Promise<void>;
  /** Enqueues the schedules due at `now`; returns how many this call enqueued. */
  tickSchedules(now?: Date): Promise<number>;
  listDead(limit?: number): Promise<DeadJob[]>;
  replay(id: string): Promise<boolean>;
  queueDepth(): Promise<QueueDepth>;
}

export interface JobsOptions {
  db: Db;
  engine: Engine;
  log: Logger;
  handlers: Map<string, JobHandler>;
  /** Event name → names of the jobs that receive it. */
  subscribers: Map<string, string[]>;
  schedules: ScheduledJob[];
  /** How long a claim lasts without a heartbeat before another worker may take the job. */
  leaseSeconds: number;
  concurrency: number;
  pollMs: number;
  /** The kernel handed to jobs; a function because the kernel is built after its jobs. */
  contextKernel: () => Kernel;
  /** Delay before retrying after failed attempt `attempt` (default `backoffMs`); tests shorten it. */
  retryDelayMs?: (attempt: number) => number;
}

export function createJobs(options: JobsOptions): Jobs {
  const { db, handlers, subscribers, schedules } = options;
  validate(options);
  const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  let synced = false;
  // Syncing inside the scheduler loop rather than before it keeps start() synchronous, and a
  // database hiccup at boot is then retried like any failed tick.
  const schedulerStep = async () => {
    if (!synced) {
      await syncSchedules(db, schedules);
      synced = true;
    }
    await tickSchedules(db, schedules);
  };
  const worker = createWorker({ ...options, lease: { workerId, leaseSeconds: options.leaseSeconds }, tick: schedulerStep });

  return {
    workerId,
    enqueue(executor, name, payload, enqueueOptions) {
      if (!handlers.has(name)) return Promise.reject(new Error(`Cannot enqueue unknown job "${name}".`));
      return insertJob(executor, name, payload, enqueueOptions);
    },
    emit: (executor, event, payload) => insertEvent(executor, event, payload, subscribers.get(event) ?? []),
    start: () => worker.start(),
    stop: (timeoutMs) => worker.stop(timeoutMs),
    runDue: () => worker.runDue(),
    syncSchedules: () => syncSchedules(db, schedules),
    tickSchedules: (now) => tickSchedules(db, schedules, now),
    listDead: (limit = 100) => listDead(db, limit),
    replay: (id) => replay(db, id),
    queueDepth: () => queueDepth(db),
  };
}

/** Configuration mistakes surface at boot, naming what is wrong. */
function validate({ handlers, subscribers, schedules }: JobsOptions): void {
  for (const [event, jobNames] of subscribers) {
    for (const name of jobNames) {
      if (!handlers.has(name)) throw new Error(`Subscriber job "${name}" of event "${event}" has no handler.`);
    }
  }
  const seen = new Set<string>();
  for (const schedule of schedules) {
    if (seen.has(schedule.name)) throw new Error(`Schedule "${schedule.name}" is defined twice.`);
    seen.add(schedule.name);
    if (!handlers.has(schedule.jobName)) {
      throw new Error(`Schedule "${schedule.name}" runs job "${schedule.jobName}", which has no handler.`);
    }
    validateSchedule(schedule);
  }
}
