import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../../test/support/database.js';
import { type Database, openDatabase } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { createJobsTestDatabase, createTestJobs } from './testing/test-jobs.js';

let testDb: TestDatabase;
let second: Database;
beforeEach(async () => {
  testDb = await createJobsTestDatabase();
  second = openDatabase({ url: testDb.url, sqliteFile: testDb.sqliteFile, schema: testDb.schema, poolSize: 5 });
});
afterEach(async () => {
  await second.close();
  await testDb.drop();
});

describe('two workers on separate connections', () => {
  it('run each of 200 jobs exactly once', async () => {
    const runs = new Map<string, number>();
    const perWorker = { a: 0, b: 0 };
    const workerOn = (database: Database, label: 'a' | 'b') =>
      createTestJobs(database, {
        concurrency: 4,
        handlers: {
          record: async (_payload, ctx) => {
            runs.set(ctx.job.id, (runs.get(ctx.job.id) ?? 0) + 1);
            perWorker[label] += 1;
            await sleep(1);
          },
        },
      });
    const a = workerOn(testDb.database, 'a');
    const b = workerOn(second, 'b');
    const ids = await inTransaction(testDb.database.db, async (trx) => {
      const created: string[] = [];
      for (let i = 0; i < 200; i++) created.push((await a.enqueue(trx, 'record', { i })) as string);
      return created;
    });

    a.start();
    b.start();
    const deadline = Date.now() + 20_000;
    while (runs.size < 200 && Date.now() < deadline) await sleep(20);
    await Promise.all([a.stop(5_000), b.stop(5_000)]);

    expect([...runs.keys()].sort()).toEqual([...ids].sort());
    expect([...runs].filter(([, count]) => count !== 1)).toEqual([]);
    expect(perWorker.a + perWorker.b).toBe(200);
    expect(perWorker.a).toBeGreaterThan(0);
    expect(perWorker.b).toBeGreaterThan(0);
    expect(await a.queueDepth()).toEqual({ queued: 0, running: 0, dead: 0 });
  });
});
