import { type Kysely, type KyselyPlugin, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { batchedLookup } from './batched-lookup.js';
import type { Db } from './database.js';

let t: TestDatabase;
let statements: number;
let db: Db;

/** Counts the statements that reach the database. */
const counter: KyselyPlugin = {
  transformQuery: (args) => args.node,
  transformResult: async (args) => {
    statements++;
    return args.result;
  },
};

beforeEach(async () => {
  t = await createTestDatabase();
  const raw = t.database.db as unknown as Kysely<any>;
  await raw.schema.createTable('lookup_items').addColumn('key', 'text').addColumn('n', 'integer').execute();
  await raw
    .insertInto('lookup_items')
    .values([
      { key: 'a', n: 1 },
      { key: 'b', n: 2 },
      { key: 'b', n: 3 },
      { key: 'é "\\ \'', n: 4 },
      ...Array.from({ length: 250 }, (_, i) => ({ key: `k${i}`, n: i })),
    ])
    .execute();
  db = t.database.db.withPlugin(counter);
  statements = 0;
});
afterEach(async () => t.drop());

const items = batchedLookup(
  'test_items',
  (_engine, match) => sql<{ key: string; n: number }>`select key, n from lookup_items where key ${match} order by n`,
  (row) => row.key,
);

describe('batchedLookup', () => {
  it('gives each caller the rows of its own key, none for an unknown key, the same to callers of one key', async () => {
    const [a, b, none, again] = await Promise.all([items(db, 'a'), items(db, 'b'), items(db, 'zz'), items(db, 'a')]);
    expect(a.map((r) => Number(r.n))).toEqual([1]);
    expect(b.map((r) => Number(r.n))).toEqual([2, 3]);
    expect(none).toEqual([]);
    expect(again.map((r) => Number(r.n))).toEqual([1]);
    expect(statements).toBe(1);
  });

  it('passes keys with quotes, backslashes and accents intact, a lone key by itself', async () => {
    const odd = 'é "\\ \'';
    const [found] = await Promise.all([items(db, odd), items(db, 'a')]);
    expect(found.map((r) => Number(r.n))).toEqual([4]);
    expect((await items(db, odd)).map((r) => Number(r.n))).toEqual([4]);
    expect(statements).toBe(2);
  });

  it('reads at most 100 keys per statement, every caller still answered', async () => {
    const rows = await Promise.all(Array.from({ length: 250 }, (_, i) => items(db, `k${i}`)));
    expect(rows.map((r) => Number(r[0]?.n))).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(statements).toBe(3);
  });

  it('reads the rows as they are when asked: a change committed before is seen', async () => {
    expect(await items(db, 'a')).toHaveLength(1);
    await db
      .deleteFrom('lookup_items' as never)
      .where('key' as never, '=', 'a' as never)
      .execute();
    expect(await items(db, 'a')).toEqual([]);
  });

  it('inside a transaction, reads on the transaction’s connection, which sees its own writes', async () => {
    const seen = await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('lookup_items' as never)
        .values({ key: 'c', n: 9 } as never)
        .execute();
      return items(trx, 'c');
    });
    expect(seen.map((r) => Number(r.n))).toEqual([9]);
  });

  it('while a statement is on its way, keys asked in later turns wait for it and go together in the next', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const started: number[] = [];
    const slow = t.database.db.withPlugin({
      transformQuery: (args) => {
        started.push(statements);
        return args.node;
      },
      transformResult: async (args) => {
        if (statements === 0) await held;
        statements++;
        return args.result;
      },
    });
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    const first = items(slow, 'a');
    await turn();
    await turn();
    expect(started).toEqual([0]);
    const later = [items(slow, 'b')];
    await turn();
    later.push(items(slow, 'k7'));
    await turn();
    expect(started).toEqual([0]);
    release();
    expect((await first).map((r) => Number(r.n))).toEqual([1]);
    expect((await Promise.all(later)).map((rows) => rows.map((r) => Number(r.n)))).toEqual([[2, 3], [7]]);
    // The second statement began once the first had ended, and read both later keys.
    expect(started).toEqual([0, 1]);
    expect(statements).toBe(2);
  });

  it('hands a failing statement’s error to every caller of its batch, and the next batch works', async () => {
    const broken = batchedLookup(
      'test_broken',
      (_engine, match) => sql<{ key: string }>`select key from no_such_table where key ${match}`,
      (row) => row.key,
    );
    const results = await Promise.allSettled([broken(db, 'a'), broken(db, 'b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/no_such_table/);
    expect(await items(db, 'a')).toHaveLength(1);
  });
});
