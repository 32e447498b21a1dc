import type { MigrationSet } from '../db/migrator.js';

export interface WorkflowItemsTable {
  id: string;
  /** Workflow code and the version the item started with (kept unless migrated explicitly). */
  workflow: string;
  version: number;
  /** What the item is, in its module's terms ("street-reports:report:<id>"): unique. */
  subject: string;
  state: string;
  unit_path: string | null;
  /** The resident the item belongs to, if any (null once anonymised). */
  account_id: string | null;
  demand_id: string | null;
  /** Bumped by every transition: a transition names the revision it saw, so concurrent ones conflict. */
  revision: number;
  deadline_at: string | null;
  state_entered_at: string;
  archived_at: string | null;
  anonymised_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface WorkflowHistoryTable {
  id: string;
  item_id: string;
  /** Null for the item's creation. */
  action: string | null;
  from_state: string | null;
  to_state: string;
  actor_id: string | null;
  actor_kind: 'agent' | 'citizen' | 'system';
  comment: string | null;
  /** JSON object of the action's other fields (reason code, date, photo file ids). */
  fields: string;
  at: string;
}

declare module '../db/schema.js' {
  interface Tables {
    workflow_items: WorkflowItemsTable;
    workflow_history: WorkflowHistoryTable;
  }
}

export const workflowMigrations: MigrationSet = {
  owner: 'kernel:workflow',
  migrations: {
    '0001_items_history': {
      async up(db) {
        await db.schema
          .createTable('workflow_items')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('workflow', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull().unique())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('unit_path', 'text')
          .addColumn('account_id', 'text')
          .addColumn('demand_id', 'text')
          .addColumn('revision', 'integer', (c) => c.notNull())
          .addColumn('deadline_at', 'text')
          .addColumn('state_entered_at', 'text', (c) => c.notNull())
          .addColumn('archived_at', 'text')
          .addColumn('anonymised_at', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('workflow_items_state').on('workflow_items').columns(['workflow', 'state', 'updated_at']).execute();
        await db.schema.createIndex('workflow_items_account').on('workflow_items').column('account_id').execute();
        await db.schema
          .createTable('workflow_history')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('item_id', 'text', (c) => c.notNull())
          .addColumn('action', 'text')
          .addColumn('from_state', 'text')
          .addColumn('to_state', 'text', (c) => c.notNull())
          .addColumn('actor_id', 'text')
          .addColumn('actor_kind', 'text', (c) => c.notNull())
          .addColumn('comment', 'text')
          .addColumn('fields', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('workflow_history_item').on('workflow_history').columns(['item_id', 'at']).execute();
      },
    },
  },
};
