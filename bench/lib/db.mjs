// Direct access to the database of the Civitas under test, for the scenarios' bulk seeding and
// checks: the SQLite file of its data dir (the server keeps running: WAL lets both work), or its
// PostgreSQL schema (ctx.env.DATABASE_URL carries it in options=-c search_path=…).
import { join } from 'node:path';

/**
 * Rows per SQLite transaction: few commits (each rewrites the index pages it touched), yet a hold of
 * the write lock of ~2 s, well under the server's busy timeout of 5 s (its job workers write too).
 */
const SQLITE_TRANSACTION_ROWS = 100_000;
/** Rows per PostgreSQL statement. */
const POSTGRES_STATEMENT_ROWS = 20_000;
/** PostgreSQL array types of the column types `insertRows` takes. */
const SQL_TYPES = { text: 'text', int: 'integer', float: 'double precision' };

/**
 * `all(sql, params)` and `run(sql, params)` take `?` placeholders on both engines; `snapshot(work)`
 * runs them in one read transaction;
 * `insertRows(table, columns, rows)` inserts arrays of values, `columns` being
 * `[name, 'text' | 'int' | 'float']` pairs.
 */
export async function openDatabase(ctx) {
  return ctx.engine === 'postgres' ? openPostgres(ctx.env.DATABASE_URL) : openSqlite(join(ctx.dataDir, 'civitas.db'));
}

async function openSqlite(file) {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // The server may be writing (its job workers): wait for it rather than fail.
  db.pragma('busy_timeout = 10000');
  // A large page cache for the bulk load (this connection only, closed right after).
  db.pragma('cache_size = -1048576');
  const statements = new Map();
  const prepare = (sql) => {
    if (!statements.has(sql)) statements.set(sql, db.prepare(sql));
    return statements.get(sql);
  };
  return {
    engine: 'sqlite',
    async all(sql, params = []) {
      return prepare(sql).all(...params);
    },
    async run(sql, params = []) {
      prepare(sql).run(...params);
    },
    /** Runs `work` in a read transaction: its queries see one state of the database. */
    async snapshot(work) {
      db.exec('begin');
      try {
        return await work();
      } finally {
        db.exec('commit');
      }
    },
    async insertRows(table, columns, rows) {
      const stmt = db.prepare(`insert into ${table} (${columns.map(([c]) => c).join(', ')}) values (${columns.map(() => '?').join(', ')})`);
      const insert = db.transaction((chunk) => {
        for (const row of chunk) stmt.run(row);
      });
      for (let i = 0; i < rows.length; i += SQLITE_TRANSACTION_ROWS) insert(rows.slice(i, i + SQLITE_TRANSACTION_ROWS));
    },
    /**
     * Moves the WAL into the database file, so the server does not read a 300 MB WAL afterwards.
     * No ANALYZE: Civitas never runs it on SQLite, so its planner works without statistics.
     */
    async settle() {
      db.pragma('wal_checkpoint(PASSIVE)');
    },
    async close() {
      db.close();
    },
  };
}

async function openPostgres(url) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const numbered = (sql) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  return {
    engine: 'postgres',
    async all(sql, params = []) {
      return (await client.query(numbered(sql), params)).rows;
    },
    async run(sql, params = []) {
      await client.query(numbered(sql), params);
    },
    async snapshot(work) {
      await client.query('begin isolation level repeatable read read only');
      try {
        return await work();
      } finally {
        await client.query('commit');
      }
    },
    // One statement per chunk: the columns as arrays, unnested server-side (no 65,535-parameter limit).
    async insertRows(table, columns, rows) {
      const names = columns.map(([c]) => c).join(', ');
      const arrays = columns.map(([, type], i) => `$${i + 1}::${SQL_TYPES[type] ?? 'text'}[]`).join(', ');
      const sql = `insert into ${table} (${names}) select * from unnest(${arrays})`;
      for (let i = 0; i < rows.length; i += POSTGRES_STATEMENT_ROWS) {
        const chunk = rows.slice(i, i + POSTGRES_STATEMENT_ROWS);
        await client.query(
          sql,
          columns.map((_, c) => chunk.map((row) => row[c])),
        );
      }
    },
    /**
     * What autovacuum does soon after a bulk load: planner statistics, and the visibility map
     * that lets index-only scans skip the table.
     */
    async settle(tables) {
      await client.query(`vacuum analyze ${tables.join(', ')}`);
    },
    async close() {
      await client.end();
    },
  };
}
