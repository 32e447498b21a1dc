import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../../test/support/database.js';
import type { Db } from '../db/database.js';
import { nowIso } from '../db/values.js';
import { createJobsTestDatabase, createTestJobs } from './testing/test-jobs.js';

let testDb: TestDatabase;
beforeEach(async () => {
  testDb = await createJobsTestDatabase();
});
afterEach(async () => {
  await testDb.drop();
});

/** Skips the backoff wait: makes every queued job due now. */
async function makeDue(db: Db): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ run_at: nowIso(new Date(Date.now() - 1)) })
    .where('status', '=', 'queued')
    .execute();
}

function secondsUntil(iso: string, from: number): number {
  return (Date.parse(iso) - from) / 1000;
}

describe('failures', () => {
  it('retries with growing backoff, dies after max attempts, and runs again when replayed', async () => {
    const { db } = testDb.database;
    const attempts: string[] = [];
    let failing = true;
    const jobs = createTestJobs(testDb.database, {
      handlers: {
        flaky: async (_payload, ctx) => {
          attempts.push(`${ctx.job.attempt}/${ctx.job.maxAttempts}`);
          if (failing) throw new Error(`partner API down (attempt ${ctx.job.attempt})`);
        },
      },
    });
    const id = (await jobs.enqueue(db, 'flaky', {}, { maxAttempts: 3 })) as string;

    let before = Date.now();
    expect(await jobs.runDue()).toBe(1);
    let row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'queued', attempts: 1, lease_until: null, locked_by: null });
    expect(row.last_error).toContain('partner API down (attempt 1)');
    // First retry after 1-2 s (2 s, half random); the job is not due before that.
    expect(secondsUntil(row.run_at, before)).toBeGreaterThanOrEqual(0.99);
    expect(secondsUntil(row.run_at, Date.now())).toBeLessThanOrEqual(2.01);
    expect(await jobs.runDue()).toBe(0);

    await makeDue(db);
    before = Date.now();
    expect(await jobs.runDue()).toBe(1);
    row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'queued', attempts: 2 });
    expect(secondsUntil(row.run_at, before)).toBeGreaterThanOrEqual(1.99);
    expect(secondsUntil(row.run_at, Date.now())).toBeLessThanOrEqual(4.01);

    await makeDue(db);
    expect(await jobs.runDue()).toBe(1);
    row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'dead', attempts: 3, lease_until: null, locked_by: null });
    expect(attempts).toEqual(['1/3', '2/3', '3/3']);

    await makeDue(db);
    expect(await jobs.runDue()).toBe(0);
    expect(await jobs.queueDepth()).toEqual({ queued: 0, running: 0, dead: 1 });
    const dead = await jobs.listDead(10);
    expect(dead).toEqual([
      expect.objectContaining({
        id,
        name: 'flaky',
        payload: {},
        attempts: 3,
        maxAttempts: 3,
        lastError: expect.stringContaining('attempt 3'),
      }),
    ]);

    failing = false;
    expect(await jobs.replay(id)).toBe(true);
    expect(await jobs.replay(id)).toBe(false);
    expect(await jobs.queueDepth()).toEqual({ queued: 1, running: 0, dead: 0 });
    expect(await jobs.runDue()).toBe(1);
    expect(attempts).toEqual(['1/3', '2/3', '3/3', '1/3']);
    expect(await db.selectFrom('jobs').selectAll().execute()).toEqual([]);
    expect(await jobs.replay('no-such-job')).toBe(false);
  });

  it('fails a job whose handler this process does not have, saying so', async () => {
    const { db } = testDb.database;
    const enqueuer = createTestJobs(testDb.database, { handlers: { 'reports:build': async () => {} } });
    const worker = createTestJobs(testDb.database, { handlers: {} });
    const id = (await enqueuer.enqueue(db, 'reports:build', {}, { maxAttempts: 1 })) as string;
    expect(await worker.runDue()).toBe(1);
    const [dead] = await worker.listDead(10);
    expect(dead?.id).toBe(id);
    expect(dead?.lastError).toContain('No handler for job "reports:build" in this process');
  });

  it('counts a handler that throws a non-Error', async () => {
    const jobs = createTestJobs(testDb.database, {
      handlers: {
        odd: async () => {
          throw 'plain string';
        },
      },
    });
    await jobs.enqueue(testDb.database.db, 'odd', null, { maxAttempts: 1 });
    await jobs.runDue();
    expect((await jobs.listDead(1))[0]?.lastError).toBe('plain string');
  });
});
