import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Kernel } from '../kernel.js';
import { HttpError } from './errors.js';

/**
 * Prometheus metrics: request rates and latencies per route, and the job queue's depth (read from
 * the database at scrape time, so every process reports the same shared queue).
 */
export function registerMetrics(app: FastifyInstance, kernel: Kernel): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'civitas_http_requests_total',
    help: 'HTTP requests by method, route and status.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'civitas_http_request_duration_seconds',
    help: 'HTTP request latency by method and route.',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'civitas_jobs',
    help: 'Jobs in the shared queue, by status (queued, running, dead).',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const depth = await kernel.jobs.queueDepth();
      for (const [status, count] of Object.entries(depth)) this.set({ status }, count);
    },
  });

  // Label children are cached per route and status: looking labels up by object on every request costs more.
  const counters = new Map<string, Counter.Internal>();
  const timers = new Map<string, Histogram.Internal<string>>();
  app.addHook('onResponse', (request, reply, done) => {
    // Unmatched URLs share one label so that scanners cannot blow up the series count.
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `${request.method} ${route}`;
    let timer = timers.get(key);
    if (!timer) {
      timer = duration.labels(request.method, route);
      timers.set(key, timer);
    }
    const countKey = `${key} ${reply.statusCode}`;
    let counter = counters.get(countKey);
    if (!counter) {
      counter = requests.labels(request.method, route, String(reply.statusCode));
      counters.set(countKey, counter);
    }
    counter.inc();
    timer.observe(reply.elapsedTime / 1000);
    done();
  });

  app.get('/metrics', { schema: { hide: true }, config: { public: true } }, async (request, reply) => {
    const { token, public: open } = kernel.config.metrics;
    const auth = request.headers.authorization;
    if (!open && !(token && auth === `Bearer ${token}`)) {
      throw new HttpError(404, 'not-found', 'Not found.');
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
