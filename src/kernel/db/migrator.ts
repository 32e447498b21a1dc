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
 * Serialises migrating processes until the transaction ends: PostgreSQL with an advisory lock;
 * SQLite by taking its write lock at once (a write to a scratch table), before anything is read.
 */
async function lock(database: Database, trx: Kysely<any>): Promise<void> {
  if (database.engine === 'postgres') {
    await sql`select pg_advisory_xact_lock(hashtext(${TABLE}))`.execute(trx);
  } else {
    await sql`create table if not exists civitas_migrations_lock (id integer)`.execute(trx);
    await sql`delete from civitas_migrations_lock`.execute(trx);
  }
}

/**
 * Applies every pending migration, owner after owner in the given order (dependencies first).
 * Safe with several processes starting at once (see `lock`).
 */
export async function migrate(database: Database, sets: MigrationSet[]): Promise<AppliedMigration[]> {
  const { db } = database;
  await db.transaction().execute(async (trx) => {
    await lock(database, trx);
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
      const done = await db.transaction().execute(async (trx) => {
        await lock(database, trx);
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
