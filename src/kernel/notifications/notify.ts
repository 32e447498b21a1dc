import type { Executor } from '../db/transaction.js';
import { newId, nowIso } from '../db/values.js';
import type { Lang, Localized } from '../i18n/types.js';
import { safeNext } from '../identity/citizens/links.js';
import type { Kernel } from '../kernel.js';
import { DELIVER_JOB } from './deliver.js';
import type { NotificationsTable } from './migrations.js';
import { resolveRecipient } from './recipient.js';
import { MissingValuesError, renderText, type TemplateData } from './render.js';
import { advanceStatus, type Channel, recordEvent } from './status.js';
import { currentTemplate, type NotificationTemplateDefinition, resolveTemplate } from './templates.js';

export type NotifyData = Readonly<Record<string, string | number | Localized>>;

/** The values in one language: labels of states, categories… reach each person in their own. */
function inLanguage(data: NotifyData, lang: Lang): TemplateData {
  return Object.fromEntries(Object.entries(data).map(([name, value]) => [name, typeof value === 'object' ? value[lang] : value]));
}

export interface NotifyInput {
  accountId: string;
  /** A template code declared by an enabled module, or a definition passed in. */
  template: string | NotificationTemplateDefinition;
  /** A value for every placeholder the template's texts use; a `{ fr, en }` value is taken in the recipient's language. */
  data: NotifyData;
  demandId?: string;
  /** A path of this site the message points to ("/demands/…"). */
  link?: string;
  /** A subset of the template's channels; default all of them. The dashboard is always added. */
  channels?: Channel[];
}

/** A mistake of the caller (unknown template, missing value, bad link): nothing is recorded. */
export class NotifyError extends Error {
  override name = 'NotifyError';
}

/** Why a message could not even be tried, recorded as its permanent failure (message keys under notifications.reason). */
export type Undeliverable = 'unknown-account' | 'account-deleted' | 'no-email-address' | 'no-phone-number' | 'no-sms-provider';

type NewNotification = Omit<
  NotificationsTable,
  'id' | 'status' | 'attempts' | 'last_error' | 'job_id' | 'provider_ref' | 'created_at' | 'updated_at' | 'read_at'
>;

/**
 * Records a notification and its history in the caller's transaction: it is made (and sent, by a
 * job, after commit) if and only if the change it tells about commits. E-mail and SMS get a delivery
 * job; the dashboard is delivered at once; a message that cannot be tried is recorded as a
 * permanent failure with the reason, never dropped. Returns the id of each message.
 */
export async function notify(trx: Executor, kernel: Pick<Kernel, 'jobs' | 'config' | 'modules'>, input: NotifyInput): Promise<string[]> {
  const def = resolveTemplate(kernel, input.template);
  const requested = input.channels ?? def.channels;
  const foreign = requested.filter((c) => !def.channels.includes(c));
  if (foreign.length) throw new NotifyError(`Template "${def.code}" has no channel ${foreign.join(', ')}.`);
  if (input.link !== undefined && safeNext(input.link, '') !== input.link) {
    throw new NotifyError(`The link of a notification must be a path of this site, not "${input.link}".`);
  }

  const recipient = await resolveRecipient(trx, input.accountId, kernel.config.city.defaultLanguage);
  const template = await currentTemplate(trx, def);
  const text = template.contents[recipient.language];
  const channels: Channel[] = ['dashboard', ...requested.filter((c) => c !== 'dashboard')];
  const data = inLanguage(input.data, recipient.language);
  let subject: string;
  let body: string;
  let sms: string | undefined;
  try {
    subject = renderText(text.subject, data);
    body = renderText(text.body, data);
    sms = channels.includes('sms') && text.sms ? renderText(text.sms, data) : undefined;
  } catch (err) {
    if (err instanceof MissingValuesError) throw new NotifyError(`Template "${def.code}" version ${template.version}: ${err.message}`);
    throw err;
  }

  const ids: string[] = [];
  for (const channel of channels) {
    if (!recipient.unreachable && channel !== 'dashboard' && !recipient.accepts.includes(channel)) continue;
    const address = channel === 'email' ? recipient.email : channel === 'sms' ? recipient.phone : null;
    const row: NewNotification = {
      account_id: input.accountId,
      demand_id: input.demandId ?? null,
      template_code: def.code,
      template_version: template.version,
      channel,
      language: recipient.language,
      recipient: address,
      subject,
      body: channel === 'sms' ? (sms ?? body) : body,
      link: input.link ?? null,
      retry_of: null,
    };
    const problem: Undeliverable | null =
      recipient.unreachable ??
      (channel === 'email' && !address ? 'no-email-address' : null) ??
      (channel === 'sms' && !address ? 'no-phone-number' : null) ??
      (channel === 'sms' && !kernel.config.sms ? 'no-sms-provider' : null);
    ids.push(await recordNotification(trx, kernel, row, problem));
  }
  return ids;
}

/**
 * Inserts one message with its "created" event, then: a known failure is recorded at once, the
 * dashboard is delivered, e-mail and SMS get their delivery job.
 */
export async function recordNotification(
  trx: Executor,
  kernel: Pick<Kernel, 'jobs'>,
  row: NewNotification,
  problem: Undeliverable | null,
): Promise<string> {
  const id = newId();
  const now = nowIso();
  await trx
    .insertInto('notifications')
    .values({
      ...row,
      id,
      status: 'created',
      attempts: 0,
      last_error: null,
      job_id: null,
      provider_ref: null,
      created_at: now,
      updated_at: now,
      read_at: null,
    })
    .execute();
  await recordEvent(trx, id, 'created', now, null);
  if (problem) await advanceStatus(trx, id, 'permanent-failure', problem);
  else if (row.channel === 'dashboard') await advanceStatus(trx, id, 'delivered');
  else {
    const jobId = await kernel.jobs.enqueue(trx, DELIVER_JOB, { notificationId: id });
    await trx.updateTable('notifications').set({ job_id: jobId }).where('id', '=', id).execute();
  }
  return id;
}
