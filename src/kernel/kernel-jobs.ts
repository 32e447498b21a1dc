import { EXPIRE_DRAFTS_JOB, expireDraftsJob } from './forms/drafts.js';
import { pruneRateLimits } from './http/rate-limit.js';
import { pruneTokens } from './identity/citizens/account-tokens.js';
import { pruneLoginStates } from './identity/oidc/states.js';
import { pruneSessions } from './identity/sessions.js';
import type { JobHandler, ScheduleDefinition } from './jobs/types.js';
import { SEND_MAIL_JOB, sendMailJob } from './mail/queue.js';
import { DELIVER_JOB, deliverNotificationJob } from './notifications/deliver.js';
import { SWEEP_JOB, sweepAbandoned } from './notifications/sweep.js';
import { deliverWebhookJob, WEBHOOK_DELIVERY_JOB } from './webhooks/deliver.js';
import { PRUNE_WEBHOOKS_JOB, pruneWebhooks } from './webhooks/prune.js';
import { WORKFLOW_TIMER_JOB, workflowTimerJob } from './workflow/transition.js';

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
  [EXPIRE_DRAFTS_JOB]: expireDraftsJob,
  [DELIVER_JOB]: deliverNotificationJob,
  /** Notifications whose delivery job gave up without recording it, so none stays "sending" for ever. */
  [SWEEP_JOB]: async (_payload, { kernel, log }) => {
    const ended = await sweepAbandoned(kernel.db);
    if (ended) log.warn({ ended }, 'abandoned notifications marked as permanent failures');
  },
  [WEBHOOK_DELIVERY_JOB]: deliverWebhookJob(),
  [PRUNE_WEBHOOKS_JOB]: async (_payload, { kernel }) => {
    await pruneWebhooks(kernel.db);
  },
  [WORKFLOW_TIMER_JOB]: (payload, { kernel }) => workflowTimerJob(payload, kernel),
};

export const kernelSchedules: ScheduleDefinition[] = [
  { name: 'kernel:prune-rate-limits', cron: '17 * * * *', job: 'kernel:prune-rate-limits' },
  { name: 'kernel:prune-pending-files', cron: '23 3 * * *', job: 'kernel:prune-pending-files' },
  { name: EXPIRE_DRAFTS_JOB, cron: '13 3 * * *', job: EXPIRE_DRAFTS_JOB },
  { name: 'kernel:prune-identity', cron: '37 * * * *', job: 'kernel:prune-identity' },
  { name: SWEEP_JOB, cron: '*/5 * * * *', job: SWEEP_JOB },
  { name: PRUNE_WEBHOOKS_JOB, cron: '47 3 * * *', job: PRUNE_WEBHOOKS_JOB },
];
