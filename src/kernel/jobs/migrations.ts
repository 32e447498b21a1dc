import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrator.js';

export type JobStatus = 'queued' | 'running' | 'dead';

/** A job waiting, running under a lease, or given up on (dead letter). A finished job is deleted. */
export interface JobsTable {
  id: string;
  name: string;
  /** JSON text. */
  payload: string;
  status: JobStatus;
  run_at: string;
  /** Claims so far, counting the running one. */
  attempts: number;
  max_attempts: number;
  /** A running job whose lease has passed is claimable again: its worker is presumed dead. */
  lease_until: string | null;
  locked_by: string | null;
  last_error: string | null;
  /** Unique among existing jobs only: once a job is done and deleted, its key can be used again. */
  unique_key: string | null;
  created_at: string;
  updated_at: string;
}

/** The outbox log: every event emitted, whatever its subscribers. */
export interface EventsTable {
  id: string;
  name: string;
  /** JSON text. */
  payload: string;
  created_at: string;
}

/** The next occurrence of each cron schedule, shared by all processes so each occurrence runs once. */
export interface SchedulesTable {
  name: string;
  cron: string;
  /** Part of the schedule's identity with `cron`: changing either recomputes `next_run_at`. */
  timezone: string;
  /** The job enqueued at each occurrence. */
  job: string;
  /** JSON text. */
  payload: string;
  next_run_at: string;
  updated_at: string;
}

declare module '../db/schema.js' {
  interface Tables {
    jobs: JobsTable;
    events: EventsTable;
    schedules: SchedulesTable;
  }
}

export const jobsMigrations: Record<string, Migration> = {
  '0001_jobs_events_schedules': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('run_at', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('lease_until', 'text')
        .addColumn('locked_by', 'text')
        .addColumn('last_error', 'text')
        .addColumn('unique_key', 'text', (c) => c.unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // Serves the claim query: queued jobs by due time, and running jobs by (expired) lease.
      await db.schema.createIndex('jobs_status_run_at').on('jobs').columns(['status', 'run_at']).execute();

      await db.schema
        .createTable('events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('schedules')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('cron', 'text', (c) => c.notNull())
        .addColumn('timezone', 'text', (c) => c.notNull())
        .addColumn('job', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('next_run_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
};
