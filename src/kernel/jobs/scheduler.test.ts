import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../../test/support/database.js';
import type { Db } from '../db/database.js';
import { type ScheduledJob, syncSchedules } from './scheduler.js';
import { spawnFixture } from './testing/spawn-fixture.js';
import { createJobsTestDatabase, createTestJobs } from './testing/test-jobs.js';

let testDb: TestDatabase;
beforeEach(async () => {
  testDb = await createJobsTestDatabase();
});
afterEach(async () => {
  await testDb.drop();
});

const hourly: ScheduledJob = { name: 'digest', cron: '0 * * * *', job: 'digest', jobName: 'digest', payload: { kind: 'hourly' } };
const handlers = { digest: async () => {}, cleanup: async () => {} };

function scheduleRows(db: Db) {
  return db.selectFrom('schedules').select(['name', 'cron', 'timezone', 'job', 'payload', 'next_run_at']).orderBy('name').execute();
}

describe('syncSchedules', () => {
  it('adds, keeps, reschedules and removes schedule rows', async () => {
    const { db } = testDb.database;
    const cleanup: ScheduledJob = { name: 'cleanup', cron: '30 3 * * *', timezone: 'Europe/Paris', job: 'cleanup', jobName: 'cleanup' };
    await syncSchedules(db, [hourly, cleanup], new Date('2030-01-01T09:30:00.000Z'));
    expect(await scheduleRows(db)).toEqual([
      {
        name: 'cleanup',
        cron: '30 3 * * *',
        timezone: 'Europe/Paris',
        job: 'cleanup',
        payload: 'null',
        next_run_at: '2030-01-02T02:30:00.000Z',
      },
      {
        name: 'digest',
        cron: '0 * * * *',
        timezone: 'UTC',
        job: 'digest',
        payload: '{"kind":"hourly"}',
        next_run_at: '2030-01-01T10:00:00.000Z',
      },
    ]);

    // Same cron: the pending occurrence is kept even though a later boot computes a later one.
    await syncSchedules(db, [{ ...hourly, payload: { kind: 'v2' } }, cleanup], new Date('2030-01-01T12:30:00.000Z'));
    expect((await scheduleRows(db))[1]).toMatchObject({ payload: '{"kind":"v2"}', next_run_at: '2030-01-01T10:00:00.000Z' });

    // Changed cron or time zone: the next occurrence follows the new definition.
    await syncSchedules(
      db,
      [
        { ...hourly, cron: '15 * * * *' },
        { ...cleanup, timezone: 'UTC' },
      ],
      new Date('2030-01-01T12:30:00.000Z'),
    );
    expect((await scheduleRows(db)).map((r) => [r.name, r.next_run_at])).toEqual([
      ['cleanup', '2030-01-02T03:30:00.000Z'],
      ['digest', '2030-01-01T13:15:00.000Z'],
    ]);

    await syncSchedules(db, [cleanup]);
    expect((await scheduleRows(db)).map((r) => r.name)).toEqual(['cleanup']);
    await syncSchedules(db, []);
    expect(await scheduleRows(db)).toEqual([]);
  });
});

describe('tickSchedules', () => {
  it('enqueues each occurrence once, and a backlog of missed occurrences once', async () => {
    const { db } = testDb.database;
    const jobs = createTestJobs(testDb.database, { handlers, schedules: [hourly] });
    await syncSchedules(db, [hourly], new Date('2030-01-01T09:30:00.000Z'));

    expect(await jobs.tickSchedules(new Date('2030-01-01T09:59:59.999Z'))).toBe(0);
    expect(await jobs.tickSchedules(new Date('2030-01-01T10:00:00.000Z'))).toBe(1);
    expect(await jobs.tickSchedules(new Date('2030-01-01T10:00:30.000Z'))).toBe(0);
    expect(await db.selectFrom('jobs').select(['name', 'payload', 'unique_key']).execute()).toEqual([
      { name: 'digest', payload: '{"kind":"hourly"}', unique_key: 'schedule:digest:2030-01-01T10:00:00.000Z' },
    ]);
    expect((await scheduleRows(db))[0]?.next_run_at).toBe('2030-01-01T11:00:00.000Z');

    // Down for two days: one run for the backlog, then the next future occurrence.
    expect(await jobs.tickSchedules(new Date('2030-01-03T11:20:00.000Z'))).toBe(1);
    expect(await jobs.tickSchedules(new Date('2030-01-03T11:40:00.000Z'))).toBe(0);
    expect((await scheduleRows(db))[0]?.next_run_at).toBe('2030-01-03T12:00:00.000Z');
    expect(await jobs.queueDepth()).toEqual({ queued: 2, running: 0, dead: 0 });
  });

  it('leaves alone schedules this process does not define', async () => {
    const { db } = testDb.database;
    await syncSchedules(db, [hourly], new Date('2030-01-01T09:30:00.000Z'));
    const other = createTestJobs(testDb.database, { handlers });
    expect(await other.tickSchedules(new Date('2030-01-01T10:00:00.000Z'))).toBe(0);
    expect((await scheduleRows(db))[0]?.next_run_at).toBe('2030-01-01T10:00:00.000Z');
  });

  it('start() syncs the schedules and ticks them', async () => {
    const everySecond: ScheduledJob = { name: 'pulse', cron: '* * * * * *', job: 'pulse', jobName: 'pulse' };
    let pulses = 0;
    const jobs = createTestJobs(testDb.database, {
      handlers: {
        pulse: async () => {
          pulses += 1;
        },
      },
      schedules: [everySecond],
    });
    jobs.start();
    const deadline = Date.now() + 5_000;
    while (pulses < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await jobs.stop(1_000);
    expect(pulses).toBeGreaterThanOrEqual(2);
  });

  it('several processes ticking the same due schedule at once enqueue it exactly once', async () => {
    const { db } = testDb.database;
    await syncSchedules(db, [hourly]);
    const [row] = await scheduleRows(db);
    const due = row?.next_run_at as string;
    const at = new Date(Date.parse(due) + 60_000).toISOString();

    const fixtures = Array.from({ length: 4 }, () => spawnFixture('./tick-once.ts', testDb, { CRON: hourly.cron, AT: at }));
    try {
      for (const fixture of fixtures) expect(await fixture.nextLine()).toBe('ready');
      for (const fixture of fixtures) fixture.send('go');
      const results = await Promise.all(fixtures.map((f) => f.nextLine()));
      expect(results.sort()).toEqual(['enqueued 0', 'enqueued 0', 'enqueued 0', 'enqueued 1']);
      expect(await Promise.all(fixtures.map((f) => f.exited))).toEqual([0, 0, 0, 0]);
    } finally {
      for (const fixture of fixtures) fixture.child.kill('SIGKILL');
    }
    expect(await db.selectFrom('jobs').select('unique_key').execute()).toEqual([{ unique_key: `schedule:digest:${due}` }]);
    expect(Date.parse((await scheduleRows(db))[0]?.next_run_at as string)).toBe(Date.parse(due) + 3_600_000);
  });
});
