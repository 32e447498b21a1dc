import { sql } from 'kysely';
import type { MigrationSet } from '../db/migrator.js';
import type { GenericStatus } from '../workflow/definition.js';

export interface DemandsTable {
  id: string;
  /** "<module>:<demand type>", declared in the module's manifest. */
  type: string;
  module: string;
  /** Human reference the resident quotes on the phone ("DMR-2026-000123"); unique. */
  reference: string;
  /** Null once the account is erased: the demand stays for the service, without its person. */
  account_id: string | null;
  title: string;
  status: GenericStatus;
  /** JSON `{fr, en}`: the service's own name of the current (public) state. */
  state_label: string | null;
  step: number | null;
  steps: number | null;
  /** JSON `{fr, en}`: what the resident is expected to do now, if anything. */
  next_action: string | null;
  unit_path: string | null;
  /** The module's page of the item, for the resident. */
  link: string;
  subject: string;
  /** Messages from the resident that no agent has read yet. */
  unread_for_agents: number;
  /** Messages from agents (and notifications) the resident has not seen yet. */
  unread_for_citizen: number;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface DemandEventsTable {
  id: string;
  demand_id: string;
  kind: 'created' | 'status' | 'message' | 'document' | 'notification';
  /** JSON: the status and its label, a message id, a file id and name… depending on the kind. */
  data: string;
  /** 0 for events only agents see (internal states). */
  public: number;
  at: string;
}

export interface DemandMessagesTable {
  id: string;
  demand_id: string;
  author_id: string | null;
  author_kind: 'citizen' | 'agent';
  body: string;
  created_at: string;
}

export interface ReferenceCountersTable {
  /** Prefix and year ("DMR-2026"). */
  key: string;
  value: number;
}

declare module '../db/schema.js' {
  interface Tables {
    demands: DemandsTable;
    demand_events: DemandEventsTable;
    demand_messages: DemandMessagesTable;
    reference_counters: ReferenceCountersTable;
  }
}

export const demandsMigrations: MigrationSet = {
  owner: 'kernel:demands',
  migrations: {
    '0001_demands': {
      async up(db) {
        await db.schema
          .createTable('demands')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('module', 'text', (c) => c.notNull())
          .addColumn('reference', 'text', (c) => c.notNull().unique())
          .addColumn('account_id', 'text')
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('state_label', 'text')
          .addColumn('step', 'integer')
          .addColumn('steps', 'integer')
          .addColumn('next_action', 'text')
          .addColumn('unit_path', 'text')
          .addColumn('link', 'text', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('unread_for_agents', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('unread_for_citizen', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('closed_at', 'text')
          .execute();
        // The dashboard: one resident's demands, latest first, paginated by key.
        await db.schema.createIndex('demands_account').on('demands').columns(['account_id', 'updated_at', 'id']).execute();
        await db.schema.createIndex('demands_subject').on('demands').column('subject').execute();
        // The agents' inbox: demands with unread messages from residents.
        await db.schema
          .createIndex('demands_unread')
          .on('demands')
          .columns(['unit_path', 'updated_at'])
          .where(sql.ref('unread_for_agents'), '>', 0)
          .execute();
        await db.schema
          .createTable('demand_events')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('demand_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('public', 'integer', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('demand_events_demand').on('demand_events').columns(['demand_id', 'at']).execute();
        await db.schema
          .createTable('demand_messages')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('demand_id', 'text', (c) => c.notNull())
          .addColumn('author_id', 'text')
          .addColumn('author_kind', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('demand_messages_demand').on('demand_messages').columns(['demand_id', 'created_at']).execute();
        await db.schema
          .createTable('reference_counters')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'integer', (c) => c.notNull())
          .execute();
      },
    },
    '0002_demands_counts': {
      async up(db) {
        // The dashboard's counts by service and status (demandCounts) read this index alone: without
        // it they fetch every one of the resident's rows from the table, hundreds of random reads
        // in a table of millions that is not all in memory.
        await db.schema.createIndex('demands_account_counts').on('demands').columns(['account_id', 'type', 'status']).execute();
      },
    },
  },
};
