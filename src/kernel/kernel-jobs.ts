import { pruneRateLimits } from './http/rate-limit.js';
import type { JobHandler, ScheduleDefinition } from './jobs/types.js';

/** Housekeeping the kernel schedules for itself. */
export const kernelJobs: Record<string, JobHandler> = {
  'kernel:prune-rate-limits': async (_payload, { kernel }) => {
    await pruneRateLimits(kernel.db, new Date(Date.now() - 24 * 3600 * 1000));
  },
  'kernel:prune-pending-files': async (_payload, { kernel }) => {
    await kernel.files.deletePendingOlderThan(new Date(Date.now() - 24 * 3600 * 1000));
  },
};

export const kernelSchedules: ScheduleDefinition[] = [
  { name: 'kernel:prune-rate-limits', cron: '17 * * * *', job: 'kernel:prune-rate-limits' },
  { name: 'kernel:prune-pending-files', cron: '23 3 * * *', job: 'kernel:prune-pending-files' },
];
