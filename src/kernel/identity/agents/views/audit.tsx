import { formatDateTime } from '../../../i18n/format.js';
import { ErrorSummary, type FieldError } from '../../../ui/components.js';
import type { ViewContext } from '../../../ui/context.js';
import { TextField } from '../../../ui/fields.js';
import type { AuditFilter, AuditRow } from '../audit-search.js';

/** The audit log: a search form (GET: a search changes nothing), the results newest first, and their CSV export. */
export function AuditPage(props: {
  ctx: ViewContext;
  values: Record<keyof AuditFilter, string>;
  rows: AuditRow[];
  errors: FieldError[];
  csvHref: string;
  olderHref?: string;
}) {
  const { ctx, values, errors } = props;
  const t = ctx.t;
  return (
    <>
      <h1>{t('admin.audit.title')}</h1>
      <form method="get" action="/admin/audit" class="search-form">
        <ErrorSummary ctx={ctx} errors={errors} />
        <TextField
          name="actor"
          label={t('admin.audit.actor')}
          hint={t('admin.audit.actorHint')}
          value={values.actor}
          maxLength={200}
          errors={errors}
        />
        <TextField
          name="action"
          label={t('admin.audit.action')}
          hint={t('admin.audit.actionHint')}
          value={values.action}
          maxLength={200}
          errors={errors}
        />
        <TextField
          name="resource"
          label={t('admin.audit.resource')}
          hint={t('admin.audit.resourceHint')}
          value={values.resource}
          maxLength={200}
          errors={errors}
        />
        <TextField name="from" type="date" label={t('admin.audit.from')} value={values.from} errors={errors} />
        <TextField name="to" type="date" label={t('admin.audit.to')} value={values.to} errors={errors} />
        <button type="submit">{t('admin.audit.search')}</button>
      </form>
      <p>
        <a href={props.csvHref} download>
          {t('admin.audit.export')}
        </a>
      </p>
      {props.rows.length ? (
        <table class="data-table">
          <caption>{t('admin.audit.results')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.audit.at')}</th>
              <th scope="col">{t('admin.audit.actor')}</th>
              <th scope="col">{t('admin.audit.action')}</th>
              <th scope="col">{t('admin.audit.resource')}</th>
              <th scope="col">{t('admin.fields.unit')}</th>
              <th scope="col">{t('admin.audit.ip')}</th>
              <th scope="col">{t('admin.audit.details')}</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <time dateTime={r.at}>{formatDateTime(ctx.lang, r.at, ctx.city.timezone)}</time>
                </td>
                <td>{r.actor_label}</td>
                <td>{r.action}</td>
                <td>{[r.resource_type, r.resource_id].filter(Boolean).join(' ')}</td>
                <td>{r.unit_code}</td>
                <td>{r.ip}</td>
                <td>
                  <code class="break">{r.details}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('admin.audit.none')}</p>
      )}
      {props.olderHref ? (
        <p>
          <a href={props.olderHref}>{t('admin.audit.older')}</a>
        </p>
      ) : null}
    </>
  );
}
