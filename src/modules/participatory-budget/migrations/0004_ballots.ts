import type { Migration } from '../../../kernel/db/migrator.js';

/**
 * Who may vote in a campaign. Set by the city before the vote opens; a campaign without a row lets
 * any signed-in resident vote (their e-mail address verified, nothing more).
 */
export interface PbEligibilityTable {
  campaign_id: string;
  /** Years on the vote's day; null: no minimum (Paris). */
  minimum_age: number | null;
  /** 1: the voter must state that they live in the city (Paris: a sworn statement). */
  residence_required: number;
  /** The identity assurance level the voter's names and birth date need (kernel LEVEL: 0, 100, 600). */
  assurance_level: number;
  updated_at: string;
}

/**
 * A person voting in a campaign: online through their account, or on paper (identified by an agent,
 * with or without an account). `person_key` (a keyed hash of names and birth date) lets a paper
 * ballot and an online one of the same person meet, so that nobody votes twice.
 */
export interface PbVotersTable {
  id: string;
  campaign_id: string;
  /** Null for a paper voter without an account. */
  account_id: string | null;
  /** The district envelope the voter chose ("arrondissement de cœur"); null until chosen. */
  district_code: string | null;
  person_key: string | null;
  /** When the voter stated living in the city (campaigns that require residence). */
  residence_stated_at: string | null;
  /** The voter's dashboard entry ("your vote counted"), made at their first confirmed ballot. */
  demand_id: string | null;
  created_at: string;
  updated_at: string;
}

/** One voter's ballot in one envelope: at most one (the unique constraint), a draft until confirmed. */
export interface PbBallotsTable {
  id: string;
  envelope_id: string;
  voter_id: string;
  /** JSON: the VoterBallot of ballots/validate.ts, projects by code. */
  choices: string;
  /** draft | confirmed (locked) */
  status: string;
  /** online | paper */
  channel: string;
  receipt_salt: string | null;
  /** Canonical receipt code (16 characters), unique: the public page looks ballots up by it. */
  receipt_code: string | null;
  confirmed_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Every save, confirmation, paper entry and discarded draft, with who did it and the choices then. */
export interface PbBallotHistoryTable {
  id: string;
  ballot_id: string;
  /** save | confirm | paper | discard */
  action: string;
  /** citizen | agent */
  actor_kind: string;
  actor_id: string;
  choices: string;
  at: string;
}

/** Per-project counts of a ballot box's paper ballots, imported from CSV. */
export interface PbPaperCountsTable {
  id: string;
  envelope_id: string;
  project_id: string;
  ballot_box: string;
  /** Majority judgement: the grade counted; '' for the other ballot types. */
  grade: string;
  /** Ballots naming the project (approval, knapsack), points (cumulative) or grades given. */
  count: number;
  imported_by: string;
  imported_at: string;
}

declare module '../../../kernel/db/schema.js' {
  interface Tables {
    pb_eligibility: PbEligibilityTable;
    pb_voters: PbVotersTable;
    pb_ballots: PbBallotsTable;
    pb_ballot_history: PbBallotHistoryTable;
    pb_paper_counts: PbPaperCountsTable;
  }
}

export const ballotsMigration: Migration = {
  async up(db) {
    await db.schema
      .createTable('pb_eligibility')
      .addColumn('campaign_id', 'text', (c) => c.primaryKey())
      .addColumn('minimum_age', 'integer')
      .addColumn('residence_required', 'integer', (c) => c.notNull())
      .addColumn('assurance_level', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('pb_voters')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text')
      .addColumn('district_code', 'text')
      .addColumn('person_key', 'text')
      .addColumn('residence_stated_at', 'text')
      .addColumn('demand_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      // One voter per account and campaign (paper voters without an account have a null: never equal).
      .addUniqueConstraint('pb_voters_campaign_account', ['campaign_id', 'account_id'])
      .execute();
    await db.schema.createIndex('pb_voters_person').on('pb_voters').columns(['campaign_id', 'person_key']).execute();
    await db.schema
      .createTable('pb_ballots')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('envelope_id', 'text', (c) => c.notNull())
      .addColumn('voter_id', 'text', (c) => c.notNull())
      .addColumn('choices', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('receipt_salt', 'text')
      .addColumn('receipt_code', 'text', (c) => c.unique())
      .addColumn('confirmed_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      // The guarantee of one ballot per voter and envelope, whatever the number of processes.
      .addUniqueConstraint('pb_ballots_envelope_voter', ['envelope_id', 'voter_id'])
      .execute();
    await db.schema
      .createTable('pb_ballot_history')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('ballot_id', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('actor_kind', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('choices', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('pb_ballot_history_ballot').on('pb_ballot_history').columns(['ballot_id', 'at']).execute();
    await db.schema
      .createTable('pb_paper_counts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('envelope_id', 'text', (c) => c.notNull())
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('ballot_box', 'text', (c) => c.notNull())
      .addColumn('grade', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('imported_by', 'text', (c) => c.notNull())
      .addColumn('imported_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('pb_paper_counts_entry', ['envelope_id', 'ballot_box', 'project_id', 'grade'])
      .execute();
  },
};
