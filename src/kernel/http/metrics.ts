import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Kernel } from '../kernel.js';
import { HttpError } from './errors.js';
import { RouteMetrics } from './route-metrics.js';

/**
 * Prometheus metrics: request rates and latencies per route, and the job queue's depth (read from
 * the database at scrape time, so every process reports the same shared queue).
 */
export function registerMetrics(app: FastifyInstance, kernel: Kernel): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const routes = new RouteMetrics();
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

  app.addHook('onResponse', (request, reply, done) => {
    // Unmatched URLs share one label so that scanners cannot blow up the series count.
    routes.record(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  app.get('/metrics', { schema: { hide: true }, config: { public: true } }, async (request, reply) => {
    const { token, public: open } = kernel.config.metrics;
    const auth = request.headers.authorization;
    if (!open && !(token && auth === `Bearer ${token}`)) {
      throw new HttpError(404, 'not-found', 'Not found.');
    }
    return reply.type(registry.contentType).send(`${await registry.metrics()}\n${routes.exposition()}`);
  });
}
