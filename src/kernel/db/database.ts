import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type SQLiteDriver from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type PgDriver from 'pg';
import { preparedStatements } from './hot-query.js';
import type { Tables } from './schema.js';

// Only the engine in use is loaded: a SQLite process never pays for pg, and the reverse.
const require = createRequire(import.meta.url);
let pgLoaded: typeof PgDriver | undefined;
function loadPg(): typeof PgDriver {
  if (!pgLoaded) {
    pgLoaded = require('pg') as typeof PgDriver;
    // PostgreSQL returns bigint counts (int8) as strings by default; our counts fit in a JS number.
    pgLoaded.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
  }
  return pgLoaded;
}

export type Engine = 'sqlite' | 'postgres';
export type Db = Kysely<Tables>;

export interface Database {
  db: Db;
  engine: Engine;
  /** A short description for logs, without credentials. */
  describe: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `postgres://…` for PostgreSQL; otherwise SQLite at `sqliteFile`. */
  url?: string;
  sqliteFile: string;
  /** PostgreSQL schema to work in (tests isolate themselves with one schema per file). */
  schema?: string;
  poolSize?: number;
}

export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//.test(url);
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew, and SQLite's parsing and planning then cost more than running
 * the query. Prepared statements are reused by their SQL text (the parameters change, the text does
 * not); one still being iterated (a streamed export) is never shared.
 */
function withStatementCache(sqlite: SQLiteDriver.Database): Pick<SQLiteDriver.Database, 'prepare' | 'close'> {
  const cache = new Map<string, SQLiteDriver.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      const cached = cache.get(text);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(text);
      if (!cached) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
        cache.set(text, statement);
      }
      return statement;
    },
  } as Pick<SQLiteDriver.Database, 'prepare' | 'close'>;
}

type PgQuery = (this: PgDriver.PoolClient, ...args: unknown[]) => unknown;

/**
 * Runs the statements of `preparedStatements` (those of every request, see `hotQuery`) as named
 * prepared statements on this connection: PostgreSQL parses and plans each once per connection
 * instead of once per request. Every other statement is sent as before.
 */
function usePreparedStatements(client: PgDriver.PoolClient): void {
  const query = client.query as unknown as PgQuery;
  (client as unknown as { query: PgQuery }).query = function (this: PgDriver.PoolClient, ...args: unknown[]) {
    const [text, values] = args;
    if (args.length === 2 && typeof text === 'string' && Array.isArray(values)) {
      const name = preparedStatements.get(text);
      if (name) return query.call(this, { name, text, values });
    }
    return query.apply(this, args);
  };
}

export function openDatabase(options: DatabaseOptions): Database {
  if (isPostgresUrl(options.url)) {
    const pool = new (loadPg().Pool)({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    pool.on('connect', (client) => usePreparedStatements(client));
    const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
    const u = new URL(options.url);
    return {
      db,
      engine: 'postgres',
      describe: `postgres ${u.hostname}:${u.port || 5432}${u.pathname}${options.schema ? ` (schema ${options.schema})` : ''}`,
      close: () => db.destroy(),
    };
  }
  mkdirSync(dirname(options.sqliteFile), { recursive: true });
  const SQLite = require('better-sqlite3') as typeof SQLiteDriver;
  const sqlite = new SQLite(options.sqliteFile);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Several processes may share the file: wait for the write lock instead of failing at once.
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, engine: 'sqlite', describe: `sqlite ${options.sqliteFile}`, close: () => db.destroy() };
}
