import type { Executor, Trx } from '../../../kernel/db/transaction.js';
import { fromJson, nowIso } from '../../../kernel/db/values.js';
import type { Localized } from '../../../kernel/i18n/types.js';
import type { RuleName } from '../rules/run-rule.js';
import type { CampaignStatus, PhaseCode } from './definition.js';

export interface Phase {
  phase: PhaseCode;
  /** UTC ISO-8601. */
  startsAt: string;
  /** Null for a last phase left open. */
  endsAt: string | null;
}

export interface ReservedAmount {
  code: string;
  label: Localized;
  /** Whole currency units (euros). */
  amount: number;
}

export interface Envelope {
  /** "city" or a district code. */
  code: string;
  label: Localized;
  /** Whole currency units (euros). */
  amount: number;
  reserved: ReservedAmount[];
  /** As configured: a JSON object with a `type` (see ballots/rules.ts). */
  ballotRules: Record<string, unknown>;
  winnerRule: RuleName;
  /** Set when the vote opened: nothing of the envelope changes after. */
  frozenAt: string | null;
}

export interface Theme {
  code: string;
  label: Localized;
}

export interface Campaign {
  id: string;
  code: string;
  title: Localized;
  status: CampaignStatus;
  revision: number;
  /** In order, never overlapping. */
  phases: Phase[];
  /** The city-wide envelope first, then the districts' in the order they were defined. */
  envelopes: Envelope[];
  themes: Theme[];
  createdAt: string;
  updatedAt: string;
}

/** A campaign with everything it is configured with, by its code; undefined when there is none. */
export async function loadCampaign(db: Executor, code: string): Promise<Campaign | undefined> {
  const row = await db.selectFrom('pb_campaigns').selectAll().where('code', '=', code).executeTakeFirst();
  if (!row) return undefined;
  const phases = await db.selectFrom('pb_phases').selectAll().where('campaign_id', '=', row.id).orderBy('position').execute();
  const envelopes = await db.selectFrom('pb_envelopes').selectAll().where('campaign_id', '=', row.id).orderBy('position').execute();
  const themes = await db.selectFrom('pb_themes').selectAll().where('campaign_id', '=', row.id).orderBy('position').execute();
  const reserved = envelopes.length
    ? await db
        .selectFrom('pb_reserved_amounts')
        .selectAll()
        .where(
          'envelope_id',
          'in',
          envelopes.map((e) => e.id),
        )
        .orderBy('position')
        .execute()
    : [];
  return {
    id: row.id,
    code: row.code,
    title: { fr: row.title_fr, en: row.title_en },
    status: row.status as CampaignStatus,
    revision: row.revision,
    phases: phases.map((p) => ({ phase: p.phase as PhaseCode, startsAt: p.starts_at, endsAt: p.ends_at })),
    envelopes: envelopes.map((e) => ({
      code: e.code,
      label: { fr: e.label_fr, en: e.label_en },
      amount: Number(e.amount),
      reserved: reserved
        .filter((r) => r.envelope_id === e.id)
        .map((r) => ({ code: r.code, label: { fr: r.label_fr, en: r.label_en }, amount: Number(r.amount) })),
      ballotRules: fromJson<Record<string, unknown>>(e.ballot_rules, {}),
      winnerRule: e.winner_rule as RuleName,
      frozenAt: e.frozen_at,
    })),
    themes: themes.map((t) => ({ code: t.code, label: { fr: t.label_fr, en: t.label_en } })),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The codes of every campaign, latest first. */
export async function campaignCodes(db: Executor): Promise<string[]> {
  return (await db.selectFrom('pb_campaigns').select('code').orderBy('created_at', 'desc').execute()).map((r) => r.code);
}

/**
 * Takes the campaign's row for the rest of the transaction, by writing to it (its revision): every
 * write to a campaign's configuration, and the freeze when its vote opens, begins here, so they run
 * one after the other — on PostgreSQL the second waits for the first to commit and then reads what
 * it wrote; on SQLite the write lock already serialises them. Checks made after this call (is the
 * vote open? is the envelope frozen?) therefore cannot be overtaken by another agent's write.
 */
export async function lockCampaign(trx: Trx, code: string): Promise<{ id: string; code: string; revision: number } | undefined> {
  return trx
    .updateTable('pb_campaigns')
    .set((eb) => ({ revision: eb('revision', '+', 1), updated_at: nowIso() }))
    .where('code', '=', code)
    .returning(['id', 'code', 'revision'])
    .executeTakeFirst();
}
