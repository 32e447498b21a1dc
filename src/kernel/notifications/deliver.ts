import type { Lang } from '../i18n/types.js';
import { absoluteUrl } from '../identity/citizens/links.js';
import type { JobHandler } from '../jobs/types.js';
import type { Kernel } from '../kernel.js';
import { composeMail } from '../mail/compose.js';
import type { NotificationsTable } from './migrations.js';
import { SmsError, smsAdapterFor } from './sms.js';
import { advanceStatus, FINAL_STATUSES } from './status.js';

export const DELIVER_JOB = 'kernel:deliver-notification';

export interface Failure {
  permanent: boolean;
  reason: string;
}

/**
 * Whether trying again may help. SMTP answers 5xx (unknown mailbox, refused) are final, 4xx (mailbox
 * busy, greylisting) and network errors are not; nodemailer puts the server's code on `responseCode`.
 */
export function classifyFailure(err: unknown): Failure {
  if (err instanceof SmsError) return { permanent: err.permanent, reason: err.message };
  const e = err as { responseCode?: unknown; response?: unknown; code?: unknown; message?: unknown };
  const reason = typeof e?.response === 'string' ? e.response : String(e?.message ?? err);
  if (typeof e?.responseCode === 'number') return { permanent: e.responseCode >= 500, reason };
  // A message nodemailer refuses to send at all (no valid recipient) will never go.
  if (e?.code === 'EENVELOPE') return { permanent: true, reason };
  return { permanent: false, reason };
}

function mailOf(kernel: Kernel, row: NotificationsTable) {
  const lang = row.language as Lang;
  const t = kernel.i18n.translator(lang);
  const city = kernel.config.city.name[lang];
  return composeMail({
    to: row.recipient ?? '',
    lang,
    subject: row.subject,
    paragraphs: row.body
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter(Boolean),
    action: row.link ? { label: t('notifications.mail.open'), url: absoluteUrl(kernel.config, row.link) } : undefined,
    after: [t('notifications.mail.preferences', { url: absoluteUrl(kernel.config, '/account') })],
    signature: t('notifications.mail.signature', { city }),
  });
}

/** Sends the message; returns the SMS provider's reference and whether it is already delivered. */
async function send(kernel: Kernel, row: NotificationsTable): Promise<{ providerRef: string | null; delivered: boolean }> {
  if (row.channel === 'email') {
    await kernel.mailer.send(mailOf(kernel, row));
    return { providerRef: null, delivered: true };
  }
  const adapter = smsAdapterFor(kernel.config);
  if (!adapter) throw new SmsError('no-sms-provider', true);
  const accepted = await adapter.send({ to: row.recipient ?? '', text: row.body, reference: row.id });
  return { providerRef: accepted.providerRef, delivered: accepted.delivered };
}

/**
 * Delivers one e-mail or SMS: created → sending → delivered (an SMS may stay "sending" until the
 * provider's receipt). A temporary failure is recorded and thrown, so the job retries with backoff;
 * a permanent one, or a temporary one on the last attempt, ends the message as a permanent failure.
 */
export const deliverNotificationJob: JobHandler<{ notificationId: string }> = async ({ notificationId }, { kernel, job, log }) => {
  const row = await kernel.db.selectFrom('notifications').selectAll().where('id', '=', notificationId).executeTakeFirst();
  // Erased with its account, or finished already (a replayed job, a receipt that came first).
  if (!row || FINAL_STATUSES.includes(row.status)) return;
  if (!(await advanceStatus(kernel.db, row.id, 'sending', `attempt ${job.attempt}`))) return;
  try {
    const outcome = await send(kernel, row);
    if (outcome.providerRef) {
      await kernel.db.updateTable('notifications').set({ provider_ref: outcome.providerRef }).where('id', '=', row.id).execute();
    }
    if (outcome.delivered)
      await advanceStatus(kernel.db, row.id, 'delivered', row.channel === 'email' ? 'accepted by the mail server' : undefined);
  } catch (err) {
    const failure = classifyFailure(err);
    if (failure.permanent) {
      await advanceStatus(kernel.db, row.id, 'permanent-failure', failure.reason);
      return;
    }
    if (job.attempt >= job.maxAttempts) {
      await advanceStatus(kernel.db, row.id, 'permanent-failure', `gave up after ${job.attempt} attempts: ${failure.reason}`);
      return;
    }
    await advanceStatus(kernel.db, row.id, 'temporary-failure', failure.reason);
    log.warn({ notificationId, reason: failure.reason }, 'notification not delivered yet; it will be retried');
    throw err;
  }
};
