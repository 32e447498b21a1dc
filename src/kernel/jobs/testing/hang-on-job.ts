/**
 * Fixture process for the lease test: claims the `slow` job, prints `running <job id> <worker id>`
 * and keeps it (heartbeat included) until the test kills it with SIGKILL.
 */
import { openFixtureDatabase } from './fixture-database.js';
import { createTestJobs } from './test-jobs.js';

const database = openFixtureDatabase();
const jobs = createTestJobs(database, {
  leaseSeconds: Number(process.env.LEASE_SECONDS),
  concurrency: 1,
  handlers: {
    slow: async (_payload, ctx) => {
      process.stdout.write(`running ${ctx.job.id} ${jobs.workerId}\n`);
      await new Promise<never>(() => {});
    },
  },
});
jobs.start();
