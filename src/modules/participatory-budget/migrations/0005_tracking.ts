import { sql } from 'kysely';
import type { Migration } from '../../../kernel/db/migrator.js';

/**
 * A winning project whose execution the city reports in public (one row per project, made when the
 * results are published). `status` is a stable code of `tracking/statuses.ts`.
 */
export interface PbTrackedProjectsTable {
  project_id: string;
  status: string;
  /** 0–100; 100 whenever the status is "delivered". */
  progress: number;
  /** Why the city gave the project up, shown in public; set exactly when the status is "abandoned". */
  abandon_reason: string | null;
  started_at: string;
  updated_at: string;
}

/** A dated step of a project's execution (studies done, works begin, opening day…), with photos. */
export interface PbTrackingMilestonesTable {
  id: string;
  project_id: string;
  /** The day it happened (or will happen), in the city's calendar: YYYY-MM-DD. */
  happened_on: string;
  title_fr: string;
  title_en: string;
  text_fr: string;
  text_en: string;
  created_at: string;
}

/** The photos of a milestone: files of the kernel's files service, owned by the milestone. */
export interface PbTrackingPhotosTable {
  milestone_id: string;
  file_id: string;
  position: number;
}

/** A resident who hears of each change to a project's execution. */
export interface PbTrackingFollowersTable {
  project_id: string;
  account_id: string;
  created_at: string;
}

/** Every change to a project's execution, in order: the public timeline and the audit's counterpart. */
export interface PbTrackingHistoryTable {
  id: string;
  project_id: string;
  at: string;
  /** start | update | milestone */
  kind: string;
  status: string;
  progress: number;
  abandon_reason: string | null;
  milestone_id: string | null;
}

declare module '../../../kernel/db/schema.js' {
  interface Tables {
    pb_tracked_projects: PbTrackedProjectsTable;
    pb_tracking_milestones: PbTrackingMilestonesTable;
    pb_tracking_photos: PbTrackingPhotosTable;
    pb_tracking_followers: PbTrackingFollowersTable;
    pb_tracking_history: PbTrackingHistoryTable;
  }
}

export const trackingMigration: Migration = {
  async up(db) {
    await db.schema
      .createTable('pb_tracked_projects')
      .addColumn('project_id', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('progress', 'integer', (c) => c.notNull())
      .addColumn('abandon_reason', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      // The domain refuses a progress outside 0–100 with a clear message; the database holds the line too.
      .addCheckConstraint('pb_tracked_projects_progress', sql`progress >= 0 and progress <= 100`)
      .execute();
    await db.schema
      .createTable('pb_tracking_milestones')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('happened_on', 'text', (c) => c.notNull())
      .addColumn('title_fr', 'text', (c) => c.notNull())
      .addColumn('title_en', 'text', (c) => c.notNull())
      .addColumn('text_fr', 'text', (c) => c.notNull())
      .addColumn('text_en', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('pb_tracking_milestones_project')
      .on('pb_tracking_milestones')
      .columns(['project_id', 'happened_on'])
      .execute();
    await db.schema
      .createTable('pb_tracking_photos')
      .addColumn('milestone_id', 'text', (c) => c.notNull())
      .addColumn('file_id', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('pb_tracking_photos_pk', ['milestone_id', 'file_id'])
      .execute();
    await db.schema
      .createTable('pb_tracking_followers')
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('pb_tracking_followers_pk', ['project_id', 'account_id'])
      .execute();
    await db.schema.createIndex('pb_tracking_followers_account').on('pb_tracking_followers').column('account_id').execute();
    await db.schema
      .createTable('pb_tracking_history')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('progress', 'integer', (c) => c.notNull())
      .addColumn('abandon_reason', 'text')
      .addColumn('milestone_id', 'text')
      .execute();
    await db.schema.createIndex('pb_tracking_history_project').on('pb_tracking_history').columns(['project_id', 'at']).execute();
  },
};
