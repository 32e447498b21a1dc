import type { Migration } from '../../../kernel/db/migrator.js';

export interface PageFeedbackTable {
  id: string;
  slug: string;
  useful: number;
  comment: string | null;
  lang: string;
  created_at: string;
}

declare module '../../../kernel/db/schema.js' {
  interface Tables {
    page_feedback: PageFeedbackTable;
  }
}

export const feedbackTable: Migration = {
  async up(db) {
    await db.schema
      .createTable('page_feedback')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('slug', 'text', (c) => c.notNull())
      .addColumn('useful', 'integer', (c) => c.notNull())
      .addColumn('comment', 'text')
      .addColumn('lang', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('page_feedback_slug').on('page_feedback').columns(['slug', 'created_at']).execute();
  },
};
