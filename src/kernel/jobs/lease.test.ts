import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../../test/support/database.js';
import { claimJobs } from './claim.js';
import { spawnFixture } from './testing/spawn-fixture.js';
import { createJobsTestDatabase, createTestJobs } from './testing/test-jobs.js';

let testDb: TestDatabase;
beforeEach(async () => {
  testDb = await createJobsTestDatabase();
});
afterEach(async () => {
  await testDb.drop();
});

describe('leases', () => {
  it('a job whose worker process is killed mid-job is run by another worker once the lease expires', async () => {
    const { db } = testDb.database;
    const attempts: number[] = [];
    const jobs = createTestJobs(testDb.database, {
      leaseSeconds: 1,
      handlers: { slow: async (_payload, ctx) => void attempts.push(ctx.job.attempt) },
    });
    const id = await jobs.enqueue(db, 'slow', { report: 2030 });

    const fixture = spawnFixture('./hang-on-job.ts', testDb, { LEASE_SECONDS: '1' });
    try {
      const [word, claimedId, childWorker] = (await fixture.nextLine()).split(' ');
      expect([word, claimedId]).toEqual(['running', id]);
      // The child's heartbeat keeps its 1 s lease alive while the job runs.
      await sleep(1_500);
      expect(await jobs.runDue()).toBe(0);
      const held = await db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
      expect(held).toMatchObject({ status: 'running', locked_by: childWorker, attempts: 1 });
      expect(Date.parse(held.lease_until as string)).toBeGreaterThan(Date.now());

      fixture.child.kill('SIGKILL');
      expect(await fixture.exited).toBe('SIGKILL');
    } finally {
      fixture.child.kill('SIGKILL');
    }

    await sleep(1_100);
    expect(await jobs.runDue()).toBe(1);
    expect(attempts).toEqual([2]);
    expect(await db.selectFrom('jobs').selectAll().execute()).toEqual([]);
  });

  it('a job that keeps killing its workers dies after its last attempt instead of running again', async () => {
    const { database } = testDb;
    let ran = false;
    const jobs = createTestJobs(database, {
      handlers: {
        'out-of-memory': async () => {
          ran = true;
        },
      },
    });
    const id = await jobs.enqueue(database.db, 'out-of-memory', {}, { maxAttempts: 1 });
    // A worker claims it and vanishes without recording anything.
    expect(await claimJobs(database.db, database.engine, { workerId: 'vanished', leaseSeconds: 1 }, 10)).toHaveLength(1);
    expect(await jobs.runDue()).toBe(0);

    await sleep(1_100);
    expect(await jobs.runDue()).toBe(1);
    expect(ran).toBe(false);
    const [dead] = await jobs.listDead(10);
    expect(dead).toMatchObject({ id, attempts: 2 });
    expect(dead?.lastError).toContain('The lease of the final attempt expired');
  });
});
