import type { Districts } from '../../../../kernel/geo/districts.js';
import type { Point, Projection } from '../../../../kernel/geo/map.js';
import { formatDate } from '../../../../kernel/i18n/format.js';
import type { FieldError } from '../../../../kernel/ui/components.js';
import { ErrorSummary } from '../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import { SelectField, TextField } from '../../../../kernel/ui/fields.js';
import type { Category, CategoryTree } from '../../domain/categories.js';
import type { Cluster, PublicFilters, PublicReportRow } from '../../domain/public-queries.js';
import { reportWorkflow } from '../../workflow.js';
import { ClusterMap } from './map.js';

function categoryChoices(tree: CategoryTree, lang: ViewContext['lang']) {
  const out: { value: string; label: string }[] = [];
  const walk = (c: Category, depth: number) => {
    if (c.agentOnly) return;
    out.push({ value: c.code, label: `${'— '.repeat(depth)}${c.label[lang]}` });
    for (const child of c.children) walk(child, depth + 1);
  };
  for (const root of tree.roots) walk(root, 0);
  return out;
}

/** The public list and map of reports, with filters kept in the address (GET), paginated by key. */
export function ListPage(props: {
  ctx: ViewContext;
  tree: CategoryTree;
  districts: Districts;
  filters: PublicFilters;
  errors: FieldError[];
  rows: PublicReportRow[];
  next: string | null;
  total: number;
  proj: Projection;
  clusters: Cluster[];
  /** The address of this page with other parameters (a zoom, a page). */
  href: (changes: Record<string, string | null>) => string;
}) {
  const { ctx, tree, filters } = props;
  const t = ctx.t;
  const zoomHref = (p: Point) =>
    props.href({ zoom: String(Math.min(props.proj.view.zoom * 4, 16)), lat: p.lat.toFixed(5), lng: p.lng.toFixed(5), after: null });
  return (
    <>
      <h1>{t('street-reports.public.list.title')}</h1>
      <p class="lead">
        <a class="button" href="/reports/new">
          {t('street-reports.nav')}
        </a>
      </p>
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <form method="get" action="/reports" class="filters">
        <SelectField
          name="status"
          label={t('street-reports.public.list.status')}
          value={filters.status ?? ''}
          empty={t('street-reports.public.list.any')}
          choices={[
            { value: 'open', label: t('street-reports.public.list.open') },
            { value: 'closed', label: t('street-reports.public.list.closed') },
          ]}
        />
        <SelectField
          name="category"
          label={t('street-reports.public.list.category')}
          value={filters.category ?? ''}
          empty={t('street-reports.public.list.any')}
          choices={categoryChoices(tree, ctx.lang)}
        />
        <SelectField
          name="district"
          label={ctx.city.districts?.label[ctx.lang] ?? t('street-reports.public.list.district')}
          value={filters.district ?? ''}
          empty={t('street-reports.public.list.any')}
          choices={props.districts.all.map((d) => ({ value: d.code, label: d.name }))}
        />
        <TextField name="from" type="date" label={t('street-reports.public.list.from')} value={filters.from ?? ''} errors={props.errors} />
        <TextField name="to" type="date" label={t('street-reports.public.list.to')} value={filters.to ?? ''} errors={props.errors} />
        <div class="form-actions">
          <button type="submit" class="button">
            {t('street-reports.public.list.filter')}
          </button>
        </div>
      </form>
      <section aria-labelledby="map-heading">
        <h2 id="map-heading">{t('street-reports.public.list.map')}</h2>
        <div class="map-frame">
          <ClusterMap ctx={ctx} districts={props.districts} proj={props.proj} clusters={props.clusters} zoomHref={zoomHref} />
        </div>
        {props.proj.view.zoom > 1 ? (
          <p>
            <a href={props.href({ zoom: null, lat: null, lng: null, after: null })}>{t('street-reports.public.list.wholeCity')}</a>
          </p>
        ) : null}
      </section>
      <table class="report-table">
        <caption>{t('street-reports.public.list.caption', { count: props.total })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('street-reports.public.list.reference')}</th>
            <th scope="col">{t('street-reports.public.list.category')}</th>
            <th scope="col">{ctx.city.districts?.label[ctx.lang] ?? t('street-reports.public.list.district')}</th>
            <th scope="col">{t('street-reports.public.list.state')}</th>
            <th scope="col">{t('street-reports.public.list.date')}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={r.id}>
              <td>
                <a href={`/reports/${r.id}`}>{r.reference}</a>
              </td>
              <td>{tree.byCode.get(r.category)?.label[ctx.lang] ?? r.category}</td>
              <td>{props.districts.byCode(r.district)?.name ?? r.district}</td>
              <td>
                {reportWorkflow.states[r.state]?.public
                  ? reportWorkflow.states[r.state]!.label[ctx.lang]
                  : t(`street-reports.public.list.${r.status}`)}
              </td>
              <td>{formatDate(ctx.lang, r.createdAt, ctx.city.timezone)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.rows.length === 0 ? <p>{t('street-reports.public.list.none')}</p> : null}
      {props.next ? (
        <p>
          <a href={props.href({ after: props.next })} rel="next">
            {t('street-reports.public.list.next')}
          </a>
        </p>
      ) : null}
    </>
  );
}
