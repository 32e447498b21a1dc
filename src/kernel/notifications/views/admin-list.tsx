import { formatDateTime, formatNumber } from '../../i18n/format.js';
import { ErrorSummary, type FieldError, Notice } from '../../ui/components.js';
import type { ViewContext } from '../../ui/context.js';
import { SelectField, TextField } from '../../ui/fields.js';
import type { NotificationRow } from '../back-office.js';
import { CHANNELS, type NotificationStatus, STATUSES } from '../status.js';
import { channelText, reasonText, statusText } from './labels.js';

export interface FilterValues {
  status: string;
  channel: string;
  template: string;
  email: string;
}

/** Failures first in the summary: they are what an agent opens this page for. */
const SUMMARY_ORDER: NotificationStatus[] = ['permanent-failure', 'temporary-failure', 'sending', 'created', 'delivered'];

export function hrefWith(values: FilterValues, extra: Record<string, string>): string {
  const params = new URLSearchParams(Object.entries({ ...values, ...extra }).filter(([, v]) => v !== ''));
  const text = params.toString();
  return `/admin/notifications${text ? `?${text}` : ''}`;
}

/** Every message sent to residents, filtered, with undeliverable ones counted first and their reason in the list. */
export function NotificationsPage(props: {
  ctx: ViewContext;
  values: FilterValues;
  errors: FieldError[];
  counts: Record<NotificationStatus, number>;
  templates: string[];
  rows: NotificationRow[];
  olderHref?: string;
  notice?: string;
}) {
  const { ctx, values, errors, counts } = props;
  const t = ctx.t;
  const failed = counts['permanent-failure'];
  return (
    <>
      <h1>{t('notifications.admin.title')}</h1>
      <p class="lead">{t('notifications.admin.lead')}</p>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      {failed ? (
        <div class="error-summary" role="status">
          <h2>{t('notifications.admin.undeliverable', { count: formatNumber(ctx.lang, failed) })}</h2>
          <p>
            <a href={hrefWith({ status: 'permanent-failure', channel: '', template: '', email: '' }, {})}>
              {t('notifications.admin.showUndeliverable')}
            </a>
          </p>
        </div>
      ) : null}
      <table class="data-table">
        <caption>{t('notifications.admin.byStatus')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('notifications.fields.status')}</th>
            <th scope="col">{t('notifications.admin.count')}</th>
          </tr>
        </thead>
        <tbody>
          {SUMMARY_ORDER.map((s) => (
            <tr key={s}>
              <th scope="row">
                <a href={hrefWith({ ...values, status: s }, {})}>{statusText(ctx, s)}</a>
              </th>
              <td>{formatNumber(ctx.lang, counts[s])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a href="/admin/notifications/templates">{t('notifications.templates.title')}</a>
      </p>
      <form method="get" action="/admin/notifications" class="search-form">
        <ErrorSummary ctx={ctx} errors={errors} />
        <SelectField
          name="status"
          label={t('notifications.fields.status')}
          empty={t('notifications.admin.any')}
          value={values.status}
          choices={STATUSES.map((s) => ({ value: s, label: statusText(ctx, s) }))}
          errors={errors}
        />
        <SelectField
          name="channel"
          label={t('notifications.fields.channel')}
          empty={t('notifications.admin.any')}
          value={values.channel}
          choices={CHANNELS.map((c) => ({ value: c, label: channelText(ctx, c) }))}
          errors={errors}
        />
        <SelectField
          name="template"
          label={t('notifications.fields.template')}
          empty={t('notifications.admin.any')}
          value={values.template}
          choices={props.templates.map((code) => ({ value: code, label: code }))}
          errors={errors}
        />
        <TextField
          name="email"
          type="email"
          label={t('notifications.fields.email')}
          hint={t('notifications.admin.emailHint')}
          value={values.email}
          maxLength={254}
          errors={errors}
        />
        <button type="submit">{t('notifications.admin.filter')}</button>
      </form>
      {props.rows.length ? (
        <table class="data-table">
          <caption>{t('notifications.admin.results')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('notifications.fields.createdAt')}</th>
              <th scope="col">{t('notifications.fields.recipient')}</th>
              <th scope="col">{t('notifications.fields.template')}</th>
              <th scope="col">{t('notifications.fields.channel')}</th>
              <th scope="col">{t('notifications.fields.status')}</th>
              <th scope="col">{t('notifications.fields.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((n) => (
              <tr key={n.id}>
                <td>
                  <a href={`/admin/notifications/${n.id}`}>
                    <time dateTime={n.created_at}>{formatDateTime(ctx.lang, n.created_at, ctx.city.timezone)}</time>
                  </a>
                </td>
                <td>
                  {n.account_email ?? t('notifications.admin.noAccount')}
                  {n.recipient && n.recipient !== n.account_email ? (
                    <>
                      <br />
                      {n.recipient}
                    </>
                  ) : null}
                </td>
                <td>{n.template_code}</td>
                <td>{channelText(ctx, n.channel)}</td>
                <td>{n.status === 'permanent-failure' ? <strong>{statusText(ctx, n.status)}</strong> : statusText(ctx, n.status)}</td>
                <td>{n.status.endsWith('failure') ? reasonText(ctx, n.last_error) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('notifications.admin.none')}</p>
      )}
      {props.olderHref ? (
        <p>
          <a href={props.olderHref}>{t('notifications.admin.older')}</a>
        </p>
      ) : null}
    </>
  );
}
