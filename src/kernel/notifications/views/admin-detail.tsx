import { formatDateTime } from '../../i18n/format.js';
import { Form, Notice } from '../../ui/components.js';
import type { ViewContext } from '../../ui/context.js';
import type { NotificationDetail } from '../back-office.js';
import { channelText, reasonText, statusText } from './labels.js';

/** One message: to whom, what it said, every status it went through, and a retry when it failed. */
export function NotificationDetailPage({
  ctx,
  detail,
  retryable,
  notice,
}: {
  ctx: ViewContext;
  detail: NotificationDetail;
  retryable: boolean;
  notice?: string;
}) {
  const t = ctx.t;
  const n = detail.notification;
  const when = (iso: string) => <time dateTime={iso}>{formatDateTime(ctx.lang, iso, ctx.city.timezone)}</time>;
  return (
    <>
      <h1>{t('notifications.detail.title', { subject: n.subject })}</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <dl>
        <dt>{t('notifications.fields.status')}</dt>
        <dd>
          {statusText(ctx, n.status)}
          {n.status.endsWith('failure') && n.last_error ? ` — ${reasonText(ctx, n.last_error)}` : ''}
        </dd>
        <dt>{t('notifications.fields.recipient')}</dt>
        <dd>
          {n.account_email ?? t('notifications.admin.noAccount')} ({n.account_id}){n.recipient ? ` — ${n.recipient}` : ''}
        </dd>
        <dt>{t('notifications.fields.channel')}</dt>
        <dd>{channelText(ctx, n.channel)}</dd>
        <dt>{t('notifications.fields.template')}</dt>
        <dd>{t('notifications.detail.templateVersion', { code: n.template_code, version: n.template_version })}</dd>
        <dt>{t('notifications.fields.language')}</dt>
        <dd>{n.language}</dd>
        <dt>{t('notifications.fields.attempts')}</dt>
        <dd>{n.attempts}</dd>
        {n.demand_id ? (
          <>
            <dt>{t('notifications.fields.demand')}</dt>
            <dd>{n.demand_id}</dd>
          </>
        ) : null}
        {n.retry_of ? (
          <>
            <dt>{t('notifications.detail.retryOf')}</dt>
            <dd>
              <a href={`/admin/notifications/${n.retry_of}`}>{n.retry_of}</a>
            </dd>
          </>
        ) : null}
      </dl>
      <h2>{t('notifications.detail.content')}</h2>
      <p>
        <strong>{n.subject}</strong>
      </p>
      <div class="prose">
        {n.body.split(/\n\s*\n/).map((p) => (
          <p key={p}>{p}</p>
        ))}
      </div>
      {n.link ? (
        <p>
          {t('notifications.detail.link')} <code>{n.link}</code>
        </p>
      ) : null}
      <table class="data-table">
        <caption>{t('notifications.detail.history')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('notifications.fields.at')}</th>
            <th scope="col">{t('notifications.fields.status')}</th>
            <th scope="col">{t('notifications.fields.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {detail.events.map((e) => (
            <tr key={e.id}>
              <td>{when(e.at)}</td>
              <td>{statusText(ctx, e.status)}</td>
              <td>
                <span class="break">{reasonText(ctx, e.detail)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {detail.retries.length ? (
        <>
          <h2>{t('notifications.detail.retries')}</h2>
          <ul>
            {detail.retries.map((r) => (
              <li key={r.id}>
                <a href={`/admin/notifications/${r.id}`}>{when(r.created_at)}</a> — {statusText(ctx, r.status)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {retryable ? (
        <Form ctx={ctx} action={`/admin/notifications/${n.id}/retry`}>
          <p class="hint">{t('notifications.detail.retryHint')}</p>
          <button type="submit">{t('notifications.detail.retry')}</button>
        </Form>
      ) : null}
      <p>
        <a href="/admin/notifications">{t('notifications.detail.back')}</a>
      </p>
    </>
  );
}
