import type { Executor } from '../db/transaction.js';
import type { JobHandler } from '../jobs/types.js';
import type { Kernel } from '../kernel.js';
import type { MailMessage } from './mailer.js';

export const SEND_MAIL_JOB = 'kernel:send-mail';

/**
 * Queues a mail in the caller's transaction: it goes out if and only if the change it tells about
 * commits, and a failing SMTP server only delays it (the job retries with backoff).
 */
export async function queueMail(kernel: Pick<Kernel, 'jobs'>, executor: Executor, message: MailMessage): Promise<void> {
  await kernel.jobs.enqueue(executor, SEND_MAIL_JOB, message);
}

export const sendMailJob: JobHandler<MailMessage> = async (message, { kernel }) => {
  await kernel.mailer.send(message);
};
