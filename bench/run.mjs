#!/usr/bin/env node
// Civitas benchmark: cold start, throughput and latency of each scenario against a bare Fastify
// hello-world measured right before it, and the memory of the Civitas process. `npm run bench`.
//
// Environment:
//   BENCH_DURATION      seconds per measurement (default 10); a 2 s warm-up precedes each one
//   BENCH_WARMUP        seconds of warm-up (default 2)
//   BENCH_CONNECTIONS   concurrent connections (default 50)
//   BENCH_SLICE         seconds of each bare/scenario slice; the measurement alternates them (default 1)
//   BENCH_ONLY          comma-separated scenario names to run (default: all); "participatory budget rules"
//                       names the winners computation (bench/participatory-budget.mjs), which needs no engine
//   BENCH_CIVITAS_NODE_OPTIONS  NODE_OPTIONS for the Civitas processes only; by default they get
//                               package.json's config.serverEnv, the environment `npm start` gives the server
//   BENCH_DATABASE_URL  PostgreSQL server for the second pass (default postgres://postgres@127.0.0.1:5432/test;
//                       "off" skips it). Each run works in a fresh schema bench_<random>, dropped at the end.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openDatabase } from './lib/db.mjs';
import { measureAgainstBare } from './lib/measure.mjs';
import { freePort, killAllChildren, median, memoryOf, runNode, spawnNode, stop, waitForHttp } from './lib/processes.mjs';
import { coldStartLine, fmt, memoryLine, missedReason, scenarioTable, verdict } from './lib/report.mjs';
import { PARTICIPATORY_BUDGET, participatoryBudgetSection } from './participatory-budget.mjs';
import { passwordHashingLine } from './password-hashing.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH_DIR, '..');
const CLI = join(ROOT, 'bin/civitas.js');

const DURATION = Number(process.env.BENCH_DURATION || 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 50);
const SLICE = Number(process.env.BENCH_SLICE || 1);
const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',').map((s) => s.trim()) : null;
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const COLD_STARTS = 3;
const COLD_START_TARGET_MS = 1500;
const RSS_TARGET_MB = 200;
/** The environment `npm start` gives the server (package.json's config.serverEnv: Node and malloc tuning). */
const SERVER_ENV = Object.fromEntries(
  (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).config?.serverEnv ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);
if (process.env.BENCH_CIVITAS_NODE_OPTIONS !== undefined) SERVER_ENV.NODE_OPTIONS = process.env.BENCH_CIVITAS_NODE_OPTIONS;

const log = (message) => process.stderr.write(`[bench] ${message}\n`);

// ---------------------------------------------------------------------------------------------
// Clean-up: children are killed on every way out; temporary directories and schemas are removed.

const cleanups = [];
let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    killAllChildren();
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        log(`clean-up: ${err.message}`);
      }
    }
  })();
  return cleaning;
}
process.on('exit', killAllChildren);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    log(`${signal}: stopping the children and cleaning up`);
    const force = setTimeout(() => process.exit(130), 5000);
    force.unref();
    cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// Scenarios: bench/scenarios/*.mjs in name order, each default-exporting a scenario or an array.

async function loadScenarios() {
  const dir = join(BENCH_DIR, 'scenarios');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.mjs'))
    .sort();
  const scenarios = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(join(dir, file)).href);
    const exported = mod.default ?? mod.scenarios ?? [];
    for (const s of Array.isArray(exported) ? exported : [exported]) {
      if (!s?.name || !(s.path || s.setup))
        throw new Error(`bench/scenarios/${file}: a scenario needs a name and a path (or a setup returning one)`);
      scenarios.push({ ...s, file });
    }
  }
  return ONLY ? scenarios.filter((s) => ONLY.includes(s.name)) : scenarios;
}

/** The autocannon options of a request: method, headers, body (objects are sent as JSON). */
function requestOptions(spec) {
  const out = { method: spec.method ?? 'GET' };
  const headers = { ...(spec.headers ?? {}) };
  if (spec.body !== undefined) {
    if (typeof spec.body === 'string' || Buffer.isBuffer(spec.body)) out.body = spec.body;
    else {
      out.body = JSON.stringify(spec.body);
      headers['content-type'] ??= 'application/json';
    }
  }
  if (Object.keys(headers).length) out.headers = headers;
  if (spec.requests) out.requests = spec.requests;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Civitas

function civitasEnv(engine, dataDir, port) {
  const env = { ...process.env, CIVITAS_DATA_DIR: dataDir, CIVITAS_LOG_LEVEL: 'warn' };
  // `migrate` and `seed` (port 0) listen on nothing: they keep the city's port, as when run by hand
  // (the street-reports demo points its contractor endpoints at the simulator on that port).
  if (port) env.PORT = String(port);
  else delete env.PORT;
  // Every request of the bench comes from 127.0.0.1: the per-address limit of state-changing
  // requests (120 a minute by default) would answer the workflow scenario's POSTs with 429 after
  // a second. The limiter still runs (its counter is part of what a POST costs); it never refuses.
  env.CIVITAS_RATE_LIMIT_MAX = String(1_000_000_000);
  // Routes with their own stricter limits (uploads, new reports) fall under the one above too.
  env.CIVITAS_RATE_LIMIT_ROUTES = 'off';
  delete env.DATABASE_URL;
  Object.assign(env, SERVER_ENV);
  if (engine.databaseUrl) env.DATABASE_URL = engine.databaseUrl;
  return env;
}

async function startCivitas(engine, dataDir) {
  const port = await freePort();
  const since = performance.now();
  const child = spawnNode([CLI, 'start'], { cwd: ROOT, env: civitasEnv(engine, dataDir, port), label: `civitas start (${engine.name})` });
  const ms = await waitForHttp(child, `http://127.0.0.1:${port}/healthz`, { since, intervalMs: 10 });
  return { child, port, baseUrl: `http://127.0.0.1:${port}`, startMs: ms };
}

/** A fresh PostgreSQL schema, or the reason why PostgreSQL is skipped. */
async function preparePostgres(url) {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (err) {
    return { skipped: `PostgreSQL unreachable at ${new URL(url).host} (${err.message || err.code})` };
  }
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  await admin.query(`create schema ${schema}`);
  const drop = async () => {
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  };
  cleanups.push(drop);
  // node-postgres copies the connection string's query parameters into its config, `options`
  // included, and sends it in the startup packet: check that it really does.
  const withSchema = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const probe = new pg.Client({ connectionString: withSchema, connectionTimeoutMillis: 2000 });
  await probe.connect();
  const { rows } = await probe.query('show search_path');
  await probe.end();
  if (rows[0]?.search_path !== schema) {
    return { skipped: `node-postgres did not apply options=-c search_path (got "${rows[0]?.search_path}")` };
  }
  const tablesInSchema = async () =>
    Number((await admin.query('select count(*)::int as n from information_schema.tables where table_schema = $1', [schema])).rows[0].n);
  return { name: 'postgres', databaseUrl: withSchema, schema, tablesInSchema };
}

/**
 * fetch(), sent again once when a kept-alive connection turns out closed ("other side closed"):
 * after a long seeding, the server has closed the connections idle for more than its keep-alive
 * timeout, and this process, busy seeding, had not yet read their closing. Only for requests that
 * can be sent twice (GET, HEAD): the server closed the socket before reading them.
 */
const CLOSED_SOCKET = ['UND_ERR_SOCKET', 'EPIPE', 'ECONNRESET'];
async function fetchAgain(url, init) {
  try {
    return await fetch(url, init);
  } catch (err) {
    const method = (init?.method ?? 'GET').toUpperCase();
    if (!CLOSED_SOCKET.includes(err.cause?.code) || (method !== 'GET' && method !== 'HEAD')) throw err;
    log(`${method} ${url}: ${err.cause.message}, sent again on a new connection`);
    return fetch(url, init);
  }
}

/**
 * Waits (up to a minute) until the server's workers have run every job already due: the demo
 * city queues ~660 e-mails and timers, which the first scenarios would otherwise pay for.
 */
async function drainDueJobs(ctx) {
  const db = await openDatabase(ctx);
  const since = performance.now();
  try {
    const due = async () =>
      Number(
        (
          await db.all("select count(*) as n from jobs where status in ('queued', 'running') and run_at <= ?", [new Date().toISOString()])
        )[0].n,
      );
    const first = await due();
    let left = first;
    while (left > 0 && performance.now() - since < 60_000) {
      await new Promise((r) => setTimeout(r, 250));
      left = await due();
    }
    log(`${ctx.engine}: ${first} jobs due at start, ${left} left after ${fmt((performance.now() - since) / 1000, 1)} s of waiting`);
  } finally {
    await db.close();
  }
}

async function benchEngine(engine, scenarios, bare) {
  const dataDir = mkdtempSync(join(os.tmpdir(), `civitas-bench-${engine.name}-`));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const envFor = (port) => civitasEnv(engine, dataDir, port);

  log(`${engine.name}: migrate + seed in ${engine.schema ? `schema ${engine.schema}` : dataDir}`);
  await runNode([CLI, 'migrate'], { cwd: ROOT, env: envFor(0), label: `civitas migrate (${engine.name})` });
  await runNode([CLI, 'seed'], { cwd: ROOT, env: envFor(0), label: `civitas seed (${engine.name})` });
  if (engine.tablesInSchema) {
    const n = await engine.tablesInSchema();
    if (!n) throw new Error(`postgres: the migrations created no table in schema ${engine.schema}: search_path was not honoured`);
    log(`${engine.name}: ${n} tables in schema ${engine.schema}`);
  }

  const runsMs = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    const civitas = await startCivitas(engine, dataDir);
    runsMs.push(civitas.startMs);
    const { code, signal } = await stop(civitas.child);
    if (code !== 0)
      log(`${engine.name}: civitas exited with code ${code} (signal ${signal}) after SIGTERM:\n${civitas.child.tail.join('\n')}`);
    log(`${engine.name}: cold start ${i + 1}/${COLD_STARTS}: ${fmt(civitas.startMs)} ms`);
  }
  const cold = { runsMs, medianMs: median(runsMs) };

  const civitas = await startCivitas(engine, dataDir);
  await new Promise((r) => setTimeout(r, 1000));
  const idleMemory = memoryOf(civitas.child.pid);
  const ctx = {
    engine: engine.name,
    baseUrl: civitas.baseUrl,
    dataDir,
    env: envFor(civitas.port),
    /** fetch() against Civitas, for setups (log in, create data…). */
    fetch: (path, init) => fetchAgain(new URL(path, civitas.baseUrl), init),
  };
  await drainDueJobs(ctx);
  const rows = [];
  /** Lines under the table: seeding times, the scenarios' checks of what they wrote. */
  const notes = [];
  ctx.note = (text) => {
    log(`${engine.name}: ${text}`);
    notes.push(`${engine.name}: ${text}`);
  };
  let memory = null;
  try {
    for (const scenario of scenarios) {
      if (scenario.engines && !scenario.engines.includes(engine.name)) continue;
      const spec = { ...scenario, ...((await scenario.setup?.(ctx)) ?? {}) };
      const request = requestOptions(spec);
      const url = new URL(spec.path, civitas.baseUrl).href;
      const probe = await fetchAgain(url, { method: request.method, headers: request.headers, body: request.body, redirect: 'manual' });
      await probe.arrayBuffer();
      if (probe.status >= 300) log(`${engine.name}: ${scenario.name}: ${request.method} ${spec.path} answers ${probe.status}`);

      const connections = spec.connections ?? CONNECTIONS;
      log(
        `${engine.name}: ${scenario.name}: ${request.method} ${spec.path} vs bare (${connections} connections, ${WARMUP} s warm-up, then ${DURATION} s each in alternating ${SLICE} s slices)`,
      );
      const m = await measureAgainstBare({
        bareUrl: bare.url,
        url,
        request,
        duration: DURATION,
        warmup: WARMUP,
        slice: SLICE,
        connections,
        barePid: bare.pid,
        pid: civitas.child.pid,
      });
      const row = {
        name: scenario.name,
        engine: engine.name,
        target: spec.target,
        p95TargetMs: spec.p95TargetMs,
        connections,
        bare: m.bare,
        scenario: m.scenario,
        ratio: m.ratio,
        cpuRatio: m.cpuRatio,
      };
      rows.push(row);
      log(
        `${engine.name}: ${scenario.name}: ${fmt(m.scenario.rps)} req/s vs bare ${fmt(m.bare.rps)} → ratio ${fmt(row.ratio, 2)} ${verdict(row)}` +
          `; p50/p95/p99 ${fmt(m.scenario.p50, 1)}/${fmt(m.scenario.p95, 1)}/${fmt(m.scenario.p99, 1)} ms` +
          (m.cpuRatio ? `; CPU ${fmt(m.scenario.cpuUsPerRequest, 1)} vs ${fmt(m.bare.cpuUsPerRequest, 1)} µs/req` : '') +
          // The peak so far too: the scenario whose line first shows the final peak is the one that sets it.
          `; RSS ${fmt(memoryOf(civitas.child.pid)?.rssMb)} MB (peak so far ${fmt(memoryOf(civitas.child.pid)?.peakMb)} MB)`,
      );
      // What the scenario wrote, checked against what it was told: a wrong count is a failed target.
      const check = await spec.check?.(ctx);
      if (check) {
        ctx.note(`${scenario.name}: ${check.note}`);
        if (!check.ok) row.checkFailed = check.note;
      }
    }
  } catch (err) {
    // A scenario that fails usually fails because the server did: say what it last printed.
    const alive = civitas.child.exitCode === null && civitas.child.signalCode === null;
    log(
      `${engine.name}: a scenario failed; civitas is ${alive ? 'still running' : `gone (code ${civitas.child.exitCode}, signal ${civitas.child.signalCode})`}, its last lines:\n${civitas.child.tail.join('\n')}`,
    );
    throw err;
  } finally {
    memory = memoryOf(civitas.child.pid);
    await stop(civitas.child);
  }
  return { rows, cold, memory, idleMemory, notes };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  if (!existsSync(join(ROOT, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run "npm run build" first (or "npm run bench").');
  const scenarios = await loadScenarios();
  const participatoryBudget = !ONLY || ONLY.includes(PARTICIPATORY_BUDGET);
  if (!scenarios.length && !participatoryBudget) throw new Error(`no scenario to run${ONLY ? ` (BENCH_ONLY=${ONLY.join(',')})` : ''}`);

  // Without an HTTP scenario (BENCH_ONLY naming only the participatory budget rules), no engine is started.
  const engines = scenarios.length ? [{ name: 'sqlite' }] : [];
  let pgNote;
  if (!scenarios.length) pgNote = 'no HTTP scenario selected (BENCH_ONLY), so no engine, cold start or server memory';
  else if (!PG_URL || ['off', 'none', 'false', '0'].includes(PG_URL)) pgNote = 'PostgreSQL: skipped (BENCH_DATABASE_URL=off)';
  else {
    const pg = await preparePostgres(PG_URL);
    if (pg.skipped) pgNote = `PostgreSQL: skipped — ${pg.skipped}`;
    else {
      engines.push(pg);
      pgNote = `PostgreSQL: ran in schema ${pg.schema} (${new URL(PG_URL).host}${new URL(PG_URL).pathname}, search_path via options=-c search_path=…)`;
    }
  }
  log(`engines: ${engines.map((e) => e.name).join(', ') || 'none'}; ${pgNote}`);

  const results = [];
  let bareMemory = null;
  if (engines.length) {
    const barePort = await freePort();
    const bareChild = spawnNode([join(BENCH_DIR, 'bare-server.mjs')], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(barePort) },
      label: 'bare server',
    });
    const bare = { url: `http://127.0.0.1:${barePort}/`, pid: bareChild.pid };
    await waitForHttp(bareChild, bare.url);
    for (const engine of engines) results.push({ engine: engine.name, ...(await benchEngine(engine, scenarios, bare)) });
    bareMemory = memoryOf(bareChild.pid);
    await stop(bareChild);
  }
  // After the engines, on a machine the servers no longer load.
  const pb = participatoryBudget ? await participatoryBudgetSection({ root: ROOT, log }) : null;

  // --- report
  const cpus = os.cpus();
  const rows = results.flatMap((r) => r.rows);
  const missed = [];
  for (const row of rows) {
    if (verdict(row).includes('MISSED')) missed.push(missedReason(row));
    if (row.checkFailed) missed.push(`${row.name} (${row.engine}): check failed: ${row.checkFailed}`);
  }
  if (pb) missed.push(...pb.missed);
  for (const r of results) {
    if (r.cold.medianMs >= COLD_START_TARGET_MS)
      missed.push(`cold start (${r.engine}): ${fmt(r.cold.medianMs)} ms ≥ ${COLD_START_TARGET_MS} ms`);
    if (r.memory && r.memory.rssMb >= RSS_TARGET_MB)
      missed.push(`RSS after the bench (${r.engine}): ${fmt(r.memory.rssMb)} MB ≥ ${RSS_TARGET_MB} MB`);
  }
  const md = [
    '# Civitas benchmark',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Node ${process.version} on ${os.platform()} ${os.arch()}, CPU: ${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
    `- Engines: ${engines.map((e) => e.name).join(', ') || 'none'}. ${pgNote}`,
    `- Civitas started as \`npm start\` starts it, with ${
      Object.entries(SERVER_ENV)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ') || 'no extra environment'
    }`,
    `- autocannon: ${CONNECTIONS} connections (unless the row names another number, used for its bare slices too), pipelining 1; per scenario ${WARMUP} s warm-up of both, then ${DURATION} s of each, alternating bare Fastify hello-world (bench/bare-server.mjs) and scenario in ${SLICE} s slices. req/s: totals over the slices; ratio: median of the per-slice scenario ÷ bare ratios; p50/p95/p99: over every response of the scenario; CPU µs/req: server CPU time (user+system, /proc) per request, scenario (bare) — steadier than req/s on a busy machine`,
    '',
    ...(rows.length ? [scenarioTable(rows, { defaultConnections: CONNECTIONS }), ''] : []),
    ...results.flatMap((r) => r.notes.map((n) => `- ${n}`)),
    ...results.map((r) => coldStartLine(r.engine, r.cold, COLD_START_TARGET_MS)),
    ...results.map((r) => memoryLine(r.engine, r.memory, RSS_TARGET_MB, r.idleMemory)),
    bareMemory ? `- RSS of the bare server, for reference: ${fmt(bareMemory.rssMb)} MB now, ${fmt(bareMemory.peakMb)} MB peak` : '',
    await passwordHashingLine(),
    '',
    ...(pb ? [...pb.lines, ''] : []),
    missed.length ? `**MISSED** targets:\n${missed.map((m) => `- MISSED: ${m}`).join('\n')}` : 'All targets met.',
    '',
  ].join('\n');
  process.stdout.write(`\n${md}`);
  writeFileSync(join(BENCH_DIR, 'RESULTS.md'), md);
  log('written to bench/RESULTS.md');
}

try {
  await main();
} catch (err) {
  process.stderr.write(`[bench] failed: ${err.stack || err.message}${err.cause ? `\n  cause: ${err.cause.stack || err.cause}` : ''}\n`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
