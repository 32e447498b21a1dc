import { pruneRateLimits } from './http/rate-limit.js';
import { pruneTokens } from './identity/citizens/account-tokens.js';
import { pruneLoginStates } from './identity/oidc/states.js';
import { pruneSessions } from './identity/sessions.js';
import type { JobHandler, ScheduleDefinition } from './jobs/types.js';
import { SEND_MAIL_JOB, sendMailJob } from './mail/queue.js';

/** Housekeeping the kernel schedules for itself. */
export const kernelJobs: Record<string, JobHandler> = {
  'kernel:prune-rate-limits': async (_payload, { kernel }) => {
    await pruneRateLimits(kernel.db, new Date(Date.now() - 24 * 3600 * 1000));
  },
  'kernel:prune-pending-files': async (_payload, { kernel }) => {
    await kernel.files.deletePendingOlderThan(new Date(Date.now() - 24 * 3600 * 1000));
  },
  /** Ended sessions, old mailed-link tokens and abandoned OpenID Connect logins. */
  'kernel:prune-identity': async (_payload, { kernel }) => {
    await pruneSessions(kernel.db, kernel.config.identity);
    await pruneTokens(kernel.db);
    await pruneLoginStates(kernel.db);
  },
  [SEND_MAIL_JOB]: sendMailJob,
};

export const kernelSchedules: ScheduleDefinition[] = [
  { name: 'kernel:prune-rate-limits', cron: '17 * * * *', job: 'kernel:prune-rate-limits' },
  { name: 'kernel:prune-pending-files', cron: '23 3 * * *', job: 'kernel:prune-pending-files' },
  { name: 'kernel:prune-identity', cron: '37 * * * *', job: 'kernel:prune-identity' },
];
