import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/kernel/db/database.js';
import { verifyPassword } from '../src/kernel/identity/password.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

let t: TestDatabase;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  t = await createTestDatabase();
  await t.database.close();
  env = {
    ...process.env,
    DATABASE_URL: t.url ? `${t.url}?options=-c%20search_path%3D${t.schema}` : '',
    CIVITAS_DATA_DIR: t.dataDir,
    CIVITAS_LOG_LEVEL: 'warn',
  };
});
afterAll(async () => t.drop());

const civitas = (args: string[], input?: string) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin?.end(input);
  });

describe('civitas CLI', () => {
  it('prints help for itself and for each command', async () => {
    const main = await civitas(['--help']);
    expect(main.code).toBe(0);
    for (const command of ['start', 'migrate', 'seed', 'create-admin', 'jobs']) {
      expect(main.stdout).toContain(command);
      const help = await civitas([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: civitas ${command}`);
    }
  });

  it('refuses an unknown command with the list of commands', async () => {
    const res = await civitas(['frobnicate']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('unknown command "frobnicate"');
  });

  it('migrates, then says the database is up to date', async () => {
    const first = await civitas(['migrate']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Applied \d+ migration\(s\):\n {2}kernel:core\/0001_core/);
    expect((await civitas(['migrate'])).stdout).toBe('Database is up to date.\n');
  });

  it('creates an administrator from a password on standard input, and refuses a short one', async () => {
    const short = await civitas(['create-admin', '--email', 'admin@paris.example', '--password-stdin'], 'short\n');
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('between 12 and 256 characters');
    const ok = await civitas(
      ['create-admin', '--email', 'Admin@Paris.example', '--name', 'Ada', '--password-stdin'],
      'correct horse battery staple\n',
    );
    expect(ok.stdout).toBe('Administrator Admin@Paris.example created.\n');
    const database = openDatabase({ url: t.url, sqliteFile: t.sqliteFile, schema: t.schema });
    try {
      const row = await database.db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow();
      expect(row).toMatchObject({ kind: 'agent', email: 'admin@paris.example', display_name: 'Ada', is_admin: 1 });
      expect(await verifyPassword('correct horse battery staple', row.password_hash as string)).toBe(true);
      expect(await verifyPassword('wrong', row.password_hash as string)).toBe(false);
    } finally {
      await database.close();
    }
  });

  // Seeding the whole demo city takes 22 s on PostgreSQL on a slow 2-core machine, more beside other tests.
  it('seeds the demo city once', { timeout: 90_000 }, async () => {
    expect((await civitas(['seed'])).stdout).toBe('Demo city seeded.\n');
    expect((await civitas(['seed'])).stdout).toBe('The database was already seeded; use --force to seed again.\n');
  });

  it('lists dead jobs', async () => {
    const res = await civitas(['jobs', 'dead']);
    expect(res.stdout).toBe('No dead jobs.\n');
    expect((await civitas(['jobs', 'replay', 'nope'])).stderr).toContain('job nope is not in the dead-letter list');
  });
});
