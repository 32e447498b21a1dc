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
 * On PostgreSQL, the keys asked for during the same turn of the event loop are read by one
 * statement (`= any($1)`): under load, fifty concurrent requests cost one round trip and one parse
 * of the reply instead of fifty. Nothing is kept: each request gets the rows as they are when the
 * statement runs, at most one turn of the event loop after it asked, so any process still sees a
 * session ended by another at once. On SQLite (no round trip) and inside a transaction (its own
 * connection), each key is read by itself, at once.
 *
 * `build` receives the condition on the key column (`= ?` or `= any(?)`), to place after it;
 * `keyOf` gives back the key of a row, to hand each caller its own rows.
 */
export function batchedLookup<Row>(
  name: string,
  build: (engine: Engine, match: RawBuilder<unknown>) => RawBuilder<Row>,
  keyOf: (row: Row) => string,
): (db: Executor, key: string) => Promise<Row[]> {
  const one = hotQuery(name, (engine, key: string) => build(engine, sql`= ${key}`));
  const many = hotQuery(`${name}_batch`, (engine, keys: string[]) => build(engine, sql`= any(${keys})`));
  const queues = new WeakMap<object, Waiting<Row>[]>();

  const flush = async (db: Executor, queue: Waiting<Row>[]) => {
    queues.delete(db);
    for (let start = 0; start < queue.length; start += MAX_KEYS) {
      const part = queue.slice(start, start + MAX_KEYS);
      try {
        const { rows } = await many(db, [...new Set(part.map((w) => w.key))]);
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
    if (db.isTransaction || !(db.getExecutor().adapter instanceof PostgresAdapter)) return (await one(db, key)).rows;
    return new Promise<Row[]>((resolve, reject) => {
      let queue = queues.get(db);
      if (!queue) {
        queue = [];
        queues.set(db, queue);
        const scheduled = queue;
        setImmediate(() => void flush(db, scheduled));
      }
      queue.push({ key, resolve, reject });
    });
  };
}
