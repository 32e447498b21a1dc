import type { MigrationSet } from '../db/migrator.js';

export interface FormDraftsTable {
  id: string;
  account_id: string;
  form_code: string;
  /** Version of the definition the answers were typed against. */
  form_version: number;
  /** What the answers are for ("procedures:application:<id>"), or null for a form that stands alone. */
  subject: string | null;
  /** Code of the step the person is at. */
  step: string | null;
  /** JSON of the values as posted (valid or not), so nothing typed is ever lost. */
  data: string;
  /** JSON array of the ids of the files uploaded in this draft (owned by it until submitted). */
  file_ids: string;
  created_at: string;
  updated_at: string;
  expires_at: string;
}

declare module '../db/schema.js' {
  interface Tables {
    form_drafts: FormDraftsTable;
  }
}

export const formsMigrations: MigrationSet = {
  owner: 'kernel:forms',
  migrations: {
    '0001_form_drafts': {
      async up(db) {
        await db.schema
          .createTable('form_drafts')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
          .addColumn('form_code', 'text', (c) => c.notNull())
          .addColumn('form_version', 'integer', (c) => c.notNull())
          .addColumn('subject', 'text')
          .addColumn('step', 'text')
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('file_ids', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('form_drafts_owner').on('form_drafts').columns(['account_id', 'form_code', 'subject']).execute();
        await db.schema.createIndex('form_drafts_expiry').on('form_drafts').column('expires_at').execute();
      },
    },
  },
};
