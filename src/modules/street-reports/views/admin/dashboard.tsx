import { formatNumber } from '../../../../kernel/i18n/format.js';
import type { Kernel } from '../../../../kernel/kernel.js';
import { BarChart } from '../../../../kernel/ui/bar-chart.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import type { CategoryTree } from '../../domain/categories.js';
import type { QueueFilter } from '../../domain/queue.js';
import type { Count, DashboardFigures } from '../../domain/stats.js';
import { QueueFilters } from './filters.js';
import type { Names } from './labels.js';
import { Stylesheet } from './queue.js';

/** The dashboard's charts: counts per group, labelled by the names of the module's codes. */
function CountChart({
  ctx,
  id,
  title,
  rows,
  label,
}: {
  ctx: ViewContext;
  id: string;
  title: string;
  rows: Count[];
  label: (key: string) => string;
}) {
  const t = ctx.t;
  return (
    <BarChart
      ctx={ctx}
      id={id}
      title={title}
      rows={rows.map((r) => ({ key: r.key, label: label(r.key), value: r.count }))}
      format={(n) => formatNumber(ctx.lang, n)}
      columns={{ label: t('street-reports.admin.dashboard.group'), value: t('street-reports.admin.dashboard.count') }}
      empty={t('street-reports.admin.dashboard.empty')}
    />
  );
}

/** A duration for people: days and hours, or hours and minutes under a day. */
export function humanDuration(ctx: ViewContext, seconds: number): string {
  const hours = Math.round(seconds / 3600);
  if (hours >= 24) return ctx.t('street-reports.admin.dashboard.days', { days: Math.floor(hours / 24), hours: hours % 24 });
  const minutes = Math.round(seconds / 60);
  return ctx.t('street-reports.admin.dashboard.hours', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}

function monthLabel(ctx: ViewContext, key: string): string {
  const [y, m] = key.split('-').map(Number);
  if (!y || !m) return key;
  return new Intl.DateTimeFormat(ctx.lang === 'fr' ? 'fr-FR' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, 1)),
  );
}

export function DashboardPage(props: {
  ctx: ViewContext;
  kernel: Kernel;
  categories: CategoryTree;
  names: Names;
  filter: QueueFilter;
  figures: DashboardFigures;
}) {
  const { ctx, figures, names } = props;
  const t = ctx.t;
  return (
    <>
      <Stylesheet />
      <p>
        <a href="/admin/reports">{t('street-reports.admin.back')}</a>
      </p>
      <h1>{t('street-reports.admin.dashboard.title')}</h1>
      <QueueFilters ctx={ctx} kernel={props.kernel} categories={props.categories} filter={props.filter} action="/admin/reports/dashboard" />
      <dl class="facts key-figures">
        <dt>{t('street-reports.admin.dashboard.total')}</dt>
        <dd>{formatNumber(ctx.lang, figures.total)}</dd>
        <dt>{t('street-reports.admin.dashboard.closed')}</dt>
        <dd>{formatNumber(ctx.lang, figures.closed)}</dd>
        <dt>{t('street-reports.admin.dashboard.median')}</dt>
        <dd>
          {figures.medianResolutionSeconds === null
            ? t('street-reports.admin.dashboard.noMedian')
            : humanDuration(ctx, figures.medianResolutionSeconds)}
        </dd>
      </dl>
      <CountChart ctx={ctx} id="by-state" title={t('street-reports.admin.dashboard.byState')} rows={figures.byState} label={names.state} />
      <CountChart
        ctx={ctx}
        id="by-category"
        title={t('street-reports.admin.dashboard.byCategory')}
        rows={figures.byCategory}
        label={names.category}
      />
      <CountChart
        ctx={ctx}
        id="by-district"
        title={t('street-reports.admin.dashboard.byDistrict')}
        rows={figures.byDistrict}
        label={names.district}
      />
      <CountChart
        ctx={ctx}
        id="by-month"
        title={t('street-reports.admin.dashboard.byMonth')}
        rows={figures.byMonth}
        label={(k) => monthLabel(ctx, k)}
      />
    </>
  );
}
