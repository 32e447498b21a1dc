import type { Unit } from '../../identity/agents/unit-admin.js';
import type { FieldError } from '../../ui/components.js';
import { Form, Notice } from '../../ui/components.js';
import type { ViewContext } from '../../ui/context.js';
import type { Endpoint } from '../endpoints.js';
import { EndpointForm, type EndpointValues, type FormOptions } from './endpoint-form.js';

/** "Whole city", or the unit's name (its path if the unit is unknown to this page). */
export function unitLabel(ctx: ViewContext, units: Unit[], path: string | null): string {
  if (path === null) return ctx.t('admin.webhooks.fields.wholeCity');
  const unit = units.find((u) => u.path === path);
  return unit ? unit.name[ctx.lang] : path;
}

export function eventsLabel(ctx: ViewContext, events: string[]): string {
  return events.includes('*') ? ctx.t('admin.webhooks.allEvents') : events.join(', ');
}

export function EndpointsPage({
  ctx,
  endpoints,
  units,
  notice,
}: {
  ctx: ViewContext;
  endpoints: Endpoint[];
  units: Unit[];
  notice?: string;
}) {
  const t = ctx.t;
  return (
    <>
      <h1>{t('admin.webhooks.title')}</h1>
      <p class="lead">{t('admin.webhooks.lead')}</p>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <p>
        <a class="button" href="/admin/webhooks/new">
          {t('admin.webhooks.add')}
        </a>
      </p>
      {endpoints.length ? (
        <table class="data-table">
          <caption class="visually-hidden">{t('admin.webhooks.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.webhooks.list.url')}</th>
              <th scope="col">{t('admin.webhooks.list.module')}</th>
              <th scope="col">{t('admin.webhooks.list.unit')}</th>
              <th scope="col">{t('admin.webhooks.list.events')}</th>
              <th scope="col">{t('admin.webhooks.list.state')}</th>
            </tr>
          </thead>
          <tbody>
            {endpoints.map((e) => (
              <tr key={e.id}>
                <th scope="row">
                  <a class="break" href={`/admin/webhooks/${e.id}`}>
                    {e.url}
                  </a>
                  {e.description ? <div>{e.description}</div> : null}
                </th>
                <td>{e.module}</td>
                <td>{unitLabel(ctx, units, e.unitPath)}</td>
                <td>{eventsLabel(ctx, e.events)}</td>
                <td>{t(e.active ? 'admin.webhooks.active' : 'admin.webhooks.inactive')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('admin.webhooks.none')}</p>
      )}
    </>
  );
}

export function NewEndpointPage(props: { ctx: ViewContext; options: FormOptions; values: EndpointValues; errors: FieldError[] }) {
  const t = props.ctx.t;
  return (
    <>
      <h1>{t('admin.webhooks.new.title')}</h1>
      <EndpointForm {...props} action="/admin/webhooks" submit={t('admin.webhooks.new.submit')} />
      <p>
        <a href="/admin/webhooks">{t('admin.webhooks.back')}</a>
      </p>
    </>
  );
}

/** The secret, shown once after creation or rotation; the page answers a POST, so it is never in a URL. */
export function SecretPage({ ctx, id, secret, notice }: { ctx: ViewContext; id: string; secret: string; notice?: string }) {
  const t = ctx.t;
  return (
    <>
      <h1>{t('admin.webhooks.secret.title')}</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <p class="lead">{t('admin.webhooks.secret.lead')}</p>
      <h2>{t('admin.webhooks.secret.label')}</h2>
      <p>
        <code class="break" id="webhook-secret">
          {secret}
        </code>
      </p>
      <p>{t('admin.webhooks.secret.docs')}</p>
      <p>
        <a class="button" href={`/admin/webhooks/${id}`}>
          {t('admin.webhooks.secret.continue')}
        </a>
      </p>
    </>
  );
}

export function DeleteEndpointPage({ ctx, endpoint }: { ctx: ViewContext; endpoint: Endpoint }) {
  const t = ctx.t;
  return (
    <>
      <h1>{t('admin.webhooks.delete.title', { url: endpoint.url })}</h1>
      <p class="lead">{t('admin.webhooks.delete.lead')}</p>
      <Form ctx={ctx} action={`/admin/webhooks/${endpoint.id}/delete`}>
        <button type="submit">{t('admin.webhooks.delete.submit')}</button>
      </Form>
      <p>
        <a href={`/admin/webhooks/${endpoint.id}`}>{t('admin.webhooks.delete.cancel')}</a>
      </p>
    </>
  );
}
