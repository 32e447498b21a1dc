import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { kernelMigrationSets } from '../boot.js';
import { appliedMigrations, type MigrationSet, migrate } from './migrator.js';

const execFileAsync = promisify(execFile);

let t: TestDatabase;
beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(async () => t.drop());

const tables = async (db: Kysely<any>) => (await db.introspection.getTables()).map((x) => x.name).sort();

const notes: MigrationSet = {
  owner: 'module:notes',
  migrations: {
    '0002_index': { up: (db) => db.schema.createIndex('notes_body').on('notes').column('body').execute() },
    '0001_table': {
      up: (db) =>
        db.schema
          .createTable('notes')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('body', 'text')
          .execute(),
    },
  },
};

describe('migrate', () => {
  it('applies every kernel migration on this engine, then nothing the second time', async () => {
    const first = await migrate(t.database, kernelMigrationSets);
    expect(first.length).toBeGreaterThanOrEqual(4);
    expect(await tables(t.database.db)).toEqual(expect.arrayContaining(['accounts', 'files', 'jobs', 'kernel_state', 'rate_limits']));
    expect(await migrate(t.database, kernelMigrationSets)).toEqual([]);
  });

  it('applies a module’s migrations in name order and records them', async () => {
    const applied = await migrate(t.database, [notes]);
    expect(applied.map((m) => m.name)).toEqual(['0001_table', '0002_index']);
    expect(await appliedMigrations(t.database)).toEqual([
      { owner: 'module:notes', name: '0001_table' },
      { owner: 'module:notes', name: '0002_index' },
    ]);
  });

  it('rolls a failing migration back whole and names it', async () => {
    const broken: MigrationSet = {
      owner: 'module:broken',
      migrations: {
        '0001_half': {
          async up(db) {
            await db.schema.createTable('half').addColumn('id', 'text').execute();
            await db.schema.createTable('half').addColumn('id', 'text').execute();
          },
        },
      },
    };
    await expect(migrate(t.database, [broken])).rejects.toThrow(/Migration module:broken\/0001_half failed/);
    expect(await tables(t.database.db)).not.toContain('half');
    expect(await appliedMigrations(t.database)).toEqual([]);
  });

  it('applies each migration once when two processes start at the same moment', async () => {
    const env = { ...process.env, FIXTURE_DATABASE_URL: t.url ?? '', FIXTURE_SQLITE_FILE: t.sqliteFile, FIXTURE_SCHEMA: t.schema ?? '' };
    const run = () => execFileAsync(process.execPath, ['--import', 'tsx', 'test/fixtures/migrate.ts'], { env });
    const outputs = await Promise.all([run(), run()]);
    const all = outputs.flatMap((o) => JSON.parse(o.stdout) as { owner: string; name: string }[]).map((m) => `${m.owner}/${m.name}`);
    expect(all.sort()).toEqual(kernelMigrationSets.flatMap((set) => Object.keys(set.migrations).map((n) => `${set.owner}/${n}`)).sort());
  });
});
