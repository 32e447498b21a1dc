import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../../test/support/database.js';
import { createJobsTestDatabase, createTestJobs } from './testing/test-jobs.js';

let testDb: TestDatabase;
beforeEach(async () => {
  testDb = await createJobsTestDatabase();
});
afterEach(async () => {
  await testDb.drop();
});

/** A promise plus its resolver, to learn from inside a handler that it started. */
function signalled(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('stop', () => {
  it('waits for a running job to finish', async () => {
    const { db } = testDb.database;
    const started = signalled();
    let finished = false;
    const jobs = createTestJobs(testDb.database, {
      handlers: {
        export: async () => {
          started.resolve();
          await sleep(300);
          finished = true;
        },
      },
    });
    await jobs.enqueue(db, 'export', {});
    jobs.start();
    await started.promise;
    await jobs.stop(5_000);
    expect(finished).toBe(true);
    expect(await db.selectFrom('jobs').selectAll().execute()).toEqual([]);
  });

  it('after the timeout, gives still-running jobs back to the queue and aborts them', async () => {
    const { db } = testDb.database;
    const started = signalled();
    let signal: AbortSignal | undefined;
    const jobs = createTestJobs(testDb.database, {
      handlers: {
        stuck: async (_payload, ctx) => {
          signal = ctx.signal;
          started.resolve();
          await once(ctx.signal, 'abort');
          throw new Error('interrupted');
        },
      },
    });
    const id = await jobs.enqueue(db, 'stuck', {});
    jobs.start();
    await started.promise;
    await jobs.stop(100);
    expect(signal?.aborted).toBe(true);
    // Let the aborted handler throw: its failure must not count against the released job.
    await sleep(100);
    const row = await db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ id, status: 'queued', attempts: 0, lease_until: null, locked_by: null, last_error: null });

    // The next process picks it up at once.
    const next = createTestJobs(testDb.database, { handlers: { stuck: async () => {} } });
    expect(await next.runDue()).toBe(1);
  });

  it('stops claiming: jobs enqueued after stop stay queued', async () => {
    const { db } = testDb.database;
    const jobs = createTestJobs(testDb.database, { handlers: { noop: async () => {} } });
    jobs.start();
    await jobs.stop(1_000);
    await jobs.enqueue(db, 'noop', {});
    await sleep(100);
    expect(await jobs.queueDepth()).toEqual({ queued: 1, running: 0, dead: 0 });
  });
});
