import type { Migration } from '../db/migrator.js';

declare module '../db/schema.js' {
  interface Tables {
    kernel_state: { key: string; value: string; updated_at: string };
    rate_limits: { key: string; window_start: string; hits: number };
  }
}

/** The kernel's own small tables: shared state (the secret, the demo flag) and rate-limit counters. */
export const coreMigrations: Record<string, Migration> = {
  '0001_core': {
    async up(db) {
      await db.schema
        .createTable('kernel_state')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('rate_limits')
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('window_start', 'text', (c) => c.notNull())
        .addColumn('hits', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('rate_limits_pk', ['key', 'window_start'])
        .execute();
    },
  },
};
