import { formatDateTime } from '../../i18n/format.js';
import type { Unit } from '../../identity/agents/unit-admin.js';
import { type FieldError, Form, Notice } from '../../ui/components.js';
import type { ViewContext } from '../../ui/context.js';
import type { DeliveryLogEntry } from '../deliveries.js';
import type { Endpoint } from '../endpoints.js';
import { EndpointForm, type EndpointValues, type FormOptions } from './endpoint-form.js';
import { eventsLabel, unitLabel } from './endpoints.js';

export interface EndpointPageProps {
  ctx: ViewContext;
  endpoint: Endpoint;
  units: Unit[];
  options: FormOptions;
  values: EndpointValues;
  errors: FieldError[];
  log: { entries: DeliveryLogEntry[]; more: boolean; paged: boolean };
  notice?: string;
}

/** One endpoint: what it receives, its settings, its secret, and the log of its deliveries. */
export function EndpointPage(props: EndpointPageProps) {
  const { ctx, endpoint } = props;
  const t = ctx.t;
  return (
    <>
      <h1 class="break">{t('admin.webhooks.endpoint.title', { url: endpoint.url })}</h1>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      <p>
        {endpoint.module} · {unitLabel(ctx, props.units, endpoint.unitPath)} · {eventsLabel(ctx, endpoint.events)} ·{' '}
        {t(endpoint.active ? 'admin.webhooks.active' : 'admin.webhooks.inactive')}
      </p>
      <DeliveryLog ctx={ctx} endpoint={endpoint} log={props.log} />

      <h2 id="edit">{t('admin.webhooks.endpoint.edit')}</h2>
      <EndpointForm
        ctx={ctx}
        action={`/admin/webhooks/${endpoint.id}`}
        submit={t('admin.webhooks.endpoint.save')}
        options={props.options}
        values={props.values}
        errors={props.errors}
      />

      <h2>{t('admin.webhooks.endpoint.rotate')}</h2>
      <p>{t('admin.webhooks.endpoint.rotateLead')}</p>
      <Form ctx={ctx} action={`/admin/webhooks/${endpoint.id}/secret`}>
        <button type="submit" class="secondary">
          {t('admin.webhooks.endpoint.rotateSubmit')}
        </button>
      </Form>

      <p>
        <a href={`/admin/webhooks/${endpoint.id}/delete`}>{t('admin.webhooks.endpoint.delete')}</a>
      </p>
      <p>
        <a href="/admin/webhooks">{t('admin.webhooks.back')}</a>
      </p>
    </>
  );
}

function DeliveryLog({ ctx, endpoint, log }: { ctx: ViewContext; endpoint: Endpoint; log: EndpointPageProps['log'] }) {
  const t = ctx.t;
  const time = (iso: string) => formatDateTime(ctx.lang, iso, ctx.city.timezone);
  const last = log.entries.at(-1);
  return (
    <section aria-labelledby="log">
      <h2 id="log">{t('admin.webhooks.log.title')}</h2>
      {log.entries.length ? (
        <table class="data-table">
          <caption class="visually-hidden">{t('admin.webhooks.log.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.webhooks.log.created')}</th>
              <th scope="col">{t('admin.webhooks.log.event')}</th>
              <th scope="col">{t('admin.webhooks.log.status')}</th>
              <th scope="col">{t('admin.webhooks.log.lastAnswer')}</th>
              <th scope="col">{t('admin.webhooks.log.times')}</th>
              <th scope="col">{t('admin.webhooks.log.payload')}</th>
            </tr>
          </thead>
          <tbody>
            {log.entries.map((d) => (
              <tr key={d.id} id={`delivery-${d.id}`}>
                <th scope="row">{time(d.createdAt)}</th>
                <td>
                  {d.event}
                  {d.subject ? <div class="break">{d.subject}</div> : null}
                </td>
                <td>
                  {t(`admin.webhooks.status.${d.status}`)}
                  <div>{t('admin.webhooks.log.attempts', { count: String(d.attempts), max: String(d.maxAttempts) })}</div>
                  {d.redeliveryOf ? <div>{t('admin.webhooks.log.redelivery')}</div> : null}
                  {d.status === 'failed' && endpoint.active ? (
                    <Form ctx={ctx} action={`/admin/webhooks/${endpoint.id}/deliveries/${d.id}/retry`}>
                      <button type="submit" class="secondary">
                        {t('admin.webhooks.log.retry')}
                        <span class="visually-hidden"> {d.event}</span>
                      </button>
                    </Form>
                  ) : null}
                </td>
                <td class="break">
                  {d.lastError ??
                    (d.lastHttpStatus !== null ? t('admin.webhooks.log.httpStatus', { status: String(d.lastHttpStatus) }) : null)}
                </td>
                <td>
                  {d.deliveredAt ? <div>{t('admin.webhooks.log.deliveredAt', { time: time(d.deliveredAt) })}</div> : null}
                  {d.lastAttemptAt && !d.deliveredAt ? (
                    <div>{t('admin.webhooks.log.lastAttempt', { time: time(d.lastAttemptAt) })}</div>
                  ) : null}
                  {d.nextAttemptAt ? <div>{t('admin.webhooks.log.nextAttempt', { time: time(d.nextAttemptAt) })}</div> : null}
                </td>
                <td>
                  <code class="break">{d.excerpt}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('admin.webhooks.log.none')}</p>
      )}
      <p>
        {log.paged ? <a href={`/admin/webhooks/${endpoint.id}#log`}>{t('admin.webhooks.log.newest')}</a> : null}
        {log.paged && log.more ? ' · ' : null}
        {log.more && last ? <a href={`/admin/webhooks/${endpoint.id}?before=${last.id}#log`}>{t('admin.webhooks.log.older')}</a> : null}
      </p>
    </section>
  );
}
