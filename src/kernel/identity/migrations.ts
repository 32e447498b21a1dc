import type { Migration } from '../db/migrator.js';

export interface AccountsTable {
  id: string;
  kind: 'citizen' | 'agent';
  email: string;
  password_hash: string | null;
  display_name: string;
  is_admin: number;
  status: 'active' | 'disabled';
  created_at: string;
  updated_at: string;
}

declare module '../db/schema.js' {
  interface Tables {
    accounts: AccountsTable;
  }
}

export const identityMigrations: Record<string, Migration> = {
  '0001_accounts': {
    async up(db) {
      await db.schema
        .createTable('accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text')
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // One account per e-mail and kind: a resident may also be an agent, with separate accounts.
      await db.schema.createIndex('accounts_kind_email').unique().on('accounts').columns(['kind', 'email']).execute();
    },
  },
};
