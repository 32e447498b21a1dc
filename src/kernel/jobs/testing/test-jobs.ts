import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import type { Database } from '../../db/database.js';
import { migrate } from '../../db/migrator.js';
import type { Kernel } from '../../kernel.js';
import { createJobs, type Jobs, type ScheduledJob } from '../jobs.js';
import { jobsMigrations } from '../migrations.js';
import type { JobHandler } from '../types.js';

/** An isolated database (engine chosen by CIVITAS_TEST_DB) with the jobs tables. */
export async function createJobsTestDatabase(): Promise<TestDatabase> {
  const testDb = await createTestDatabase();
  await migrate(testDb.database, [{ owner: 'kernel:jobs', migrations: jobsMigrations }]);
  return testDb;
}

export interface TestJobsOptions {
  handlers?: Record<string, JobHandler>;
  subscribers?: Record<string, string[]>;
  schedules?: ScheduledJob[];
  leaseSeconds?: number;
  concurrency?: number;
  pollMs?: number;
}

/** Jobs with a silent log and quick polling; handlers here need no kernel. */
export function createTestJobs(database: Database, options: TestJobsOptions = {}): Jobs {
  return createJobs({
    db: database.db,
    engine: database.engine,
    log: pino({ level: 'silent' }),
    handlers: new Map(Object.entries(options.handlers ?? {})),
    subscribers: new Map(Object.entries(options.subscribers ?? {})),
    schedules: options.schedules ?? [],
    leaseSeconds: options.leaseSeconds ?? 30,
    concurrency: options.concurrency ?? 4,
    pollMs: options.pollMs ?? 10,
    contextKernel: () => ({}) as Kernel,
  });
}
