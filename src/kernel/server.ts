import type { FastifyInstance } from 'fastify';
import type { Booted } from './boot.js';
import { seedDemoOnce } from './demo.js';
import { buildHttp } from './http/app.js';

export interface RunningServer {
  app: FastifyInstance;
  address: string;
  /** Stops taking requests and jobs, lets in-flight ones finish, releases the rest, closes the database. */
  shutdown(reason: string): Promise<void>;
}

const GRACE_MS = 10_000;

/** HTTP + workers of one stateless process; any number of them can run against one database. */
export async function startServer(booted: Booted): Promise<RunningServer> {
  const { kernel } = booted;
  const { config } = kernel;
  if (config.demo && (await seedDemoOnce(kernel))) kernel.log.info('demo city seeded');
  const state = { closing: false };
  const app = await buildHttp(kernel, state);
  const address = await app.listen({ port: config.port, host: config.host });
  if (config.jobs.enabled) kernel.jobs.start();
  kernel.log.info({ address, database: kernel.database.describe, modules: kernel.modules.map((m) => m.code) }, 'Civitas is listening');

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    stopping ??= (async () => {
      kernel.log.info({ reason }, 'shutting down: finishing in-flight requests and jobs');
      state.closing = true;
      await Promise.all([app.close(), kernel.jobs.stop(GRACE_MS)]);
      await booted.close();
      kernel.log.info('stopped');
    })();
    return stopping;
  };
  return { app, address, shutdown };
}

/** SIGTERM/SIGINT: graceful shutdown, then exit; a second signal exits at once. */
export function exitOnSignals(server: RunningServer): void {
  let received = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (received) process.exit(1);
      received = true;
      server.shutdown(signal).then(
        () => process.exit(0),
        (err) => {
          server.app.log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}
