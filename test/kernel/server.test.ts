import { spawn } from 'node:child_process';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootKernel } from '../../src/kernel/boot.js';
import { loadConfig } from '../../src/kernel/config/load.js';
import { defineModule } from '../../src/kernel/modules.js';
import { startServer } from '../../src/kernel/server.js';
import { catalogue } from '../../src/modules/catalogue.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await t.database.close();
});
afterAll(async () => t.drop());

const slow = defineModule({
  code: 'slow',
  routes(app) {
    app.get('/slow', { config: { public: true } }, async () => {
      await new Promise((r) => setTimeout(r, 400));
      return { done: true };
    });
  },
});

describe('a server process', () => {
  it('seeds the demo once, then on shutdown finishes in-flight requests and stops taking new ones', async () => {
    const loaded = loadConfig({
      env: {},
      overrides: { databaseUrl: t.url, dataDir: t.dataDir, port: 0, host: '127.0.0.1', logLevel: 'silent', modules: ['pages', 'slow'] },
    });
    const booted = await bootKernel({ loaded, catalogue: [...catalogue, slow], schema: t.schema, log: pino({ level: 'silent' }) });
    const server = await startServer(booted);
    expect(await booted.kernel.db.selectFrom('kernel_state').select('value').where('key', '=', 'demo').executeTakeFirst()).toEqual({
      value: 'seeded',
    });
    const inFlight = fetch(`${server.address}/slow`);
    await new Promise((r) => setTimeout(r, 100));
    const stopping = server.shutdown('test');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await stopping;
    await expect(fetch(`${server.address}/healthz`)).rejects.toThrow();
  });

  it('starts from the CLI and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start', '--port', '0'], {
      env: {
        ...process.env,
        DATABASE_URL: t.url ? `${t.url}?options=-c%20search_path%3D${t.schema}` : '',
        CIVITAS_DATA_DIR: t.dataDir,
        HOST: '127.0.0.1',
        CIVITAS_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const address = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const m = /"address":"(http:\/\/[^"]+)".*"msg":"Civitas is listening"/.exec(output);
        if (m?.[1]) resolve(m[1]);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.on('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
      setTimeout(() => reject(new Error(`no start in 20 s: ${output}`)), 20_000);
    });
    expect((await fetch(`${address}/readyz`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('"msg":"stopped"');
  });
});
