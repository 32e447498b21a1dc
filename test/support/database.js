import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../../src/kernel/db/database.js';
/** The engine this test run targets: `npm test` runs the whole suite once per engine. */
export const testEngine = process.env.CIVITAS_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
export const testPostgresUrl = process.env.CIVITAS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/**
 * A fresh, isolated database for one test file: a SQLite file in a temporary folder, or a new
 * PostgreSQL schema in database `test`, so test files can run in parallel.
 */
export async function createTestDatabase() {
  const dataDir = mkdtempSync(join(tmpdir(), 'civitas-test-'));
  const sqliteFile = join(dataDir, 'civitas.db');
  if (testEngine === 'sqlite') {
    const database = openDatabase({ sqliteFile });
    return {
      database,
      url: undefined,
      sqliteFile,
      schema: undefined,
      dataDir,
      async drop() {
        await database.close().catch(() => undefined);
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const database = openDatabase({ url: testPostgresUrl, sqliteFile, schema, poolSize: 5 });
  return {
    database,
    url: testPostgresUrl,
    sqliteFile,
    schema,
    dataDir,
    async drop() {
      await database.close().catch(() => undefined);
      const c = new pg.Client({ connectionString: testPostgresUrl });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
//# sourceMappingURL=database.js.map
