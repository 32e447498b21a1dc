import type { Migration } from '../../../kernel/db/migrator.js';

/** A client application's Open311 key: only its SHA-256 is kept, the key itself is shown once. */
export interface Open311KeysTable {
  id: string;
  /** Hex SHA-256 of the key. */
  key_hash: string;
  /** Who the key is for ("Appli DansMaRue iOS", "FixMyStreet"). */
  name: string;
  /** The agent who issued it; null when issued with the command line. */
  created_by: string | null;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

/**
 * What an Open311 client sent about the reporter with a request. Kept apart from the report: only
 * agents see it (to contact the reporter), never the public record.
 */
export interface Open311RequestsTable {
  report_id: string;
  key_id: string;
  /** The client's own account id for the reporter, returned as Open311 `account_id`. */
  account_ref: string | null;
  device_id: string | null;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  created_at: string;
}

declare module '../../../kernel/db/schema.js' {
  interface Tables {
    street_report_open311_keys: Open311KeysTable;
    street_report_open311_requests: Open311RequestsTable;
  }
}

export const open311KeysMigration: Migration = {
  async up(db) {
    await db.schema
      .createTable('street_report_open311_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('last_used_at', 'text')
      .execute();
    await db.schema
      .createTable('street_report_open311_requests')
      .addColumn('report_id', 'text', (c) => c.primaryKey())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('account_ref', 'text')
      .addColumn('device_id', 'text')
      .addColumn('email', 'text')
      .addColumn('first_name', 'text')
      .addColumn('last_name', 'text')
      .addColumn('phone', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('street_report_open311_requests_key').on('street_report_open311_requests').column('key_id').execute();
  },
};
