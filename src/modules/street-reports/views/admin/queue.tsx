import { formatDateTime } from '../../../../kernel/i18n/format.js';
import type { Kernel } from '../../../../kernel/kernel.js';
import { Form, Notice } from '../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import type { MassResult } from '../../../../kernel/workflow/mass.js';
import { MassActions } from '../../../../kernel/workflow/views/mass-actions.js';
import type { CategoryTree } from '../../domain/categories.js';
import { filterQuery, type QueueFilter, type QueueRow } from '../../domain/queue.js';
import { QueueFilters } from './filters.js';
import type { Names } from './labels.js';
import { DistrictMap } from './map.js';

export const STYLESHEET = '/admin/reports/back-office.css';

export function Stylesheet() {
  return <link rel="stylesheet" href={STYLESHEET} />;
}

function ViewSwitch({ ctx, filter, view }: { ctx: ViewContext; filter: QueueFilter; view: 'list' | 'map' }) {
  const t = ctx.t;
  const link = (v: 'list' | 'map') => `/admin/reports?${filterQuery(filter, { view: v })}`;
  return (
    <nav class="view-switch" aria-label={t('street-reports.admin.queue.views')}>
      <ul>
        <li>
          <a href={link('list')} aria-current={view === 'list' ? 'page' : undefined}>
            {t('street-reports.admin.queue.list')}
          </a>
        </li>
        <li>
          <a href={link('map')} aria-current={view === 'map' ? 'page' : undefined}>
            {t('street-reports.admin.queue.map')}
          </a>
        </li>
      </ul>
    </nav>
  );
}

function Tools({ ctx, filter }: { ctx: ViewContext; filter: QueueFilter }) {
  const t = ctx.t;
  const q = filterQuery(filter);
  const suffix = q ? `?${q}` : '';
  return (
    <ul class="report-tools">
      <li>
        <a href={`/admin/reports/route-sheet${suffix}`}>{t('street-reports.admin.queue.routeSheet')}</a>
      </li>
      <li>
        <a href={`/admin/reports/dashboard${suffix}`}>{t('street-reports.admin.dashboard.title')}</a>
      </li>
      <li>
        <a href={`/admin/reports/export.csv${suffix}`}>{t('street-reports.admin.export.csv')}</a>
      </li>
      <li>
        <a href={`/admin/reports/export.xlsx${suffix}`}>{t('street-reports.admin.export.xlsx')}</a>
      </li>
      <li>
        <a href={`/admin/reports/export.geojson${suffix}`}>{t('street-reports.admin.export.geojson')}</a>
      </li>
      <li>
        <a href="/admin/reports/templates">{t('street-reports.admin.templates.title')}</a>
      </li>
    </ul>
  );
}

/** The queue of the agent's units: filters, list (with bulk actions) or map, keyset pages. */
export function QueuePage(props: {
  ctx: ViewContext;
  kernel: Kernel;
  categories: CategoryTree;
  names: Names;
  filter: QueueFilter;
  view: 'list' | 'map';
  rows: QueueRow[];
  next: string | null;
  paged: boolean;
  massActions: [string, string][];
  notice?: string;
}) {
  const { ctx, filter, names, rows } = props;
  const t = ctx.t;
  const tz = ctx.city.timezone;
  const here = `/admin/reports?${filterQuery(filter, { view: props.view })}`;
  return (
    <>
      <Stylesheet />
      <h1>{t('street-reports.admin.queue.title')}</h1>
      <p class="lead">{t('street-reports.admin.queue.lead')}</p>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      <QueueFilters
        ctx={ctx}
        kernel={props.kernel}
        categories={props.categories}
        filter={filter}
        action="/admin/reports"
        view={props.view}
        withSort
      />
      <ViewSwitch ctx={ctx} filter={filter} view={props.view} />
      <Tools ctx={ctx} filter={filter} />
      {rows.length === 0 ? (
        <p>{t('street-reports.admin.queue.none')}</p>
      ) : props.view === 'map' ? (
        <div class="map-frame">
          <DistrictMap
            kernel={props.kernel}
            id="queue-map"
            title={t('street-reports.admin.queue.mapTitle', { count: rows.length })}
            points={rows.map((r) => ({ lat: r.lat, lng: r.lng, priority: r.priority }))}
          />
          <ul class="map-legend">
            {rows.map((r) => (
              <li key={r.id}>
                <a href={`/admin/reports/${r.id}`}>{r.reference}</a> — {names.category(r.category)} — {names.district(r.district)}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <Form ctx={ctx} action="/admin/reports/mass">
          <input type="hidden" name="returnTo" value={here} />
          <div class="table-scroll">
            <table class="data-table">
              <caption>{t('street-reports.admin.queue.caption', { count: rows.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <span class="visually-hidden">{t('street-reports.admin.queue.select')}</span>
                  </th>
                  <th scope="col">{t('street-reports.admin.field.reference')}</th>
                  <th scope="col">{t('street-reports.admin.field.category')}</th>
                  <th scope="col">{t('street-reports.admin.field.district')}</th>
                  <th scope="col">{t('street-reports.admin.field.state')}</th>
                  <th scope="col">{t('street-reports.admin.field.priority')}</th>
                  <th scope="col">{t('street-reports.admin.field.created')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <input
                        type="checkbox"
                        name="reports"
                        value={r.id}
                        id={`select-${r.id}`}
                        aria-label={t('street-reports.admin.queue.selectOne', { reference: r.reference })}
                      />
                    </td>
                    <th scope="row">
                      <a href={`/admin/reports/${r.id}`}>{r.reference}</a>
                    </th>
                    <td>{names.category(r.category)}</td>
                    <td>{names.district(r.district)}</td>
                    <td>{names.state(r.state)}</td>
                    <td>{names.priority(r.priority)}</td>
                    <td>{formatDateTime(ctx.lang, r.created_at, tz)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <MassActions ctx={ctx} actions={props.massActions} />
        </Form>
      )}
      <nav class="pagination" aria-label={t('street-reports.admin.queue.pages')}>
        <ul>
          {props.paged ? (
            <li>
              <a href={here}>{t('street-reports.admin.queue.first')}</a>
            </li>
          ) : null}
          {props.next ? (
            <li>
              <a href={`/admin/reports?${filterQuery(filter, { view: props.view, after: props.next })}`}>
                {t('street-reports.admin.queue.next')}
              </a>
            </li>
          ) : null}
        </ul>
      </nav>
    </>
  );
}

/** What a bulk action did to each selected report, each in its own transaction. */
export function MassResultsPage(props: {
  ctx: ViewContext;
  action: string;
  results: (MassResult & { reference: string; reportId: string })[];
  back: string;
}) {
  const { ctx, results } = props;
  const t = ctx.t;
  const ok = results.filter((r) => r.ok).length;
  return (
    <>
      <h1>{t('workflow.mass.title')}</h1>
      <p role="status">
        {props.action} — {t('workflow.mass.done', { ok, failed: results.length - ok })}
      </p>
      <table class="data-table">
        <caption>{t('street-reports.admin.mass.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('street-reports.admin.field.reference')}</th>
            <th scope="col">{t('street-reports.admin.mass.result')}</th>
          </tr>
        </thead>
        <tbody>
          {results.map((r) => (
            <tr key={r.itemId}>
              <th scope="row">
                <a href={`/admin/reports/${r.reportId}`}>{r.reference}</a>
              </th>
              <td>{r.ok ? t('workflow.mass.ok') : t(`workflow.errors.${r.code}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a href={props.back}>{t('street-reports.admin.back')}</a>
      </p>
    </>
  );
}
