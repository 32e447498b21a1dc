import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../../test/support/database.js';
import { inTransaction } from '../db/transaction.js';
import { createJobsTestDatabase, createTestJobs } from './testing/test-jobs.js';

let testDb: TestDatabase;
beforeEach(async () => {
  testDb = await createJobsTestDatabase();
});
afterEach(async () => {
  await testDb.drop();
});

describe('enqueue', () => {
  it('commits with the caller transaction, and disappears with its rollback', async () => {
    const { db } = testDb.database;
    const jobs = createTestJobs(testDb.database, { handlers: { mail: async () => {} } });
    await expect(
      inTransaction(db, async (trx) => {
        await jobs.enqueue(trx, 'mail', { to: 'a@example.org' });
        throw new Error('the domain write failed');
      }),
    ).rejects.toThrow('the domain write failed');
    expect(await db.selectFrom('jobs').selectAll().execute()).toEqual([]);

    const id = await inTransaction(db, (trx) => jobs.enqueue(trx, 'mail', { to: 'b@example.org' }));
    const row = await db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ id, name: 'mail', status: 'queued', attempts: 0, max_attempts: 8, payload: '{"to":"b@example.org"}' });
  });

  it('ignores a second job with the same unique key while the first exists', async () => {
    const { db } = testDb.database;
    const ran: unknown[] = [];
    const jobs = createTestJobs(testDb.database, { handlers: { digest: async (payload) => void ran.push(payload) } });
    const first = await jobs.enqueue(db, 'digest', { n: 1 }, { uniqueKey: 'digest:2030-01-01' });
    const second = await jobs.enqueue(db, 'digest', { n: 2 }, { uniqueKey: 'digest:2030-01-01' });
    expect(first).toEqual(expect.any(String));
    expect(second).toBeNull();
    expect(await jobs.runDue()).toBe(1);
    expect(ran).toEqual([{ n: 1 }]);
    // Done jobs are deleted, which frees their key.
    expect(await jobs.enqueue(db, 'digest', { n: 3 }, { uniqueKey: 'digest:2030-01-01' })).toEqual(expect.any(String));
  });

  it('waits for runAt', async () => {
    const { db } = testDb.database;
    const jobs = createTestJobs(testDb.database, { handlers: { later: async () => {} } });
    await jobs.enqueue(db, 'later', null, { runAt: new Date(Date.now() + 60_000) });
    expect(await jobs.runDue()).toBe(0);
    expect(await jobs.queueDepth()).toEqual({ queued: 1, running: 0, dead: 0 });
  });

  it('rejects a job name without handler', async () => {
    const jobs = createTestJobs(testDb.database, { handlers: { mail: async () => {} } });
    await expect(jobs.enqueue(testDb.database.db, 'mial', {})).rejects.toThrow('Cannot enqueue unknown job "mial".');
  });
});

describe('emit', () => {
  it('records the event and one job per subscriber, each run with the payload', async () => {
    const { db } = testDb.database;
    const received: string[] = [];
    const jobs = createTestJobs(testDb.database, {
      handlers: {
        'notify:on-created': async (payload: { caseId: string }) => void received.push(`notify ${payload.caseId}`),
        'stats:on-created': async (payload: { caseId: string }) => void received.push(`stats ${payload.caseId}`),
        'stats:on-closed': async () => void received.push('closed'),
      },
      subscribers: { 'case.created': ['notify:on-created', 'stats:on-created'], 'case.closed': ['stats:on-closed'] },
    });
    const eventId = await inTransaction(db, (trx) => jobs.emit(trx, 'case.created', { caseId: 'c1' }));

    const events = await db.selectFrom('events').selectAll().execute();
    expect(events).toEqual([{ id: eventId, name: 'case.created', payload: '{"caseId":"c1"}', created_at: expect.any(String) }]);
    const queued = await db.selectFrom('jobs').select(['name', 'payload']).orderBy('name').execute();
    expect(queued).toEqual([
      { name: 'notify:on-created', payload: '{"caseId":"c1"}' },
      { name: 'stats:on-created', payload: '{"caseId":"c1"}' },
    ]);
    expect(await jobs.runDue()).toBe(2);
    expect(received.sort()).toEqual(['notify c1', 'stats c1']);
  });

  it('emits nothing when the transaction rolls back', async () => {
    const { db } = testDb.database;
    const jobs = createTestJobs(testDb.database, { handlers: { sub: async () => {} }, subscribers: { ping: ['sub'] } });
    await expect(
      inTransaction(db, async (trx) => {
        await jobs.emit(trx, 'ping', {});
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await db.selectFrom('events').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('jobs').selectAll().execute()).toEqual([]);
  });

  it('records an event nobody subscribes to', async () => {
    const jobs = createTestJobs(testDb.database);
    await jobs.emit(testDb.database.db, 'nobody.listens', { x: 1 });
    expect(await testDb.database.db.selectFrom('events').select('name').execute()).toEqual([{ name: 'nobody.listens' }]);
    expect(await testDb.database.db.selectFrom('jobs').selectAll().execute()).toEqual([]);
  });
});

describe('createJobs', () => {
  it('refuses subscribers and schedules without handler, and invalid cron expressions', () => {
    expect(() => createTestJobs(testDb.database, { subscribers: { 'case.created': ['missing'] } })).toThrow(
      'Subscriber job "missing" of event "case.created" has no handler.',
    );
    const handlers = { digest: async () => {} };
    const schedule = { name: 'daily-digest', cron: '0 7 * * *', job: 'digest', jobName: 'digest' };
    expect(() => createTestJobs(testDb.database, { schedules: [schedule] })).toThrow(
      'Schedule "daily-digest" runs job "digest", which has no handler.',
    );
    expect(() => createTestJobs(testDb.database, { handlers, schedules: [{ ...schedule, cron: '0 25 * * *' }] })).toThrow(
      /^Schedule "daily-digest" has an invalid cron expression "0 25 \* \* \*"/,
    );
    expect(() => createTestJobs(testDb.database, { handlers, schedules: [{ ...schedule, timezone: 'Mars/Olympus' }] })).toThrow(
      /^Schedule "daily-digest" has an invalid cron expression "0 7 \* \* \*" or time zone "Mars\/Olympus"/,
    );
    expect(() => createTestJobs(testDb.database, { handlers, schedules: [schedule, schedule] })).toThrow(
      'Schedule "daily-digest" is defined twice.',
    );
    expect(() => createTestJobs(testDb.database, { handlers, schedules: [schedule] })).not.toThrow();
  });
});
