// Measuring one target against the bare server, interleaved in short slices
// (bare, target, bare, target…) so that the noise of a shared machine hits both alike.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

let ticksPerSecond;
/** CPU seconds (user + system, all threads) used so far by a process, from /proc; null elsewhere. */
export function cpuSeconds(pid) {
  if (!pid) return null;
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return null;
  }
}

/** One autocannon run; `latencies` (if given) receives every response time in ms. */
export async function cannon(url, request, seconds, connections, latencies, pid) {
  const cpuBefore = cpuSeconds(pid);
  const instance = autocannon({ url, connections, duration: seconds, pipelining: 1, ...request });
  if (latencies) instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  const result = await instance;
  const cpuAfter = cpuSeconds(pid);
  return {
    cpu: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
    total: result.requests.total,
    seconds: result.duration,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodeStats: result.statusCodeStats,
  };
}

function percentile(sorted, p) {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function summarize(runs, latencies) {
  const sorted = Float64Array.from(latencies).sort();
  const statusCodes = {};
  for (const run of runs) {
    for (const [code, stat] of Object.entries(run.statusCodeStats ?? {})) {
      if (!code.startsWith('2')) statusCodes[code] = (statusCodes[code] ?? 0) + stat.count;
    }
  }
  const sum = (k) => runs.reduce((a, r) => a + (r[k] ?? 0), 0);
  const cpu = runs.every((r) => r.cpu !== null) ? sum('cpu') : null;
  return {
    rps: sum('total') / sum('seconds'),
    /** Server CPU time per request, in µs: less sensitive than req/s to other load on the machine. */
    cpuUsPerRequest: cpu === null ? null : (cpu * 1e6) / sum('total'),
    total: sum('total'),
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    errors: sum('errors'),
    timeouts: sum('timeouts'),
    non2xx: sum('non2xx'),
    statusCodes: Object.keys(statusCodes).length ? statusCodes : undefined,
  };
}

/**
 * Warm-up of both (not recorded), then `duration` seconds of each in alternating slices of
 * `slice` seconds, bare first. req/s are totals over the slices; `ratio` is the median of the
 * per-slice-pair ratios (robust to a burst of noise in one slice). With the servers' pids, also
 * their CPU time per request (`cpuRatio` = bare CPU/request ÷ scenario CPU/request).
 */
export async function measureAgainstBare({ bareUrl, url, request, duration, warmup, slice, connections, barePid, pid }) {
  if (warmup > 0) {
    await cannon(bareUrl, { method: 'GET' }, warmup, connections);
    await cannon(url, request, warmup, connections);
  }
  const slices = Math.max(1, Math.round(duration / slice));
  const each = duration / slices;
  const bareRuns = [];
  const runs = [];
  const bareLatencies = [];
  const latencies = [];
  const ratios = [];
  for (let i = 0; i < slices; i++) {
    const b = await cannon(bareUrl, { method: 'GET' }, each, connections, bareLatencies, barePid);
    const s = await cannon(url, request, each, connections, latencies, pid);
    bareRuns.push(b);
    runs.push(s);
    ratios.push(s.total / s.seconds / (b.total / b.seconds));
  }
  const bare = summarize(bareRuns, bareLatencies);
  const scenario = summarize(runs, latencies);
  const cpuRatio = bare.cpuUsPerRequest && scenario.cpuUsPerRequest ? bare.cpuUsPerRequest / scenario.cpuUsPerRequest : null;
  return { bare, scenario, ratio: median(ratios), cpuRatio, slices };
}
