import type { Migration } from '../../../kernel/db/migrator.js';

/**
 * An envelope's results: computed from the confirmed ballots and the paper counts by the envelope's
 * frozen rule, recomputed as often as agents like until published, then fixed. `outcome` is the
 * rule's whole trail (JSON, amounts exact as "n/d"), what the public page explains the result with.
 */
export interface PbResultsTable {
  envelope_id: string;
  /** The rule that computed `outcome` (the envelope's winner rule, or majority-judgement). */
  rule: string;
  outcome: string;
  /** JSON: the project codes funded, in selection order, after the overrides. */
  selected: string;
  /** Confirmed ballots counted: online, and paper ones entered one by one (ballot boxes' per-project counts are votes, not ballots). */
  ballots_online: number;
  ballots_paper: number;
  computed_at: string;
  published_at: string | null;
}

/** An authorised agent's change to a computed result: always with its reason, shown publicly. */
export interface PbResultOverridesTable {
  id: string;
  envelope_id: string;
  project_id: string;
  /** fund (funded although the rule did not) | exclude (not funded although the rule did) */
  decision: string;
  reason: string;
  agent_id: string;
  at: string;
}

declare module '../../../kernel/db/schema.js' {
  interface Tables {
    pb_results: PbResultsTable;
    pb_result_overrides: PbResultOverridesTable;
  }
}

export const resultsMigration: Migration = {
  async up(db) {
    await db.schema
      .createTable('pb_results')
      .addColumn('envelope_id', 'text', (c) => c.primaryKey())
      .addColumn('rule', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('selected', 'text', (c) => c.notNull())
      .addColumn('ballots_online', 'integer', (c) => c.notNull())
      .addColumn('ballots_paper', 'integer', (c) => c.notNull())
      .addColumn('computed_at', 'text', (c) => c.notNull())
      .addColumn('published_at', 'text')
      .execute();
    await db.schema
      .createTable('pb_result_overrides')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('envelope_id', 'text', (c) => c.notNull())
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('decision', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addUniqueConstraint('pb_result_overrides_envelope_project', ['envelope_id', 'project_id'])
      .execute();
  },
};
