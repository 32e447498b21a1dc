import type { Migration } from '../../../kernel/db/migrator.js';

/**
 * A resident's proposal for a campaign: what they would like the city to build, in one envelope
 * (the whole city or a district), until agents publish it, remove it, or merge it into a ballot
 * project (`project_id`: the link from the proposal; the project lists its proposals through it).
 */
export interface PbProposalsTable {
  id: string;
  campaign_id: string;
  /** "city" or a district code of the campaign's envelopes. */
  envelope_code: string;
  /** The author's demand reference ("BP-2026-000012"), quoted in every message. */
  reference: string;
  account_id: string;
  demand_id: string;
  title: string;
  description: string;
  /** The author's estimate, whole currency units (euros). */
  cost: number;
  theme_code: string;
  address: string | null;
  lat: number | null;
  lng: number | null;
  /** submitted | published | removed | merged */
  status: string;
  /** Why moderation removed it: shown to the author. */
  removal_reason: string | null;
  /** The ballot project it was merged into, or null. */
  project_id: string | null;
  /** Residents' "+1", kept in step with pb_supports in the same transaction. */
  supports: number;
  created_at: string;
  updated_at: string;
}

/** Co-authors: other residents, by account, told of the proposal's steps as its author is. */
export interface PbProposalCoauthorsTable {
  proposal_id: string;
  account_id: string;
}

/** One resident's "+1" on one proposal (once each: unique). */
export interface PbSupportsTable {
  proposal_id: string;
  account_id: string;
  created_at: string;
}

declare module '../../../kernel/db/schema.js' {
  interface Tables {
    pb_proposals: PbProposalsTable;
    pb_proposal_coauthors: PbProposalCoauthorsTable;
    pb_supports: PbSupportsTable;
  }
}

export const proposalsMigration: Migration = {
  async up(db) {
    await db.schema
      .createTable('pb_proposals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('envelope_code', 'text', (c) => c.notNull())
      .addColumn('reference', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('demand_id', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('cost', 'bigint', (c) => c.notNull())
      .addColumn('theme_code', 'text', (c) => c.notNull())
      .addColumn('address', 'text')
      .addColumn('lat', 'double precision')
      .addColumn('lng', 'double precision')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('removal_reason', 'text')
      .addColumn('project_id', 'text')
      .addColumn('supports', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // The public list (a campaign's proposals by status, newest first) and a project's sources.
    await db.schema.createIndex('pb_proposals_campaign').on('pb_proposals').columns(['campaign_id', 'status', 'created_at']).execute();
    await db.schema.createIndex('pb_proposals_project').on('pb_proposals').column('project_id').execute();
    await db.schema
      .createTable('pb_proposal_coauthors')
      .addColumn('proposal_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('pb_proposal_coauthors_pk', ['proposal_id', 'account_id'])
      .execute();
    await db.schema
      .createTable('pb_supports')
      .addColumn('proposal_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('pb_supports_pk', ['proposal_id', 'account_id'])
      .execute();
  },
};
