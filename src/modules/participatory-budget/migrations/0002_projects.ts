import type { Migration } from '../../../kernel/db/migrator.js';

/**
 * A ballot project: what residents vote on, in one envelope of a campaign. Agents make one from one
 * or several residents' proposals (the links live with the proposals), the study records whether it
 * is feasible and what it really costs, and the vote, the results and the execution tracking all
 * refer to it by its stable `code` (unique within the campaign: the project id of a Pabulib export,
 * the key of paper counts imported from CSV, the URL of its public page).
 */
export interface PbProjectsTable {
  id: string;
  campaign_id: string;
  envelope_id: string;
  /** "11-007", "city-012"… stable, unique within the campaign. */
  code: string;
  title_fr: string;
  title_en: string;
  description_fr: string;
  description_en: string;
  /** A theme code of the campaign, or null. */
  theme_code: string | null;
  /** Whole currency units (euros): the estimate until the study sets the studied cost. */
  cost: number;
  /** Null when the project is not tied to a point (a whole district, the whole city). */
  lat: number | null;
  lng: number | null;
  /** A reserved amount's code of the envelope the project counts towards ("ecoles"), or null. */
  reserved_code: string | null;
  /**
   * study (being studied) | feasible | not-feasible (explanation mandatory) | ballot (on the ballot:
   * only these are voted on) | withdrawn. Winning or not is the results', not a status here.
   */
  status: string;
  /** The study's explanation (mandatory when not feasible), shown to the authors and the public. */
  study_explanation: string | null;
  /** The study's execution period in months, when feasible. */
  execution_months: number | null;
  /** Ballot order within the envelope. */
  position: number;
  created_at: string;
  updated_at: string;
}

declare module '../../../kernel/db/schema.js' {
  interface Tables {
    pb_projects: PbProjectsTable;
  }
}

export const projectsMigration: Migration = {
  async up(db) {
    await db.schema
      .createTable('pb_projects')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('envelope_id', 'text', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('title_fr', 'text', (c) => c.notNull())
      .addColumn('title_en', 'text', (c) => c.notNull())
      .addColumn('description_fr', 'text', (c) => c.notNull())
      .addColumn('description_en', 'text', (c) => c.notNull())
      .addColumn('theme_code', 'text')
      .addColumn('cost', 'bigint', (c) => c.notNull())
      .addColumn('lat', 'double precision')
      .addColumn('lng', 'double precision')
      .addColumn('reserved_code', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('study_explanation', 'text')
      .addColumn('execution_months', 'integer')
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('pb_projects_campaign_code', ['campaign_id', 'code'])
      .execute();
    await db.schema.createIndex('pb_projects_envelope').on('pb_projects').columns(['envelope_id', 'status', 'position']).execute();
  },
};
