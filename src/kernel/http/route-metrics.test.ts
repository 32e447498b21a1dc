import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS, RouteMetrics } from './route-metrics.js';

/** The exposition's samples as `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

describe('RouteMetrics', () => {
  it('counts requests by method, route and status, and writes the latency histogram', () => {
    const metrics = new RouteMetrics();
    metrics.record('GET', '/pages', 200, 0.003);
    metrics.record('GET', '/pages', 200, 0.02);
    metrics.record('GET', '/pages', 404, 7);
    metrics.record('POST', '/pages', 303, 0.004);
    const text = metrics.exposition();
    expect(text).toContain('# TYPE civitas_http_requests_total counter');
    expect(text).toContain('# TYPE civitas_http_request_duration_seconds histogram');
    const s = samples(text);
    expect(s.get('civitas_http_requests_total{method="GET",route="/pages",status="200"}')).toBe(2);
    expect(s.get('civitas_http_requests_total{method="GET",route="/pages",status="404"}')).toBe(1);
    expect(s.get('civitas_http_requests_total{method="POST",route="/pages",status="303"}')).toBe(1);
    const get = (suffix: string, le?: string) =>
      s.get(`civitas_http_request_duration_seconds_${suffix}{${le ? `le="${le}",` : ''}method="GET",route="/pages"}`);
    expect([get('bucket', '0.005'), get('bucket', '0.01'), get('bucket', '0.025'), get('bucket', '5'), get('bucket', '+Inf')]).toEqual([
      1, 1, 2, 2, 3,
    ]);
    expect(get('count')).toBe(3);
    expect(get('sum')).toBeCloseTo(7.023, 9);
  });

  it('escapes label values as the format requires', () => {
    const metrics = new RouteMetrics();
    metrics.record('GET', '/odd/"quoted"\\path', 200, 0.001);
    expect(metrics.exposition()).toContain('route="/odd/\\"quoted\\"\\\\path",status="200"} 1');
  });

  it('gives each bucket the number of observations at or under its bound', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 60 }), (latencies) => {
        const metrics = new RouteMetrics();
        for (const seconds of latencies) metrics.record('GET', '/x', 200, seconds);
        const s = samples(metrics.exposition());
        for (const bound of LATENCY_BUCKETS) {
          expect(s.get(`civitas_http_request_duration_seconds_bucket{le="${bound}",method="GET",route="/x"}`)).toBe(
            latencies.filter((l) => l <= bound).length,
          );
        }
        expect(s.get('civitas_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/x"}')).toBe(latencies.length);
        expect(s.get('civitas_http_requests_total{method="GET",route="/x",status="200"}')).toBe(latencies.length);
      }),
    );
  });
});
