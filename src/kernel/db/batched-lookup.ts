import { PostgresAdapter, type RawBuilder, sql } from 'kysely';
import type { Engine } from './database.js';
import { hotQuery } from './hot-query.js';
import type { Executor } from './transaction.js';

const MAX_KEYS = 100;

interface Waiting<Row> {
  key: string;
  resolve(rows: Row[]): void;
  reject(err: unknown): void;
}

/**
 * A statement run on (almost) every request to read rows by one key (a session by its token hash).
 * The keys asked for during the same turn of the event loop are read by one statement, and while
 * one is on its way to the database, the keys asked meanwhile wait for it to end and go together in
 * the next: under load, fifty concurrent requests cost one or two statements instead of fifty.
 * On PostgreSQL that saves round trips, which are dear: a statement costs this process about
 * 90–140 µs of CPU over loopback TCP (measured on the 2-core bench machine; about 40 µs over a Unix
 * socket), mostly in the kernel. On SQLite, whose statements run on the request thread, one
 * statement walks the same index pages for every key while they are still in the CPU's cache
 * (measured: 6 µs in a loop, 25–28 µs between two requests, most likely because the rest of a
 * request's work evicts them); there a statement usually ends before another request is read, so the
 * keys of one turn go together as before.
 *
 * Nothing is kept: each request gets the rows as they are when a statement begun after it asked
 * runs (one turn of the event loop later, or one round trip when another statement is on its way),
 * so any process still sees a session ended by another at once. Inside a transaction, the key is
 * read by itself, on the transaction's connection.
 *
 * `build` receives the condition on the key column (`= ?`, `= any(?)` or `in (… json_each(?))`), to
 * place after it; `keyOf` gives back the key of a row, to hand each caller its own rows.
 */
export function batchedLookup<Row>(
  name: string,
  build: (engine: Engine, match: RawBuilder<unknown>) => RawBuilder<Row>,
  keyOf: (row: Row) => string,
): (db: Executor, key: string) => Promise<Row[]> {
  const one = hotQuery(name, (engine, key: string) => build(engine, sql`= ${key}`));
  // PostgreSQL takes an array parameter; SQLite a JSON array, unnested by json_each.
  const many = hotQuery(`${name}_batch`, (engine, keys: string[] | string) =>
    build(engine, engine === 'postgres' ? sql`= any(${keys})` : sql`in (select value from json_each(${keys}))`),
  );
  const queues = new WeakMap<object, Waiting<Row>[]>();
  // The databases with a statement of this lookup on its way: keys asked meanwhile wait for it to end.
  const busy = new WeakSet<object>();

  const flush = async (db: Executor, queue: Waiting<Row>[]) => {
    queues.delete(db);
    busy.add(db);
    try {
      await read(db, queue);
    } finally {
      busy.delete(db);
      const next = queues.get(db);
      if (next) setImmediate(() => void flush(db, next));
    }
  };

  const read = async (db: Executor, queue: Waiting<Row>[]) => {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    for (let start = 0; start < queue.length; start += MAX_KEYS) {
      const part = queue.slice(start, start + MAX_KEYS);
      try {
        const keys = [...new Set(part.map((w) => w.key))];
        const { rows } = await (keys.length === 1 ? one(db, keys[0] as string) : many(db, postgres ? keys : JSON.stringify(keys)));
        const byKey = new Map<string, Row[]>();
        for (const row of rows) {
          const key = keyOf(row);
          const list = byKey.get(key);
          if (list) list.push(row);
          else byKey.set(key, [row]);
        }
        for (const w of part) w.resolve(byKey.get(w.key) ?? []);
      } catch (err) {
        for (const w of part) w.reject(err);
      }
    }
  };

  return async (db, key) => {
    if (db.isTransaction) return (await one(db, key)).rows;
    return new Promise<Row[]>((resolve, reject) => {
      let queue = queues.get(db);
      if (!queue) {
        queue = [];
        queues.set(db, queue);
        const scheduled = queue;
        if (!busy.has(db)) setImmediate(() => void flush(db, scheduled));
      }
      queue.push({ key, resolve, reject });
    });
  };
}
