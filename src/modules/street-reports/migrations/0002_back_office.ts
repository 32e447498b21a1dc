import type { Migration } from '../../../kernel/db/migrator.js';

/** Saved answers agents pick from when they act on a report (FixMyStreet's response templates). */
export interface StreetReportResponseTemplatesTable {
  id: string;
  title: string;
  body: string;
  /** The workflow action whose message it fills ("reject", "resolve"…). */
  action: string;
  /** A node of the category tree it applies to (its leaves), or null for every category. */
  category: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

declare module '../../../kernel/db/schema.js' {
  interface Tables {
    street_report_response_templates: StreetReportResponseTemplatesTable;
  }
}

export const backOfficeMigration: Migration = {
  async up(db) {
    await db.schema
      .createTable('street_report_response_templates')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('category', 'text')
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // The dashboard and exports read by creation date within units; the queue index covers state.
    await db.schema.createIndex('street_reports_unit_created').on('street_reports').columns(['unit_path', 'created_at']).execute();
  },
};
