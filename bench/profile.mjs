#!/usr/bin/env node
// Where does the time of one route go? Starts Civitas (SQLite or PostgreSQL, fresh data) under --cpu-prof,
// loads PATH with autocannon, stops it and prints the self time by function and by package.
//
//   node bench/profile.mjs [PATH=/healthz] [SECONDS=5]
//   BENCH_PROFILE_SIGNIN=1 profiles as the signed-in demo resident.
//   BENCH_PROFILE_KEEP=1 keeps the .cpuprofile (open it in Chrome DevTools → Performance).
//   BENCH_PROFILE_POSTGRES=postgres://… profiles on PostgreSQL, in a fresh schema dropped at the end.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort, killAllChildren, runNode, spawnNode, stop, waitForHttp } from './lib/processes.mjs';
import { signIn } from './scenarios/20-identity.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin/civitas.js');
const path = process.argv[2] ?? '/healthz';
const seconds = Number(process.argv[3] ?? 5);

process.on('exit', killAllChildren);
process.on('SIGINT', () => process.exit(130));

const dataDir = mkdtempSync(join(os.tmpdir(), 'civitas-profile-'));
const profDir = join(dataDir, 'prof');
const port = await freePort();
const env = { ...process.env, PORT: String(port), CIVITAS_DATA_DIR: dataDir, CIVITAS_LOG_LEVEL: 'warn' };
delete env.DATABASE_URL;
const postgres = process.env.BENCH_PROFILE_POSTGRES;
const schema = `profile_${process.pid}`;
const pgAdmin = async (statement) => {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: postgres });
  await client.connect();
  await client.query(statement);
  await client.end();
};
if (postgres) {
  await pgAdmin(`create schema ${schema}`);
  env.DATABASE_URL = `${postgres}${postgres.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}
try {
  await runNode([CLI, 'migrate'], { cwd: ROOT, env, label: 'migrate' });
  await runNode([CLI, 'seed'], { cwd: ROOT, env, label: 'seed' });
  const child = spawnNode(['--cpu-prof', `--cpu-prof-dir=${profDir}`, CLI, 'start'], { cwd: ROOT, env, label: 'civitas' });
  await waitForHttp(child, `http://127.0.0.1:${port}/healthz`);
  const url = `http://127.0.0.1:${port}${path}`;
  // BENCH_PROFILE_SIGNIN=1 profiles the path as the signed-in demo resident.
  const base = `http://127.0.0.1:${port}`;
  const { headers } = process.env.BENCH_PROFILE_SIGNIN
    ? await signIn({ fetch: (p, init) => fetch(new URL(p, base), init) })
    : { headers: {} };
  // The demo city queues e-mails and timers that its workers run in the first seconds: let them.
  await new Promise((r) => setTimeout(r, Number(process.env.BENCH_PROFILE_SETTLE ?? 15) * 1000));
  await autocannon({ url, headers, connections: 50, duration: 2 }); // warm-up
  // Only the samples taken during the measured load count (both clocks are the system's monotonic one).
  const window = { from: Number(process.hrtime.bigint() / 1000n) };
  const result = await autocannon({ url, headers, connections: 50, duration: seconds });
  window.to = Number(process.hrtime.bigint() / 1000n);
  process.stdout.write(
    `${path}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}\n\n`,
  );
  await stop(child);

  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  const profile = JSON.parse(readFileSync(join(profDir, file), 'utf8'));
  const self = new Map();
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = new Map();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < window.from || at > window.to) continue;
    const id = profile.samples[i];
    dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...dt.values()].reduce((a, b) => a + b, 0);
  const where = (cf) => {
    const u = cf.url.replace(`file://${ROOT}/`, '');
    const pkg = u.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
    return {
      u,
      pkg:
        pkg ??
        (u.startsWith('dist/')
          ? `civitas:${u.split('/').slice(1, 3).join('/')}`
          : u.startsWith('node:')
            ? 'node core'
            : u || '(native/gc/idle)'),
    };
  };
  const byPackage = new Map();
  for (const [id, us] of dt) {
    const cf = byNode.get(id).callFrame;
    const { u, pkg } = where(cf);
    const key = `${cf.functionName || '(anonymous)'}  ${u}:${cf.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + us);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  }
  const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  process.stdout.write(`1% of the samples = ${(total / 100 / result.requests.total).toFixed(2)} µs per request\n\n`);
  process.stdout.write('Self time by package:\n');
  for (const [k, us] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 20)) process.stdout.write(`  ${pct(us)}  ${k}\n`);
  process.stdout.write('\nSelf time by function:\n');
  for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) process.stdout.write(`  ${pct(us)}  ${k}\n`);
  // Inclusive time: each sample counts once for every distinct function on its stack.
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map();
  for (const [id, us] of dt) {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const cf = byNode.get(at).callFrame;
      if (!cf.functionName) continue;
      const key = `${cf.functionName}  ${where(cf).u}:${cf.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  process.stdout.write('\nTotal time (self and callees) by named function:\n');
  for (const [k, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.BENCH_PROFILE_TOP ?? 45)))
    process.stdout.write(`  ${pct(us)}  ${k}\n`);
  if (process.env.BENCH_PROFILE_KEEP) process.stdout.write(`\nprofile kept: ${join(profDir, file)}\n`);
} finally {
  killAllChildren();
  if (postgres) await pgAdmin(`drop schema ${schema} cascade`);
  if (!process.env.BENCH_PROFILE_KEEP) rmSync(dataDir, { recursive: true, force: true });
}
