import type { MigrationSet } from '../db/migrator.js';
import type { Channel, NotificationStatus } from './status.js';

/** One saved version of a template; the code's default is version 0 and is never stored. */
export interface NotificationTemplateVersionsTable {
  code: string;
  version: number;
  /** JSON `TemplateContents`: subject, body and optional SMS text per language. */
  contents: string;
  author_id: string | null;
  author_label: string;
  created_at: string;
}

/** One message on one channel to one account. */
export interface NotificationsTable {
  id: string;
  /** Not a foreign key: a notification to an unknown account is kept, as a visible failure. */
  account_id: string;
  demand_id: string | null;
  template_code: string;
  template_version: number;
  channel: Channel;
  language: string;
  /** The e-mail address or phone number used; null on the dashboard or when there was none. */
  recipient: string | null;
  subject: string;
  body: string;
  /** A path of this site ("/demands/…"), made absolute in mails. */
  link: string | null;
  status: NotificationStatus;
  /** Sending attempts so far. */
  attempts: number;
  last_error: string | null;
  /** The delivery job, to tell a message still being tried from one whose job gave up. */
  job_id: string | null;
  /** The SMS provider's id of the message, which its delivery callbacks name. */
  provider_ref: string | null;
  /** The failed message this one retries (an agent's "retry" makes a new message). */
  retry_of: string | null;
  created_at: string;
  updated_at: string;
  read_at: string | null;
}

/** Every status a notification went through, with why. */
export interface NotificationEventsTable {
  id: string;
  notification_id: string;
  /** 1, 2, … per notification: the order of the history, even within one millisecond. */
  seq: number;
  status: NotificationStatus;
  at: string;
  detail: string | null;
}

declare module '../db/schema.js' {
  interface Tables {
    notification_template_versions: NotificationTemplateVersionsTable;
    notifications: NotificationsTable;
    notification_events: NotificationEventsTable;
  }
}

export const notificationsMigrations: MigrationSet = {
  owner: 'kernel:notifications',
  migrations: {
    '0001_notifications': {
      async up(db) {
        await db.schema
          .createTable('notification_template_versions')
          .addColumn('code', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('contents', 'text', (c) => c.notNull())
          .addColumn('author_id', 'text')
          .addColumn('author_label', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          // Two administrators saving at once cannot both create the same version.
          .addPrimaryKeyConstraint('notification_template_versions_pk', ['code', 'version'])
          .execute();

        await db.schema
          .createTable('notifications')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('account_id', 'text', (c) => c.notNull())
          .addColumn('demand_id', 'text')
          .addColumn('template_code', 'text', (c) => c.notNull())
          .addColumn('template_version', 'integer', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('language', 'text', (c) => c.notNull())
          .addColumn('recipient', 'text')
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('link', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('last_error', 'text')
          .addColumn('job_id', 'text')
          .addColumn('provider_ref', 'text')
          .addColumn('retry_of', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('read_at', 'text')
          .execute();
        // A resident's dashboard; the back office's list by status; callbacks by provider id.
        await db.schema.createIndex('notifications_account').on('notifications').columns(['account_id', 'channel', 'id']).execute();
        await db.schema.createIndex('notifications_status').on('notifications').columns(['status', 'id']).execute();
        await db.schema.createIndex('notifications_provider_ref').on('notifications').column('provider_ref').execute();
        await db.schema.createIndex('notifications_demand').on('notifications').column('demand_id').execute();

        await db.schema
          .createTable('notification_events')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('notification_id', 'text', (c) => c.notNull())
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('detail', 'text')
          .execute();
        await db.schema
          .createIndex('notification_events_notification')
          .unique()
          .on('notification_events')
          .columns(['notification_id', 'seq'])
          .execute();
      },
    },
  },
};
