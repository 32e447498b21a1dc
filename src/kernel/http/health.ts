import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Kernel } from '../kernel.js';

/**
 * `/healthz`: the process is alive (no I/O, for the orchestrator's liveness probe).
 * `/readyz`: the process can serve (database reachable, not shutting down), for the load balancer.
 */
export function registerHealth(app: FastifyInstance, kernel: Kernel, state: { closing: boolean }): void {
  app.get('/healthz', { schema: { hide: true }, config: { public: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true }, config: { public: true } }, async (_request, reply) => {
    if (state.closing) return reply.status(503).send({ status: 'closing' });
    try {
      await sql`select 1`.execute(kernel.db);
      return { status: 'ready', database: kernel.database.engine };
    } catch (err) {
      kernel.log.error({ err }, 'readiness check: database unreachable');
      return reply.status(503).send({ status: 'unavailable', database: kernel.database.engine });
    }
  });
}
