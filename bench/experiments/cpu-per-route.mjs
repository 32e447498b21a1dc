#!/usr/bin/env node
// Server CPU time per request of a few routes of one running Civitas (SQLite, demo data, signed in
// as the demo resident), steadier than req/s on a busy machine: the quick A/B loop for kernel work.
//   node bench/experiments/cpu-per-route.mjs [SECONDS=4] [PATH ...]
// CIVITAS_DATA_DIR reuses a migrated and seeded data dir (made once when absent), served on a fixed
// port (BENCH_PORT, default 3917) so the demo's contractor endpoints, seeded with the port, still answer.
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cannon } from '../lib/measure.mjs';
import { killAllChildren, runNode, spawnNode, stop, waitForHttp } from '../lib/processes.mjs';
import { signIn } from '../scenarios/20-identity.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'bin/civitas.js');
const seconds = Number(process.argv[2] ?? 4);
const paths = process.argv.length > 3 ? process.argv.slice(3) : ['/healthz', '/', '/api/v1/me', '/account'];
process.on('exit', killAllChildren);

const dataDir = process.env.CIVITAS_DATA_DIR ?? mkdtempSync(join(os.tmpdir(), 'civitas-cpu-'));
const port = Number(process.env.BENCH_PORT ?? 3917);
const env = {
  ...process.env,
  PORT: String(port),
  CIVITAS_DATA_DIR: dataDir,
  CIVITAS_LOG_LEVEL: 'warn',
  CIVITAS_RATE_LIMIT_MAX: String(1_000_000_000),
  NODE_OPTIONS: '--max-semi-space-size=8',
};
delete env.DATABASE_URL;
if (!existsSync(join(dataDir, 'civitas.db'))) {
  await runNode([CLI, 'migrate'], { cwd: ROOT, env, label: 'migrate' });
  await runNode([CLI, 'seed'], { cwd: ROOT, env, label: 'seed' });
}
const child = spawnNode([CLI, 'start'], { cwd: ROOT, env, label: 'civitas' });
const base = `http://127.0.0.1:${port}`;
await waitForHttp(child, `${base}/healthz`);
const { headers } = await signIn({ fetch: (p, init) => fetch(new URL(p, base), init) });
for (const path of paths) {
  await cannon(`${base}${path}`, { headers }, 1, 50, null, child.pid);
  const r = await cannon(`${base}${path}`, { headers }, seconds, 50, null, child.pid);
  console.log(
    `${path.padEnd(16)} ${((r.cpu * 1e6) / r.total).toFixed(1).padStart(7)} µs/req  ${Math.round(r.total / r.seconds)} req/s  non2xx ${r.non2xx}`,
  );
}
await stop(child);
