import { sql } from 'kysely';
import type { MigrationSet } from '../db/migrator.js';

/** Where a module's events are POSTed, for one unit and the units below it (or the whole city). */
export interface WebhookEndpointsTable {
  id: string;
  /** Code of the module whose events this endpoint receives. */
  module: string;
  /** Materialised path of a unit ("/paris/mairie-11/"), or null for the whole city. */
  unit_path: string | null;
  url: string;
  /** What the endpoint is for (the contractor, the system), for the agents who maintain it. */
  description: string;
  /** Signs every delivery; shown once to the administrator who created or rotated it. */
  secret: string;
  /** JSON array of event names, or ["*"] for every event of the module. */
  events: string;
  active: number;
  created_at: string;
  updated_at: string;
}

/**
 * pending → retrying → delivered | failed. Only moves forward: a late outcome of an earlier attempt
 * never overwrites a final one.
 */
export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'failed';

/** One event sent to one endpoint: its exact body, and what each attempt to send it gave. */
export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  event: string;
  /** Sent as `Civitas-Webhook-Id` on every attempt, so the receiver applies the event once. */
  idempotency_key: string;
  /** What the event is about ("street-reports:report:42"), to find its deliveries. */
  subject: string | null;
  /** The JSON body exactly as sent: every attempt sends the same bytes. */
  body: string;
  status: DeliveryStatus;
  attempts: number;
  max_attempts: number;
  last_http_status: number | null;
  last_error: string | null;
  /** The delivery job while it exists (queued or dead), to show when the next attempt is due. */
  job_id: string | null;
  /** The failed delivery an administrator sent again ("retry now"), which keeps its own log. */
  redelivery_of: string | null;
  created_at: string;
  updated_at: string;
  last_attempt_at: string | null;
  delivered_at: string | null;
}

/** Ids of incoming callbacks already applied, so a replayed one is refused across processes. */
export interface WebhookIncomingSeenTable {
  key: string;
  seen_at: string;
}

declare module '../db/schema.js' {
  interface Tables {
    webhook_endpoints: WebhookEndpointsTable;
    webhook_deliveries: WebhookDeliveriesTable;
    webhook_incoming_seen: WebhookIncomingSeenTable;
  }
}

export const webhooksMigrations: MigrationSet = {
  owner: 'kernel:webhooks',
  migrations: {
    '0001_webhooks': {
      async up(db) {
        await db.schema
          .createTable('webhook_endpoints')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('module', 'text', (c) => c.notNull())
          .addColumn('unit_path', 'text')
          .addColumn('url', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('secret', 'text', (c) => c.notNull())
          .addColumn('events', 'text', (c) => c.notNull())
          .addColumn('active', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('webhook_endpoints_module').on('webhook_endpoints').columns(['module', 'active']).execute();

        await db.schema
          .createTable('webhook_deliveries')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
          .addColumn('event', 'text', (c) => c.notNull())
          .addColumn('idempotency_key', 'text', (c) => c.notNull())
          .addColumn('subject', 'text')
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('max_attempts', 'integer', (c) => c.notNull())
          .addColumn('last_http_status', 'integer')
          .addColumn('last_error', 'text')
          .addColumn('job_id', 'text')
          .addColumn('redelivery_of', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('last_attempt_at', 'text')
          .addColumn('delivered_at', 'text')
          .execute();
        // The log of an endpoint, newest first (ids sort by creation).
        await db.schema.createIndex('webhook_deliveries_endpoint').on('webhook_deliveries').columns(['endpoint_id', 'id']).execute();
        // Queueing the same event twice for an endpoint (same idempotency key) sends it once;
        // redeliveries by an administrator share the key on purpose.
        await db.schema
          .createIndex('webhook_deliveries_once')
          .on('webhook_deliveries')
          .columns(['endpoint_id', 'idempotency_key'])
          .unique()
          .where(sql.ref('redelivery_of'), 'is', null)
          .execute();
        await db.schema.createIndex('webhook_deliveries_subject').on('webhook_deliveries').column('subject').execute();
        // Pruning finds old final deliveries by age.
        await db.schema.createIndex('webhook_deliveries_created').on('webhook_deliveries').column('created_at').execute();

        await db.schema
          .createTable('webhook_incoming_seen')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('seen_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('webhook_incoming_seen_at').on('webhook_incoming_seen').column('seen_at').execute();
      },
    },
  },
};
