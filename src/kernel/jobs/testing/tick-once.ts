/**
 * Fixture process for the scheduler test: prints `ready`, waits for a line on stdin (so several
 * processes tick at the same moment), ticks the `digest` schedule at $AT and prints `enqueued <n>`.
 */
import { openFixtureDatabase, readStdinLine } from './fixture-database.js';
import { createTestJobs } from './test-jobs.js';

const database = openFixtureDatabase();
const jobs = createTestJobs(database, {
  handlers: { digest: async () => {} },
  schedules: [{ name: 'digest', cron: String(process.env.CRON), job: 'digest', jobName: 'digest' }],
});
process.stdout.write('ready\n');
await readStdinLine();
const enqueued = await jobs.tickSchedules(new Date(String(process.env.AT)));
process.stdout.write(`enqueued ${enqueued}\n`);
await database.close();
