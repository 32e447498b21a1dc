#!/usr/bin/env node
// `npm test`: the whole suite once on SQLite, then once on PostgreSQL.
// PostgreSQL is used when reachable (CIVITAS_TEST_POSTGRES_URL, default 127.0.0.1:5432/test); when it
// is not, the run says so loudly, and with CI=true it fails: CI must prove both engines.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const url = process.env.CIVITAS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const extra = process.argv.slice(2);
const resultsDir = '.test-results';
mkdirSync(resultsDir, { recursive: true });

async function postgresReachable() {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (err) {
    return err;
  } finally {
    await client.end().catch(() => {});
  }
}

const reachable = await postgresReachable();
const engines = ['sqlite'];
if (reachable === true) engines.push('postgres');
else {
  const banner = '!'.repeat(78);
  console.error(
    `\n${banner}\n!! PostgreSQL is NOT reachable at ${url}: ${reachable.message}\n!! The PostgreSQL half of the suite is SKIPPED.\n${banner}\n`,
  );
  if (process.env.CI === 'true') {
    console.error('CI=true: a run without PostgreSQL does not count. Failing.');
    process.exit(1);
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
let exitCode = 0;
for (const engine of engines) {
  console.log(`\n=== Test suite on ${engine} ===\n`);
  const out = join(resultsDir, `${engine}.json`);
  const run = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...extra], {
    stdio: 'inherit',
    env: { ...process.env, CIVITAS_TEST_DB: engine },
  });
  if (run.status !== 0) exitCode = 1;
  try {
    const report = JSON.parse(readFileSync(out, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    if (report.numTotalTests === 0) exitCode = 1;
  } catch {
    exitCode = 1;
  }
}
console.log(`\nEngines: ${engines.join(', ')}${engines.length === 1 ? ' (PostgreSQL SKIPPED)' : ''}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(exitCode);
