import { type Kysely, sql } from 'kysely';
import type { Database } from './database.js';
import { nowIso } from './values.js';

/** One migration: `up` runs inside the transaction that records it. Never edit an applied one. */
export interface Migration {
  up(db: Kysely<any>): Promise<void>;
}

/** Migrations of one owner (the kernel or a module), applied in the order of their names. */
export interface MigrationSet {
  owner: string;
  migrations: Record<string, Migration>;
}

export interface AppliedMigration {
  owner: string;
  name: string;
}

const TABLE = 'civitas_migrations';

/**
 * One migration step, serialised across processes: on PostgreSQL a transaction holding an advisory
 * lock; on SQLite a `BEGIN IMMEDIATE` transaction, which takes the write lock at once (waiting for it
 * up to the busy timeout) — a deferred one that read first could not upgrade to writing once another
 * process had committed, and would fail with SQLITE_BUSY.
 */
async function serialised<T>(database: Database, work: (trx: Kysely<any>) => Promise<T>): Promise<T> {
  if (database.engine === 'postgres') {
    return database.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${TABLE}))`.execute(trx);
      return work(trx);
    });
  }
  return database.db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await work(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn);
      throw err;
    }
  });
}

/**
 * Applies every pending migration, owner after owner in the given order (dependencies first).
 * Safe with several processes starting at once (see `serialised`).
 */
export async function migrate(database: Database, sets: MigrationSet[]): Promise<AppliedMigration[]> {
  await serialised(database, async (trx) => {
    await trx.schema
      .createTable(TABLE)
      .ifNotExists()
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('civitas_migrations_pk', ['owner', 'name'])
      .execute();
  });

  const applied: AppliedMigration[] = [];
  for (const set of sets) {
    for (const name of Object.keys(set.migrations).sort()) {
      const migration = set.migrations[name] as Migration;
      const done = await serialised(database, async (trx) => {
        const exists = await (trx as Kysely<any>)
          .selectFrom(TABLE)
          .select('name')
          .where('owner', '=', set.owner)
          .where('name', '=', name)
          .executeTakeFirst();
        if (exists) return false;
        try {
          await migration.up(trx);
        } catch (err) {
          throw new Error(`Migration ${set.owner}/${name} failed: ${(err as Error).message}`, { cause: err });
        }
        await (trx as Kysely<any>).insertInto(TABLE).values({ owner: set.owner, name, applied_at: nowIso() }).execute();
        return true;
      });
      if (done) applied.push({ owner: set.owner, name });
    }
  }
  return applied;
}

export async function appliedMigrations(database: Database): Promise<AppliedMigration[]> {
  return (database.db as Kysely<any>).selectFrom(TABLE).select(['owner', 'name']).orderBy('owner').orderBy('name').execute();
}
