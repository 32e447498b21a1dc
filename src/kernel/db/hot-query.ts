import { CompiledQuery, PostgresAdapter, type QueryResult, type RawBuilder } from 'kysely';
import type { Engine } from './database.js';
import type { Executor } from './transaction.js';

/**
 * SQL texts of the statements run on (almost) every request. On PostgreSQL, `openDatabase` runs
 * them as named prepared statements: each connection parses and plans them once, not per request.
 */
export const preparedStatements = new Map<string, string>();

/**
 * A plain SQL statement run on (almost) every request: compiled once per dialect (SQLite's `?`,
 * PostgreSQL's `$1`), then executed with each call's parameters, skipping Kysely's query building
 * and compiling; on PostgreSQL a prepared statement (see `preparedStatements`). `build` receives
 * the engine (for the rare function that differs) and the parameters, each to be used once, in order.
 */
export function hotQuery<Row, Params extends unknown[]>(
  name: string,
  build: (engine: Engine, ...params: Params) => RawBuilder<Row>,
): (db: Executor, ...params: Params) => Promise<QueryResult<Row>> {
  const texts = new WeakMap<object, string>();
  return (db, ...params) => {
    const adapter = db.getExecutor().adapter;
    let text = texts.get(adapter);
    if (text === undefined) {
      const compiled = build(adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite', ...params).compile(db);
      if (compiled.parameters.length !== params.length) throw new Error(`hotQuery ${name}: use each parameter once, in order.`);
      text = compiled.sql;
      texts.set(adapter, text);
      if (!preparedStatements.has(text)) preparedStatements.set(text, `civitas_${name}_${preparedStatements.size}`);
    }
    return db.executeQuery(CompiledQuery.raw(text, params)) as Promise<QueryResult<Row>>;
  };
}
