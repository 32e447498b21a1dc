import type { Migration } from '../../../kernel/db/migrator.js';

/**
 * Where an envelope's projects and ballots came from when they were imported from a Pabulib file
 * (a past edition, or ballots counted elsewhere) rather than cast on the platform: one row per
 * envelope, written in the import's transaction. The results read it for what the file says about
 * the count itself (its score threshold) and to tell the public where the ballots come from.
 */
export interface PbPabulibImportsTable {
  envelope_id: string;
  campaign_id: string;
  /** As uploaded, for the back office's record ("Poland_Warszawa_2017.pb"). */
  file_name: string;
  /** SHA-256 of the file's bytes (hex): which file exactly, without keeping it. */
  file_sha256: string;
  /** META `description`, `unit` and `instance`: what the public page cites as the source. */
  description: string;
  /** META `rule` and `vote_type`, as recorded in the file (the envelope's own rule computes the results). */
  file_rule: string;
  vote_type: string;
  /**
   * META `min_project_score_threshold`: projects with fewer votes (points) are not eligible under the
   * greedy rules, as the file's election decided. Null when the file sets none.
   */
  score_threshold: number | null;
  projects: number;
  ballots: number;
  /** The agent's account id, or the system's label. */
  imported_by: string;
  imported_at: string;
}

declare module '../../../kernel/db/schema.js' {
  interface Tables {
    pb_pabulib_imports: PbPabulibImportsTable;
  }
}

export const pabulibImportsMigration: Migration = {
  async up(db) {
    await db.schema
      .createTable('pb_pabulib_imports')
      .addColumn('envelope_id', 'text', (c) => c.primaryKey())
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('file_sha256', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('file_rule', 'text', (c) => c.notNull())
      .addColumn('vote_type', 'text', (c) => c.notNull())
      .addColumn('score_threshold', 'double precision')
      .addColumn('projects', 'integer', (c) => c.notNull())
      .addColumn('ballots', 'integer', (c) => c.notNull())
      .addColumn('imported_by', 'text', (c) => c.notNull())
      .addColumn('imported_at', 'text', (c) => c.notNull())
      .execute();
  },
};
