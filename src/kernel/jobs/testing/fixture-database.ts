import { type Database, openDatabase } from '../../db/database.js';

/** Inside a fixture process: the test's database, described by the environment `spawnFixture` sets. */
export function openFixtureDatabase(): Database {
  const sqliteFile = process.env.CIVITAS_FIXTURE_SQLITE;
  if (!sqliteFile) throw new Error('CIVITAS_FIXTURE_SQLITE is not set: run this script through spawnFixture().');
  return openDatabase({
    url: process.env.CIVITAS_FIXTURE_URL,
    sqliteFile,
    schema: process.env.CIVITAS_FIXTURE_SCHEMA,
    poolSize: 2,
  });
}

/** Resolves with the first line the test writes to this process's stdin, then stops reading it. */
export function readStdinLine(): Promise<string> {
  return new Promise((resolve) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const end = buffer.indexOf('\n');
      if (end < 0) return;
      // An open stdin would keep the process alive after its work is done.
      process.stdin.destroy();
      resolve(buffer.slice(0, end));
    };
    process.stdin.on('data', onData);
  });
}
