import type { Migration } from '../../../kernel/db/migrator.js';

export interface StreetReportsTable {
  id: string;
  /** Readable: channel letter, year and month, sequence ("W-202611-000123"). */
  reference: string;
  category: string;
  /** WGS84, degrees. */
  lat: number;
  lng: number;
  district: string;
  address: string | null;
  description: string;
  /** web | app | open311 | agent */
  channel: string;
  /** Null when anonymous, or once the reporter's account is erased. */
  account_id: string | null;
  /** The state code of its workflow item, copied for the public map and list filters. */
  state: string;
  /** open | closed, for the public filters and Open311. */
  status: string;
  priority: number;
  unit_path: string | null;
  item_id: string;
  demand_id: string | null;
  /** Set when agents mark it a duplicate of another report. */
  duplicate_of: string | null;
  /** JSON object of the category's extra questions' answers. */
  answers: string;
  followers: number;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface StreetReportPhotosTable {
  id: string;
  report_id: string;
  file_id: string;
  /** closeup | overview | after */
  kind: string;
  /** Hidden by an agent (a face, a plate): no longer shown to the public. */
  redacted: number;
  created_at: string;
}

export interface StreetReportFollowersTable {
  report_id: string;
  account_id: string;
  created_at: string;
}

declare module '../../../kernel/db/schema.js' {
  interface Tables {
    street_reports: StreetReportsTable;
    street_report_photos: StreetReportPhotosTable;
    street_report_followers: StreetReportFollowersTable;
  }
}

export const reportsMigration: Migration = {
  async up(db) {
    await db.schema
      .createTable('street_reports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('reference', 'text', (c) => c.notNull().unique())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('lat', 'double precision', (c) => c.notNull())
      .addColumn('lng', 'double precision', (c) => c.notNull())
      .addColumn('district', 'text', (c) => c.notNull())
      .addColumn('address', 'text')
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('priority', 'integer', (c) => c.notNull())
      .addColumn('unit_path', 'text')
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('demand_id', 'text')
      .addColumn('duplicate_of', 'text')
      .addColumn('answers', 'text', (c) => c.notNull())
      .addColumn('followers', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('closed_at', 'text')
      .execute();
    // The map and the list: a bounding box of open (or closed) reports, latest first.
    await db.schema.createIndex('street_reports_map').on('street_reports').columns(['status', 'lat', 'lng']).execute();
    await db.schema.createIndex('street_reports_recent').on('street_reports').columns(['created_at']).execute();
    await db.schema.createIndex('street_reports_updated').on('street_reports').columns(['updated_at']).execute();
    await db.schema.createIndex('street_reports_queue').on('street_reports').columns(['unit_path', 'state', 'created_at']).execute();
    await db.schema.createIndex('street_reports_item').on('street_reports').column('item_id').execute();
    await db.schema
      .createTable('street_report_photos')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('file_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('redacted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('street_report_photos_report').on('street_report_photos').column('report_id').execute();
    await db.schema
      .createTable('street_report_followers')
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('street_report_followers_pk', ['report_id', 'account_id'])
      .execute();
    await db.schema.createIndex('street_report_followers_account').on('street_report_followers').column('account_id').execute();
  },
};
