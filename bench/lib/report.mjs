// Formatting of the results as Markdown.

const fmt = (n, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      })
    : '—';

/** A ratio: two decimals, or three significant digits below 0.1 (a heavy route is ~0.002 of the bare one). */
const fmtRatio = (r) => (Number.isFinite(r) && r > 0 && r < 0.1 ? r.toPrecision(3) : fmt(r, 2));

/** Errors of one autocannon run: connection errors, timeouts and non-2xx answers. */
export function errorCount(m) {
  return (m.errors ?? 0) + (m.timeouts ?? 0) + (m.non2xx ?? 0);
}

function errorCell(m) {
  const total = errorCount(m);
  if (!total) return '0';
  const parts = [];
  if (m.errors) parts.push(`errors ${m.errors}`);
  if (m.timeouts) parts.push(`timeouts ${m.timeouts}`);
  if (m.non2xx) parts.push(`non-2xx ${m.non2xx}${m.statusCodes ? ` ${JSON.stringify(m.statusCodes)}` : ''}`);
  return `**${total}** (${parts.join(', ')})`;
}

const ratioMissed = (row) => row.target !== undefined && !(row.ratio >= row.target);
const p95Missed = (row) => row.p95TargetMs !== undefined && !(row.scenario.p95 <= row.p95TargetMs);

/** 'yes', '**MISSED**' (ratio), '**MISSED** (p95)' or '—' (no target), for one scenario row. */
export function verdict(row) {
  const errors = errorCount(row.scenario) + errorCount(row.bare);
  if (errors) return '**MISSED** (errors)';
  if (row.target === undefined && row.p95TargetMs === undefined) return '—';
  if (p95Missed(row)) return ratioMissed(row) ? '**MISSED** (ratio, p95)' : '**MISSED** (p95)';
  return ratioMissed(row) ? '**MISSED**' : 'yes';
}

/** Why a row is MISSED, for the list under the table. */
export function missedReason(row) {
  const parts = [];
  if (ratioMissed(row) || errorCount(row.scenario)) parts.push(`ratio ${fmt(row.ratio, 2)}${ratioMissed(row) ? ` < ${row.target}` : ''}`);
  if (p95Missed(row)) parts.push(`p95 ${fmt(row.scenario.p95, 1)} ms > ${row.p95TargetMs} ms`);
  if (errorCount(row.scenario)) parts.push(`${errorCount(row.scenario)} errors`);
  if (errorCount(row.bare)) parts.push(`${errorCount(row.bare)} errors on the bare server`);
  return `${row.name} (${row.engine}): ${parts.join(', ')}`;
}

function targetCell(row) {
  const parts = [];
  if (row.target !== undefined) parts.push(`≥ ${fmt(row.target, 2)}`);
  if (row.p95TargetMs !== undefined) parts.push(`p95 ≤ ${fmt(row.p95TargetMs)} ms`);
  return parts.length ? parts.join(', ') : '—';
}

/** `defaultConnections`: a row measured with another number of connections says so in its name. */
export function scenarioTable(rows, { defaultConnections } = {}) {
  const head = [
    'scenario',
    'engine',
    'req/s',
    'bare req/s',
    'ratio',
    'target',
    'met?',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'errors',
    'CPU µs/req (bare)',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 2 ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const row of rows) {
    const s = row.scenario;
    const connections = row.connections && row.connections !== defaultConnections ? ` (${row.connections} connections)` : '';
    lines.push(
      `| ${[
        row.name + connections,
        row.engine,
        fmt(s.rps),
        fmt(row.bare.rps),
        fmtRatio(row.ratio),
        targetCell(row),
        verdict(row),
        fmt(s.p50, 1),
        fmt(s.p95, 1),
        fmt(s.p99, 1),
        errorCell(s) + (errorCount(row.bare) ? ` / bare ${errorCell(row.bare)}` : ''),
        s.cpuUsPerRequest ? `${fmt(s.cpuUsPerRequest, 1)} (${fmt(row.bare.cpuUsPerRequest, 1)})` : '—',
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

export function coldStartLine(engine, cold, targetMs) {
  const met = cold.medianMs < targetMs ? 'met' : '**MISSED**';
  const all = cold.runsMs.map((ms) => fmt(ms)).join(', ');
  return `- Cold start (${engine}): median **${fmt(cold.medianMs)} ms** of ${cold.runsMs.length} (${all} ms), spawn → GET /healthz 200 — target < ${fmt(targetMs)} ms — ${met}`;
}

/**
 * The target is issue #2's: RSS under `targetMb` after the bench (VmRSS once every scenario ran). The
 * peak (VmHWM) is shown beside it, and said when it passed the same mark.
 */
export function memoryLine(engine, mem, targetMb, idle) {
  if (!mem) return `- RSS (${engine}): unavailable (no /proc on this system)`;
  const met = mem.rssMb < targetMb ? 'met' : '**MISSED**';
  const atStart = idle ? `; ${fmt(idle.rssMb)} MB idle 1 s after start` : '';
  const peak = `${fmt(mem.peakMb)} MB peak (VmHWM${mem.peakMb >= targetMb ? `, over ${fmt(targetMb)} MB` : ''})`;
  return `- RSS of Civitas after the bench (${engine}): **${fmt(mem.rssMb)} MB** (VmRSS), ${peak}${atStart} — target < ${fmt(targetMb)} MB after the bench — ${met}`;
}

export { fmt };
