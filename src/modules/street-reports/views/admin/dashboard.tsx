import { formatNumber } from '../../../../kernel/i18n/format.js';
import type { Kernel } from '../../../../kernel/kernel.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import type { CategoryTree } from '../../domain/categories.js';
import type { QueueFilter } from '../../domain/queue.js';
import type { Count, DashboardFigures } from '../../domain/stats.js';
import { QueueFilters } from './filters.js';
import type { Names } from './labels.js';
import { Stylesheet } from './queue.js';

const BAR = 22;
const LABEL_WIDTH = 230;
const CHART_WIDTH = 640;

/**
 * A horizontal bar chart drawn server-side; for assistive technologies it is one image named by
 * its title, and the same figures follow in a table.
 */
function BarChart({
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
  const max = Math.max(1, ...rows.map((r) => r.count));
  const height = Math.max(1, rows.length) * BAR + 8;
  const span = CHART_WIDTH - LABEL_WIDTH - 60;
  return (
    <section aria-labelledby={`${id}-heading`} class="chart">
      <h2 id={`${id}-heading`}>{title}</h2>
      {rows.length === 0 ? (
        <p>{t('street-reports.admin.dashboard.empty')}</p>
      ) : (
        <>
          <div class="chart-frame">
            <svg
              viewBox={`0 0 ${CHART_WIDTH} ${height}`}
              width={CHART_WIDTH}
              height={height}
              role="img"
              aria-labelledby={`${id}-title`}
              xmlns="http://www.w3.org/2000/svg"
            >
              <title id={`${id}-title`}>{t('street-reports.admin.dashboard.chartOf', { title })}</title>
              {rows.map((r, i) => {
                const y = 4 + i * BAR;
                const w = Math.max(1, (r.count / max) * span);
                const name = label(r.key);
                return (
                  <g key={r.key}>
                    <text x={LABEL_WIDTH - 6} y={y + BAR / 2 + 4} text-anchor="end" font-size="12" fill="#1e1e1e">
                      {name.length > 34 ? `${name.slice(0, 33)}…` : name}
                    </text>
                    <rect x={LABEL_WIDTH} y={y + 3} width={w.toFixed(1)} height={BAR - 6} fill="#000091" />
                    <text x={(LABEL_WIDTH + w + 4).toFixed(1)} y={y + BAR / 2 + 4} font-size="12" fill="#1e1e1e">
                      {formatNumber(ctx.lang, r.count)}
                    </text>
                  </g>
                );
              })}
            </svg>
          </div>
          <details class="chart-data">
            <summary>{t('street-reports.admin.dashboard.table')}</summary>
            <table class="data-table">
              <caption>{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('street-reports.admin.dashboard.group')}</th>
                  <th scope="col">{t('street-reports.admin.dashboard.count')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.key}>
                    <th scope="row">{label(r.key)}</th>
                    <td>{formatNumber(ctx.lang, r.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
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
      <BarChart ctx={ctx} id="by-state" title={t('street-reports.admin.dashboard.byState')} rows={figures.byState} label={names.state} />
      <BarChart
        ctx={ctx}
        id="by-category"
        title={t('street-reports.admin.dashboard.byCategory')}
        rows={figures.byCategory}
        label={names.category}
      />
      <BarChart
        ctx={ctx}
        id="by-district"
        title={t('street-reports.admin.dashboard.byDistrict')}
        rows={figures.byDistrict}
        label={names.district}
      />
      <BarChart
        ctx={ctx}
        id="by-month"
        title={t('street-reports.admin.dashboard.byMonth')}
        rows={figures.byMonth}
        label={(k) => monthLabel(ctx, k)}
      />
    </>
  );
}
