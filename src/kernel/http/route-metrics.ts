/** Upper bounds of the latency histogram's buckets, in seconds. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;

interface RouteRecord {
  statuses: Map<number, number>;
  /** Observations per bound (not cumulative); those past every bound count only in `count`. */
  buckets: number[];
  sum: number;
  count: number;
}

/**
 * Requests and latencies per method and route, counted in plain numbers and written out in the
 * Prometheus text format at scrape time. prom-client's labelled metrics hash their labels on every
 * observation, which cost more than the rest of a small route's bookkeeping.
 */
export class RouteMetrics {
  readonly #routes = new Map<string, Map<string, RouteRecord>>();

  record(method: string, route: string, status: number, seconds: number): void {
    let methods = this.#routes.get(route);
    if (!methods) {
      methods = new Map();
      this.#routes.set(route, methods);
    }
    let record = methods.get(method);
    if (!record) {
      record = { statuses: new Map(), buckets: new Array(LATENCY_BUCKETS.length).fill(0), sum: 0, count: 0 };
      methods.set(method, record);
    }
    record.statuses.set(status, (record.statuses.get(status) ?? 0) + 1);
    let bucket = 0;
    while (bucket < LATENCY_BUCKETS.length && seconds > (LATENCY_BUCKETS[bucket] as number)) bucket++;
    if (bucket < LATENCY_BUCKETS.length) record.buckets[bucket] = (record.buckets[bucket] as number) + 1;
    record.sum += seconds;
    record.count++;
  }

  /** Both metrics in the Prometheus text exposition format (0.0.4), as prom-client writes them. */
  exposition(): string {
    const counts = [
      '# HELP civitas_http_requests_total HTTP requests by method, route and status.',
      '# TYPE civitas_http_requests_total counter',
    ];
    const latency = [
      '# HELP civitas_http_request_duration_seconds HTTP request latency by method and route.',
      '# TYPE civitas_http_request_duration_seconds histogram',
    ];
    for (const [route, methods] of this.#routes) {
      for (const [method, record] of methods) {
        const labels = `method="${labelValue(method)}",route="${labelValue(route)}"`;
        for (const [status, count] of record.statuses) counts.push(`civitas_http_requests_total{${labels},status="${status}"} ${count}`);
        let cumulative = 0;
        LATENCY_BUCKETS.forEach((bound, i) => {
          cumulative += record.buckets[i] as number;
          latency.push(`civitas_http_request_duration_seconds_bucket{le="${bound}",${labels}} ${cumulative}`);
        });
        latency.push(`civitas_http_request_duration_seconds_bucket{le="+Inf",${labels}} ${record.count}`);
        latency.push(`civitas_http_request_duration_seconds_sum{${labels}} ${record.sum}`);
        latency.push(`civitas_http_request_duration_seconds_count{${labels}} ${record.count}`);
      }
    }
    return `${counts.join('\n')}\n\n${latency.join('\n')}\n`;
  }
}

function labelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
