import { inTransaction, type Trx } from '../../../kernel/db/transaction.js';
import { nowMs } from '../../../kernel/db/values.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { seedProposalsDemo } from '../proposals/demo.js';
import { computeResults } from '../results/compute.js';
import { publishResults } from '../results/publish.js';
import { seedTrackingDemo } from '../tracking/demo.js';
import { createCampaign } from './create.js';
import { type CampaignDefinitionInput, CITY_ENVELOPE, type PhaseCode } from './definition.js';
import { castDemoBallots } from './demo-ballots.js';
import { freezeOpenedVotes } from './envelopes.js';
import { PARIS_THEMES } from './paris-themes.js';
import { loadCampaign } from './store.js';

const DAY = 86_400_000;
/** The current demo campaign's phases, in days from the start of the seeding day: its vote is open. */
const DEMO_PHASES: [PhaseCode, number, number | null][] = [
  ['proposals', -300, -240],
  ['co-construction', -240, -200],
  ['study', -200, -20],
  ['vote', -6, 15],
  ['results', 15, 45],
  ['execution', 45, null],
];
/** The past campaign is the same a year earlier: results published, projects being built. */
const YEAR = 365;

/** Paris: about €100M a year; a Paris-wide envelope and 20 arrondissement envelopes. */
const TOTAL = 100_000_000;
const DISTRICTS_TOTAL = 70_000_000;
/** Each district's floor; the rest is shared by population. */
const DISTRICT_FLOOR = 1_000_000;
const ROUND = 10_000;
/** Population of Paris's arrondissements (INSEE, legal populations 2021, rounded to the thousand); the benchmark's synthetic vote draws its voters by it. */
export const PARIS_POPULATION: Record<string, number> = {
  '75101': 16_000,
  '75102': 20_000,
  '75103': 33_000,
  '75104': 28_000,
  '75105': 57_000,
  '75106': 40_000,
  '75107': 48_000,
  '75108': 35_000,
  '75109': 59_000,
  '75110': 84_000,
  '75111': 143_000,
  '75112': 139_000,
  '75113': 178_000,
  '75114': 136_000,
  '75115': 229_000,
  '75116': 163_000,
  '75117': 166_000,
  '75118': 192_000,
  '75119': 183_000,
  '75120': 195_000,
};
/** Arrondissements with priority ("working-class") neighbourhoods, where part of the envelope is reserved for them. */
const PARIS_PRIORITY = new Set(['75110', '75111', '75113', '75114', '75117', '75118', '75119', '75120']);
const PRIORITY_SHARE = 0.45;
const SCHOOLS_SHARE = 0.14;
const CITY_PRIORITY = 10_000_000;

const round = (n: number) => Math.round(n / ROUND) * ROUND;
const ordinal = (n: number) => ({
  fr: n === 1 ? '1er' : `${n}e`,
  en: `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`,
});

const PRIORITY = { code: 'quartiers-populaires', label: { fr: 'Quartiers populaires', en: 'Working-class neighbourhoods' } };
const SCHOOLS = { code: 'ecoles', label: { fr: 'Écoles et collèges', en: 'Schools' } };
/** Paris until 2020: up to 4 projects of Paris and 4 of one's arrondissement; winners greedy by votes. */
const BALLOT_RULES = { type: 'approval' as const, maxProjects: 4 };
const WINNER_RULE = 'greedy';

/**
 * The demo city's campaign, dated from `now` so that its vote is open (`yearsAgo` 1: the previous
 * edition, a year earlier, whose results are out): a city-wide envelope
 * and one per district, shaped on Paris (€100M: €70M over the arrondissements — a floor plus a share
 * by population — and the rest Paris-wide; reserved amounts for priority neighbourhoods and schools),
 * themes of Paris's past winners. Another city gets the same shape with equal district shares.
 * Named by the year its vote takes place, as Paris names its editions.
 */
export function demoCampaignDefinition(kernel: Kernel, now: Date, yearsAgo = 0): CampaignDefinitionInput {
  const day0 = Math.floor(now.getTime() / DAY) * DAY - yearsAgo * YEAR * DAY;
  const at = (days: number) => new Date(day0 + days * DAY).toISOString();
  const phases = DEMO_PHASES.map(([phase, from, to]) => ({ phase, startsAt: at(from), ...(to === null ? {} : { endsAt: at(to) }) }));
  const year = new Date(day0 + DEMO_PHASES.find(([p]) => p === 'vote')![1] * DAY).getUTCFullYear();
  const { city } = kernel.config;
  const isParis = city.code === 'paris';
  const districts = kernel.districts.all;
  const weight = (code: string) => (isParis ? (PARIS_POPULATION[code] ?? 0) : 1);
  const totalWeight = districts.reduce((sum, d) => sum + weight(d.code), 0);
  const districtEnvelopes = districts.map((d) => {
    const amount = round(DISTRICT_FLOOR + ((DISTRICTS_TOTAL - DISTRICT_FLOOR * districts.length) * weight(d.code)) / (totalWeight || 1));
    const n = Number(d.code.slice(-2));
    const label = isParis ? { fr: `${ordinal(n).fr} arrondissement`, en: `${ordinal(n).en} arrondissement` } : { fr: d.name, en: d.name };
    const reserved = [
      ...(isParis && PARIS_PRIORITY.has(d.code) ? [{ ...PRIORITY, amount: round(amount * PRIORITY_SHARE) }] : []),
      { ...SCHOOLS, amount: round(amount * SCHOOLS_SHARE) },
    ];
    return { code: d.code, label, amount, ballotRules: BALLOT_RULES, winnerRule: WINNER_RULE, reserved };
  });
  const cityAmount = districts.length ? TOTAL - districtEnvelopes.reduce((sum, e) => sum + e.amount, 0) : TOTAL;
  return {
    code: `${city.code}-${year}`,
    title: { fr: `Budget participatif ${year}`, en: `Participatory budget ${year}` },
    status: 'published',
    phases,
    envelopes: [
      {
        code: CITY_ENVELOPE,
        label: isParis
          ? { fr: 'Tout Paris', en: 'All of Paris' }
          : { fr: `Toute la ville – ${city.name.fr}`, en: `The whole city – ${city.name.en}` },
        amount: cityAmount,
        ballotRules: BALLOT_RULES,
        winnerRule: WINNER_RULE,
        reserved: isParis ? [{ ...PRIORITY, amount: CITY_PRIORITY }] : [],
      },
      ...districtEnvelopes,
    ],
    themes: PARIS_THEMES.map(({ code, label }) => ({ code, label })),
  };
}

/**
 * The module's demo hook (run only when the module is enabled), unless the campaigns exist: last
 * year's edition with its ballots counted, its results computed by its rule and published and its
 * winners being built, then this year's with projects on the ballot in every envelope and the vote
 * open, so a newcomer can vote at once.
 */
export async function seedCampaignsDemo(kernel: Kernel): Promise<void> {
  const now = new Date(nowMs());
  const current = demoCampaignDefinition(kernel, now);
  const past = firstEdition(demoCampaignDefinition(kernel, now, 1));
  if (await loadCampaign(kernel.db, current.code)) return;
  const winners = await inTransaction(kernel.db, async (trx) => {
    await campaignOnTheBallot(trx, kernel, past, 2026);
    await castDemoBallots(trx, past.code, DEMO_VOTERS);
    await computeResults(trx, kernel, SYSTEM, past.code, now);
    await publishResults(trx, kernel, SYSTEM, past.code);
    return trx.selectFrom('pb_tracked_projects').select('project_id').execute();
  });
  // Its photos are stored before its own transaction, hence after this one.
  await seedTrackingDemo(
    kernel,
    winners.map((w) => w.project_id),
  );
  await inTransaction(kernel.db, (trx) => campaignOnTheBallot(trx, kernel, current, 2027));
}

/**
 * Last year's edition had a tenth of the budget (as Paris's first editions were smaller), so that its
 * envelopes cannot fund every project on the ballot and the results show the rule at work.
 */
function firstEdition(definition: CampaignDefinitionInput): CampaignDefinitionInput {
  const tenth = (amount: number) => round(amount / 10);
  return {
    ...definition,
    envelopes: definition.envelopes.map((e) => ({
      ...e,
      amount: tenth(e.amount),
      reserved: (e.reserved ?? []).map((r) => ({ ...r, amount: tenth(r.amount) })),
    })),
  };
}

const SYSTEM = { actor: { kind: 'system', label: 'demo' } } as const;
/** Ballots of last year's demo edition (a real one has 100,000 or more; enough here for its charts). */
const DEMO_VOTERS = 1_200;

/** A campaign created before its vote, its proposals merged and studied into ballot projects, then frozen as its vote opened. */
async function campaignOnTheBallot(trx: Trx, kernel: Kernel, definition: CampaignDefinitionInput, seed: number): Promise<void> {
  const vote = definition.phases.find((p) => p.phase === 'vote')!;
  await createCampaign(trx, kernel, SYSTEM, definition, { now: new Date(Date.parse(vote.startsAt) - DAY) });
  await seedProposalsDemo(trx, kernel, definition.code, { stage: 'ballot', seed });
  await freezeOpenedVotes(trx, new Date(nowMs()));
}
