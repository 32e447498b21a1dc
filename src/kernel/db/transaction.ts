import type { Transaction } from 'kysely';
import type { Db } from './database.js';
import type { Tables } from './schema.js';

export type Trx = Transaction<Tables>;
/** A connection or a transaction: domain functions accept either, so callers choose the boundary. */
export type Executor = Db | Trx;

/** Runs `work` in one transaction: the domain write, its history and its outgoing events commit together. */
export function inTransaction<T>(db: Db, work: (trx: Trx) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}
