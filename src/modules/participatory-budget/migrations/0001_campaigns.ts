import type { Migration } from '../../../kernel/db/migrator.js';

/**
 * A participatory-budget campaign ("Budget participatif 2026") and its configuration. Every row has
 * a stable code (campaign "paris-2026", envelope "city" or a district code, theme "sport"…) that
 * configuration, imports and URLs use; ids stay inside the database.
 *
 * Money: whole currency units (euros), as integers — the unit of Pabulib files and of the city's
 * published budgets; a project's cost is never split into cents.
 */
export interface PbCampaignsTable {
  id: string;
  code: string;
  title_fr: string;
  title_en: string;
  /** draft (being configured, not public) | published | archived */
  status: string;
  /** Raised by every write on the campaign's configuration: the row writers lock (see campaigns/lock.ts). */
  revision: number;
  created_at: string;
  updated_at: string;
}

export interface PbPhasesTable {
  id: string;
  campaign_id: string;
  /** proposals | co-construction | study | vote | results | execution */
  phase: string;
  /** 0, 1, 2… in the order of PHASES; dates increase with it and never overlap. */
  position: number;
  starts_at: string;
  /** Null only for the campaign's last phase (execution goes on until the last project is built). */
  ends_at: string | null;
}

export interface PbEnvelopesTable {
  id: string;
  campaign_id: string;
  /** "city" for the city-wide envelope, otherwise the code of one of the city's districts. */
  code: string;
  label_fr: string;
  label_en: string;
  /** Whole currency units (euros). */
  amount: number;
  /** JSON: the ballot rules of this envelope (validated by ballots/rules.ts). */
  ballot_rules: string;
  /** A rule name of rules/run-rule.ts (Pabulib's META `rule`). */
  winner_rule: string;
  /** When the vote opened: from then on amount, reserved amounts, ballot and winner rules never change. */
  frozen_at: string | null;
  position: number;
  created_at: string;
  updated_at: string;
}

export interface PbReservedAmountsTable {
  id: string;
  envelope_id: string;
  /** "quartiers-populaires", "ecoles"…, unique within the envelope. */
  code: string;
  label_fr: string;
  label_en: string;
  /** Whole currency units; the envelope's reserved amounts add up to at most its amount. */
  amount: number;
  position: number;
}

export interface PbThemesTable {
  id: string;
  campaign_id: string;
  code: string;
  label_fr: string;
  label_en: string;
  position: number;
}

declare module '../../../kernel/db/schema.js' {
  interface Tables {
    pb_campaigns: PbCampaignsTable;
    pb_phases: PbPhasesTable;
    pb_envelopes: PbEnvelopesTable;
    pb_reserved_amounts: PbReservedAmountsTable;
    pb_themes: PbThemesTable;
  }
}

export const campaignsMigration: Migration = {
  async up(db) {
    await db.schema
      .createTable('pb_campaigns')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('title_fr', 'text', (c) => c.notNull())
      .addColumn('title_en', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('pb_phases')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('phase', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('starts_at', 'text', (c) => c.notNull())
      .addColumn('ends_at', 'text')
      .addUniqueConstraint('pb_phases_campaign_phase', ['campaign_id', 'phase'])
      .execute();
    await db.schema
      .createTable('pb_envelopes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('label_fr', 'text', (c) => c.notNull())
      .addColumn('label_en', 'text', (c) => c.notNull())
      // bigint: a city's budget may pass 2^31 units (PostgreSQL's integer); read back as a number.
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .addColumn('ballot_rules', 'text', (c) => c.notNull())
      .addColumn('winner_rule', 'text', (c) => c.notNull())
      .addColumn('frozen_at', 'text')
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('pb_envelopes_campaign_code', ['campaign_id', 'code'])
      .execute();
    await db.schema
      .createTable('pb_reserved_amounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('envelope_id', 'text', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('label_fr', 'text', (c) => c.notNull())
      .addColumn('label_en', 'text', (c) => c.notNull())
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addUniqueConstraint('pb_reserved_amounts_envelope_code', ['envelope_id', 'code'])
      .execute();
    await db.schema
      .createTable('pb_themes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('label_fr', 'text', (c) => c.notNull())
      .addColumn('label_en', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addUniqueConstraint('pb_themes_campaign_code', ['campaign_id', 'code'])
      .execute();
  },
};
