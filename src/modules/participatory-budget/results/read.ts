import type { Executor } from '../../../kernel/db/transaction.js';
import { fromJson } from '../../../kernel/db/values.js';
import type { Localized } from '../../../kernel/i18n/types.js';
import type { Campaign } from '../campaigns/store.js';
import { ageOn } from '../voting/eligibility.js';
import { overridesOf, type ProjectResult, storedOutcome } from './compute.js';

export interface ResultLine extends ProjectResult {
  title: Localized;
  funded: boolean;
  /** An agent's correction of the rule's decision, with its public reason. */
  override?: { decision: string; reason: string; at: string };
}

export interface EnvelopeResult {
  code: string;
  label: Localized;
  /** Whole currency units. */
  amount: number;
  spent: number;
  rule: string;
  ballotsOnline: number;
  ballotsPaper: number;
  /** Ballots imported from a Pabulib file (neither online nor paper here), and the file's own description. */
  imported?: { ballots: number; source: string };
  /** In the rule's order. */
  lines: ResultLine[];
  computedAt: string;
  publishedAt: string | null;
}

/** True once the campaign's results are published (all envelopes are published at once). */
export async function campaignHasPublishedResults(db: Executor, campaignId: string): Promise<boolean> {
  const published = await db
    .selectFrom('pb_results as r')
    .innerJoin('pb_envelopes as e', 'e.id', 'r.envelope_id')
    .select('r.envelope_id')
    .where('e.campaign_id', '=', campaignId)
    .where('r.published_at', 'is not', null)
    .executeTakeFirst();
  return published !== undefined;
}

/** Every envelope's result (in the campaign's envelope order), published ones only unless `drafts`. */
export async function envelopeResults(db: Executor, campaign: Campaign, options: { drafts?: boolean } = {}): Promise<EnvelopeResult[]> {
  const envelopes = await db
    .selectFrom('pb_envelopes')
    .select(['id', 'code'])
    .where('campaign_id', '=', campaign.id)
    .orderBy('position')
    .execute();
  if (!envelopes.length) return [];
  let query = db
    .selectFrom('pb_results')
    .selectAll()
    .where(
      'envelope_id',
      'in',
      envelopes.map((e) => e.id),
    );
  if (!options.drafts) query = query.where('published_at', 'is not', null);
  const rows = new Map((await query.execute()).map((r) => [r.envelope_id, r]));
  const imports = new Map(
    (
      await db
        .selectFrom('pb_pabulib_imports')
        .select(['envelope_id', 'ballots', 'description'])
        .where('campaign_id', '=', campaign.id)
        .execute()
    ).map((i) => [i.envelope_id, { ballots: i.ballots, source: i.description }]),
  );
  const titles = new Map(
    (await db.selectFrom('pb_projects').select(['code', 'title_fr', 'title_en']).where('campaign_id', '=', campaign.id).execute()).map(
      (p) => [p.code, { fr: p.title_fr, en: p.title_en }],
    ),
  );
  const results: EnvelopeResult[] = [];
  for (const envelope of envelopes) {
    const row = rows.get(envelope.id);
    const config = campaign.envelopes.find((e) => e.code === envelope.code);
    if (!row || !config) continue;
    const selected = new Set(fromJson<string[]>(row.selected, []));
    const overrides = new Map((await overridesOf(db, envelope.id)).map((o) => [o.code, o]));
    const lines = storedOutcome(row.outcome).projects.map((p) => {
      const override = overrides.get(p.code);
      return {
        ...p,
        title: titles.get(p.code) ?? { fr: p.code, en: p.code },
        funded: selected.has(p.code),
        ...(override ? { override: { decision: override.decision, reason: override.reason, at: override.at } } : {}),
      };
    });
    results.push({
      code: envelope.code,
      label: config.label,
      amount: config.amount,
      spent: lines.filter((l) => l.funded).reduce((sum, l) => sum + l.cost, 0),
      rule: row.rule,
      ballotsOnline: row.ballots_online,
      ballotsPaper: row.ballots_paper,
      ...(imports.has(envelope.id) ? { imported: imports.get(envelope.id) } : {}),
      lines,
      computedAt: row.computed_at,
      publishedAt: row.published_at,
    });
  }
  return results;
}

/** Age groups of the turnout chart: lower bounds in years, the last open-ended. */
export const AGE_GROUPS = [0, 18, 30, 45, 60, 75] as const;

export interface Turnout {
  /** Voters with at least one confirmed ballot, per chosen district code. */
  byDistrict: { district: string; voters: number }[];
  /** Per age group's lower bound; 'unknown' for voters without a birth date (paper voters, accounts without one). */
  byAge: { group: string; voters: number }[];
  total: number;
}

/** Who voted, by district and by age on the vote's last day: counts only, never who. */
export async function turnout(db: Executor, campaign: Campaign): Promise<Turnout> {
  const voters = await db
    .selectFrom('pb_voters as v')
    .leftJoin('identity_attributes as a', (join) => join.onRef('a.account_id', '=', 'v.account_id').on('a.name', '=', 'birthdate'))
    .select(['v.district_code', 'a.value as birthdate'])
    .where('v.campaign_id', '=', campaign.id)
    .where((eb) =>
      eb.exists(eb.selectFrom('pb_ballots as b').select('b.id').whereRef('b.voter_id', '=', 'v.id').where('b.status', '=', 'confirmed')),
    )
    .execute();
  const voteEnd = campaign.phases.find((p) => p.phase === 'vote')?.endsAt ?? new Date().toISOString();
  const day = voteEnd.slice(0, 10);
  const districts = new Map<string, number>();
  const ages = new Map<string, number>();
  for (const v of voters) {
    const district = v.district_code ?? 'unknown';
    districts.set(district, (districts.get(district) ?? 0) + 1);
    const age = v.birthdate ? ageOn(v.birthdate, day) : null;
    const group = age === null ? 'unknown' : String([...AGE_GROUPS].reverse().find((min) => age >= min) ?? 0);
    ages.set(group, (ages.get(group) ?? 0) + 1);
  }
  return {
    byDistrict: [...districts].map(([district, n]) => ({ district, voters: n })).sort((a, b) => (a.district < b.district ? -1 : 1)),
    byAge: [...AGE_GROUPS.map(String), 'unknown'].filter((g) => ages.has(g)).map((group) => ({ group, voters: ages.get(group) ?? 0 })),
    total: voters.length,
  };
}
