import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { type Booted, bootKernel } from '../../src/kernel/boot.js';
import { loadConfig } from '../../src/kernel/config/load.js';
import type { Config } from '../../src/kernel/config/schema.js';
import { seedDemoOnce } from '../../src/kernel/demo.js';
import { buildHttp } from '../../src/kernel/http/app.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import type { AnyModule } from '../../src/kernel/modules.js';
import { catalogue as shippedCatalogue } from '../../src/modules/catalogue.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestApp {
  app: FastifyInstance;
  kernel: Kernel;
  booted: Booted;
  testDb: TestDatabase;
  close(): Promise<void>;
}

/**
 * The whole platform on an isolated database of the engine under test (SQLite or PostgreSQL),
 * configured as Paris unless `overrides` says otherwise. `listen: true` serves on a free port
 * (browser tests); otherwise use `app.inject`.
 */
export async function createTestApp(
  options: { overrides?: Partial<Config>; catalogue?: readonly AnyModule[]; demo?: boolean; listen?: boolean; configFile?: string } = {},
): Promise<TestApp & { url: string }> {
  const testDb = await createTestDatabase();
  const loaded = loadConfig({
    env: {},
    file: options.configFile,
    overrides: {
      databaseUrl: testDb.url,
      dataDir: testDb.dataDir,
      logLevel: 'silent',
      jobs: { enabled: false, concurrency: 2, pollMs: 50, leaseSeconds: 5 },
      ...options.overrides,
    },
  });
  await testDb.database.close();
  const booted = await bootKernel({
    loaded,
    catalogue: options.catalogue ?? shippedCatalogue,
    schema: testDb.schema,
    log: pino({ level: 'silent' }),
  }).catch(async (err) => {
    await testDb.drop();
    throw err;
  });
  const { kernel } = booted;
  if (options.demo) await seedDemoOnce(kernel);
  const app = await buildHttp(kernel);
  let url = '';
  if (options.listen) url = await app.listen({ port: 0, host: '127.0.0.1' });
  else await app.ready();
  return {
    app,
    kernel,
    booted,
    testDb,
    url,
    async close() {
      await app.close();
      await booted.close();
      await testDb.drop();
    },
  };
}
