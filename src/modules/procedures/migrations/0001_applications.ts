import type { Migration } from '../../../kernel/db/migrator.js';

export interface ProceduresApplicationsTable {
  id: string;
  procedure: string;
  /** Null once the applicant's account is erased: the city keeps the file, without the person. */
  account_id: string | null;
  item_id: string;
  demand_id: string;
  /** JSON: the form's typed answers; emptied when the account is erased. */
  data: string;
  form_version: number;
  created_at: string;
}

declare module '../../../kernel/db/schema.js' {
  interface Tables {
    procedures_applications: ProceduresApplicationsTable;
  }
}

export const applicationsMigration: Migration = {
  async up(db) {
    await db.schema
      .createTable('procedures_applications')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('procedure', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text')
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('demand_id', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('form_version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('procedures_applications_account').on('procedures_applications').column('account_id').execute();
  },
};
