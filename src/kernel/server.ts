import type { FastifyInstance } from 'fastify';
import type { Booted } from './boot.js';
import { seedDemoOnce } from './demo.js';
import { buildHttp } from './http/app.js';
import { DEMO_LOGINS, DEMO_PASSWORD } from './identity/demo.js';

export interface RunningServer {
  app: FastifyInstance;
  address: string;
  /** Stops taking requests and jobs, lets in-flight ones finish, releases the rest, closes the database. */
  shutdown(reason: string): Promise<void>;
}

const GRACE_MS = 10_000;

/** Once, when the demo city is seeded: who to log in as, to see both sides. */
function printDemoLogins(address: string): void {
  const base = address.replace('://0.0.0.0', '://localhost').replace('://127.0.0.1', '://localhost');
  const lines = DEMO_LOGINS.map((l) => `  ${l.who.padEnd(28)} ${l.email.padEnd(30)} ${base}${l.where}`);
  process.stdout.write(`\nDemo city ready at ${base}\nDemo logins (password: ${DEMO_PASSWORD}):\n${lines.join('\n')}\n\n`);
}

/** HTTP + workers of one stateless process; any number of them can run against one database. */
export async function startServer(booted: Booted): Promise<RunningServer> {
  const { kernel } = booted;
  const { config } = kernel;
  const seeded = config.demo && (await seedDemoOnce(kernel));
  const state = { closing: false };
  const app = await buildHttp(kernel, state);
  const address = await app.listen({ port: config.port, host: config.host });
  if (config.jobs.enabled) kernel.jobs.start();
  kernel.log.info({ address, database: kernel.database.describe, modules: kernel.modules.map((m) => m.code) }, 'Civitas is listening');
  if (seeded) printDemoLogins(address);

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
