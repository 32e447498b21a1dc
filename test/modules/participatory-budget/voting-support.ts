import { inTransaction } from '../../../src/kernel/db/transaction.js';
import { LEVEL, recordAttributes } from '../../../src/kernel/identity/citizens/attributes.js';
import type { Kernel } from '../../../src/kernel/kernel.js';
import type { BallotRulesInput } from '../../../src/modules/participatory-budget/ballots/rules.js';
import type { VoterBallot } from '../../../src/modules/participatory-budget/ballots/validate.js';
import { confirmBallot, saveBallot } from '../../../src/modules/participatory-budget/voting/ballots.js';
import { type Eligibility, setEligibility } from '../../../src/modules/participatory-budget/voting/eligibility.js';
import { chooseDistrict } from '../../../src/modules/participatory-budget/voting/voters.js';
import { createCitizen } from '../../support/identity.js';
import { create, goodDefinition, NOW, SYSTEM } from './campaigns-support.js';
import { CAMPAIGN, insertProject } from './tracking-support.js';

export { CAMPAIGN };

/** A day of the test campaign's vote (1–22 September 2027). */
export const VOTE_DAY = new Date('2027-09-10T10:00:00Z');
export const AFTER_VOTE = new Date('2027-09-25T10:00:00Z');

/** The projects on the ballot, by envelope, with their costs (euros). */
export const PROJECTS = {
  city: { 'city-001': 12_000_000, 'city-002': 9_000_000, 'city-003': 6_000_000, 'city-004': 4_000_000, 'city-005': 2_000_000 },
  '75111': { '11-001': 2_000_000, '11-002': 1_500_000, '11-003': 1_000_000, '11-004': 500_000, '11-005': 250_000 },
  '75118': { '18-001': 1_000_000, '18-002': 800_000 },
} as const;

/**
 * The published test campaign (envelopes: the whole city €30M, the 11th €5M, the 18th €4.5M;
 * approval of up to 4 projects unless `rules` says otherwise for an envelope), its projects on the
 * ballot, and the eligibility rules given (none by default).
 */
export async function votingCampaign(
  kernel: Kernel,
  options: { rules?: Partial<Record<keyof typeof PROJECTS, BallotRulesInput>>; eligibility?: Eligibility; openNow?: boolean } = {},
) {
  const definition = goodDefinition();
  if (options.openNow) definition.phases = phasesVotingNow();
  definition.envelopes = definition.envelopes.map((e) => ({
    ...e,
    ballotRules: options.rules?.[e.code as keyof typeof PROJECTS] ?? e.ballotRules,
  }));
  await create(kernel, { ...definition, status: 'published' }, options.openNow ? { now: new Date() } : {});
  for (const [envelope, projects] of Object.entries(PROJECTS)) {
    for (const [code, cost] of Object.entries(projects)) {
      const id = await insertProject(kernel, { envelope, code, title: `Projet ${code}` });
      await kernel.db.updateTable('pb_projects').set({ cost }).where('id', '=', id).execute();
    }
  }
  if (options.eligibility) await setEligibilityRules(kernel, options.eligibility, { beforeTheVote: !options.openNow });
}

/**
 * The campaign's eligibility rules: through the domain before the vote, as a city sets them; for a
 * campaign created with its vote already open (frozen from the start), straight in the table.
 */
export async function setEligibilityRules(kernel: Kernel, eligibility: Eligibility, options: { beforeTheVote: boolean }) {
  if (options.beforeTheVote) {
    await inTransaction(kernel.db, (trx) => setEligibility(trx, kernel, SYSTEM, CAMPAIGN, eligibility, { now: NOW }));
    return;
  }
  const campaign = await kernel.db.selectFrom('pb_campaigns').select('id').where('code', '=', CAMPAIGN).executeTakeFirstOrThrow();
  const row = {
    minimum_age: eligibility.minimumAge,
    residence_required: eligibility.residenceRequired ? 1 : 0,
    assurance_level: eligibility.assuranceLevel,
    updated_at: new Date().toISOString(),
  };
  await kernel.db
    .insertInto('pb_eligibility')
    .values({ campaign_id: campaign.id, ...row })
    .onConflict((oc) => oc.column('campaign_id').doUpdateSet(row))
    .execute();
}

const DAY = 86_400_000;
/** Phases around the real clock, for pages (which read it): the vote opened yesterday and lasts three weeks. */
function phasesVotingNow() {
  const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();
  return [
    { phase: 'proposals' as const, startsAt: at(-200), endsAt: at(-150) },
    { phase: 'study' as const, startsAt: at(-150), endsAt: at(-1) },
    { phase: 'vote' as const, startsAt: at(-1), endsAt: at(20) },
    { phase: 'results' as const, startsAt: at(20), endsAt: at(30) },
    { phase: 'execution' as const, startsAt: at(30) },
  ];
}

/** A resident, with identity attributes typed by themselves (or given by `level`). */
export async function resident(
  kernel: Kernel,
  email: string,
  identity?: { given_name: string; family_name: string; birthdate: string; level?: number },
): Promise<string> {
  const id = await createCitizen(kernel, { email, name: email.split('@')[0] });
  if (identity) {
    const { level = LEVEL.self, ...values } = identity;
    await recordAttributes(kernel.db, id, values, { source: level === LEVEL.self ? 'self' : 'oidc:test', level });
  }
  return id;
}

export function choose(kernel: Kernel, accountId: string, district: string, options: { residenceStated?: boolean; now?: Date } = {}) {
  return inTransaction(kernel.db, (trx) =>
    chooseDistrict(trx, kernel, {
      campaignCode: CAMPAIGN,
      accountId,
      district,
      residenceStated: options.residenceStated ?? false,
      now: options.now ?? VOTE_DAY,
    }),
  );
}

export function save(kernel: Kernel, accountId: string, envelopeCode: string, ballot: VoterBallot, now = VOTE_DAY) {
  return inTransaction(kernel.db, (trx) => saveBallot(trx, { campaignCode: CAMPAIGN, accountId, envelopeCode, ballot, now }));
}

export function confirm(kernel: Kernel, accountId: string, envelopeCode: string, now = VOTE_DAY) {
  return inTransaction(kernel.db, (trx) => confirmBallot(trx, kernel, { campaignCode: CAMPAIGN, accountId, envelopeCode, now }));
}

export const approve = (...projects: string[]): VoterBallot => ({ type: 'approval', projects });
export const pick = (...projects: string[]): VoterBallot => ({ type: 'knapsack', projects });

/** What the vote tables hold: to check that a refusal changed nothing. */
export async function voteTables(kernel: Kernel) {
  const [voters, ballots, history, counts] = await Promise.all([
    kernel.db.selectFrom('pb_voters').selectAll().orderBy('id').execute(),
    kernel.db.selectFrom('pb_ballots').selectAll().orderBy('id').execute(),
    kernel.db.selectFrom('pb_ballot_history').selectAll().orderBy('id').execute(),
    kernel.db.selectFrom('pb_paper_counts').selectAll().orderBy('id').execute(),
  ]);
  return { voters, ballots, history, counts };
}
