import type { ViewContext } from './context.js';

export interface BarRow {
  key: string;
  label: string;
  value: number;
  /** Drawn in the city's colour; the others in grey (a funded project, a chosen district). */
  emphasis?: boolean;
}

const BAR = 22;
const LABEL_WIDTH = 230;
const CHART_WIDTH = 640;

/**
 * A horizontal bar chart drawn server-side (no script, prints, scales on a phone). For assistive
 * technologies it is one image named by its title, and the same figures follow in a table, so
 * nothing is said by the colour or the length of a bar alone. `format` writes a value for people
 * (a count, an amount in euros); `columns` name the table's two columns.
 */
export function BarChart(props: {
  ctx: ViewContext;
  id: string;
  title: string;
  rows: BarRow[];
  format: (value: number) => string;
  columns: { label: string; value: string };
  /** Shown instead of the chart when there are no rows. */
  empty: string;
  /** Below the title: what the emphasis means, for instance. */
  caption?: string;
}) {
  const { ctx, id, title, rows, format } = props;
  const t = ctx.t;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const height = Math.max(1, rows.length) * BAR + 8;
  const span = CHART_WIDTH - LABEL_WIDTH - 90;
  const anyEmphasis = rows.some((r) => r.emphasis);
  return (
    <section aria-labelledby={`${id}-heading`} class="chart">
      <h2 id={`${id}-heading`}>{title}</h2>
      {props.caption ? <p>{props.caption}</p> : null}
      {rows.length === 0 ? (
        <p>{props.empty}</p>
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
              <title id={`${id}-title`}>{t('ui.chart.of', { title })}</title>
              {rows.map((r, i) => {
                const y = 4 + i * BAR;
                const w = Math.max(1, (r.value / max) * span);
                return (
                  <g key={r.key}>
                    <text x={LABEL_WIDTH - 6} y={y + BAR / 2 + 4} text-anchor="end" font-size="12" fill="#1e1e1e">
                      {r.label.length > 34 ? `${r.label.slice(0, 33)}…` : r.label}
                    </text>
                    <rect
                      x={LABEL_WIDTH}
                      y={y + 3}
                      width={w.toFixed(1)}
                      height={BAR - 6}
                      class={!anyEmphasis || r.emphasis ? 'chart-bar' : 'chart-bar chart-bar-muted'}
                      fill={!anyEmphasis || r.emphasis ? '#000091' : '#6a6a6a'}
                    />
                    <text x={(LABEL_WIDTH + w + 4).toFixed(1)} y={y + BAR / 2 + 4} font-size="12" fill="#1e1e1e">
                      {format(r.value)}
                    </text>
                  </g>
                );
              })}
            </svg>
          </div>
          <details class="chart-data">
            <summary>{t('ui.chart.table')}</summary>
            <table class="data-table">
              <caption>{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{props.columns.label}</th>
                  <th scope="col">{props.columns.value}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.key}>
                    <th scope="row">{r.label}</th>
                    <td>{format(r.value)}</td>
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
