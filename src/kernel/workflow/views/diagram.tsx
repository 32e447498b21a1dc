import type { ViewContext } from '../../ui/context.js';
import type { Workflow } from '../definition.js';

const BOX_W = 170;
const BOX_H = 46;
const COL_GAP = 90;
const ROW_GAP = 36;

/** Columns by distance from the initial state (breadth first); unreachable states last. */
function layers(wf: Workflow): string[][] {
  const depth = new Map<string, number>([[wf.initial, 0]]);
  const queue = [wf.initial];
  while (queue.length) {
    const s = queue.shift()!;
    for (const a of Object.values(wf.actions)) {
      if (a.from.includes(s) && !depth.has(a.to)) {
        depth.set(a.to, depth.get(s)! + 1);
        queue.push(a.to);
      }
    }
  }
  const max = Math.max(...depth.values());
  for (const s of Object.keys(wf.states)) if (!depth.has(s)) depth.set(s, max + 1);
  const cols: string[][] = [];
  for (const [s, d] of depth) cols[d] = [...(cols[d] ?? []), s];
  return cols.filter(Boolean);
}

/**
 * The workflow as a server-rendered SVG: states as boxes in columns, actions as arrows. It is a
 * picture for those who see it; the tables next to it carry the same content for everyone.
 */
export function WorkflowDiagram({ ctx, wf }: { ctx: ViewContext; wf: Workflow }) {
  const cols = layers(wf);
  const pos = new Map<string, { x: number; y: number }>();
  for (const [i, col] of cols.entries()) {
    for (const [j, s] of col.entries()) pos.set(s, { x: 10 + i * (BOX_W + COL_GAP), y: 30 + j * (BOX_H + ROW_GAP) });
  }
  const width = 20 + cols.length * (BOX_W + COL_GAP) - COL_GAP;
  const height = 60 + Math.max(...cols.map((c) => c.length)) * (BOX_H + ROW_GAP);
  const edges = Object.entries(wf.actions).flatMap(([code, a]) =>
    a.from.filter((f) => f !== a.to).map((f) => ({ code, from: f, to: a.to, label: a.label[ctx.lang] })),
  );
  return (
    <svg
      class="workflow-diagram"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-labelledby="diagram-desc"
    >
      <desc id="diagram-desc">{ctx.t('workflow.diagram.alt')}</desc>
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="currentColor" />
        </marker>
      </defs>
      {edges.map((e) => {
        const a = pos.get(e.from)!;
        const b = pos.get(e.to)!;
        const forward = b.x > a.x;
        const x1 = forward ? a.x + BOX_W : a.x + BOX_W / 2;
        const y1 = forward ? a.y + BOX_H / 2 : a.y + BOX_H;
        const x2 = forward ? b.x : b.x + BOX_W / 2;
        const y2 = forward ? b.y + BOX_H / 2 : b.y + (b.y > a.y ? 0 : BOX_H);
        return (
          <g key={`${e.code}-${e.from}`} class="edge">
            <line x1={x1} y1={y1} x2={x2} y2={y2} stroke="currentColor" marker-end="url(#arrow)" />
            <text x={(x1 + x2) / 2} y={(y1 + y2) / 2 - 4} text-anchor="middle" font-size="11">
              {e.label}
            </text>
          </g>
        );
      })}
      {[...pos].map(([s, p]) => {
        const state = wf.states[s]!;
        return (
          <g key={s} class={`state${state.public ? '' : ' internal'}${s === wf.initial ? ' initial' : ''}`}>
            <rect
              x={p.x}
              y={p.y}
              width={BOX_W}
              height={BOX_H}
              rx="6"
              fill="#fff"
              stroke="currentColor"
              stroke-dasharray={state.public ? undefined : '4 3'}
              stroke-width={s === wf.initial ? 2.5 : 1.2}
            />
            <text x={p.x + BOX_W / 2} y={p.y + 20} text-anchor="middle" font-size="13" font-weight="bold">
              {state.label[ctx.lang]}
            </text>
            <text x={p.x + BOX_W / 2} y={p.y + 37} text-anchor="middle" font-size="11">
              {ctx.t(`demands.status.${state.status}`)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
