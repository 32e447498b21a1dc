import { newId, nowIso, toJson } from '../../../src/kernel/db/values.js';
import type { Kernel } from '../../../src/kernel/kernel.js';
import type { VoterBallot } from '../../../src/modules/participatory-budget/ballots/validate.js';
import { create, goodDefinition } from './campaigns-support.js';

/** After the test campaign's vote (it closes on 22 September 2027). */
export const AFTER_VOTE = new Date('2027-09-25T10:00:00Z');

export const approve = (...projects: string[]): VoterBallot => ({ type: 'approval', projects });

/**
 * A campaign whose vote is over, written as the vote leaves it: the 11th counted by greedy over
 * approval ballots (€5M; projects a, b, c), the 18th by Equal Shares (€4.5M; m1, m2), the city by
 * majority judgement (v1, v2). Online and paper ballots, a draft that must never count, and a ballot
 * box's per-project count.
 */
export async function seedClosedVote(kernel: Kernel, code: string, paperAgentId: string) {
  const definition = goodDefinition();
  definition.envelopes[2] = { ...definition.envelopes[2]!, winnerRule: 'equalshares' };
  definition.envelopes[1] = {
    ...definition.envelopes[1]!,
    ballotRules: { type: 'majority-judgement', grades: ['good', 'fair', 'bad'] } as never,
  };
  const campaign = await create(kernel, { ...definition, code, status: 'published' });
  const db = kernel.db;
  const envelopeIds: Record<string, string> = {};
  for (const e of await db.selectFrom('pb_envelopes').select(['id', 'code']).where('campaign_id', '=', campaign.id).execute())
    envelopeIds[e.code] = e.id;
  const projectIds: Record<string, string> = {};
  const at = nowIso();
  const projects = [
    ['75111', 'a', 3_000_000],
    ['75111', 'b', 2_500_000],
    ['75111', 'c', 1_500_000],
    ['75118', 'm1', 3_000_000],
    ['75118', 'm2', 2_000_000],
    ['city', 'v1', 20_000_000],
    ['city', 'v2', 15_000_000],
  ] as const;
  for (const [position, [envelope, project, cost]] of projects.entries()) {
    projectIds[project] = newId();
    await db
      .insertInto('pb_projects')
      .values({
        id: projectIds[project],
        campaign_id: campaign.id,
        envelope_id: envelopeIds[envelope]!,
        code: project,
        title_fr: `Projet ${project}`,
        title_en: `Project ${project}`,
        description_fr: '',
        description_en: '',
        theme_code: null,
        cost,
        lat: null,
        lng: null,
        reserved_code: null,
        status: 'ballot',
        study_explanation: null,
        execution_months: null,
        position,
        created_at: at,
        updated_at: at,
      })
      .execute();
  }
  const ballot = async (envelope: string, choices: VoterBallot, status = 'confirmed', channel = 'online') => {
    const voter = newId();
    await db
      .insertInto('pb_voters')
      .values({
        id: voter,
        campaign_id: campaign.id,
        account_id: null,
        district_code: envelope === 'city' ? '75118' : envelope,
        person_key: null,
        residence_stated_at: null,
        demand_id: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await db
      .insertInto('pb_ballots')
      .values({
        id: newId(),
        envelope_id: envelopeIds[envelope]!,
        voter_id: voter,
        choices: toJson(choices),
        status,
        channel,
        receipt_salt: null,
        receipt_code: null,
        confirmed_at: status === 'confirmed' ? at : null,
        created_at: at,
        updated_at: at,
      })
      .execute();
  };
  // 11th: a 3 votes, b 2 + 2 on paper, c 2; a draft naming c never counts.
  await ballot('75111', approve('a', 'b'));
  await ballot('75111', approve('a', 'c'));
  await ballot('75111', approve('a', 'c'));
  await ballot('75111', approve('b'), 'confirmed', 'paper');
  await ballot('75111', approve('c'), 'draft');
  await db
    .insertInto('pb_paper_counts')
    .values({
      id: newId(),
      envelope_id: envelopeIds['75111']!,
      project_id: projectIds.b!,
      ballot_box: 'mairie-11',
      grade: '',
      count: 2,
      imported_by: paperAgentId,
      imported_at: at,
    })
    .execute();
  // 18th: Equal Shares over 4 voters.
  for (const choice of [approve('m1'), approve('m1'), approve('m1', 'm2'), approve('m2')]) await ballot('75118', choice);
  // City: v1 good, good, fair; v2 fair, bad, bad.
  for (const [v1, v2] of [
    ['good', 'fair'],
    ['good', 'bad'],
    ['fair', 'bad'],
  ] as const) {
    await ballot('city', {
      type: 'majority-judgement',
      grades: [
        { projectId: 'v1', grade: v1 },
        { projectId: 'v2', grade: v2 },
      ],
    });
  }
  return { campaign, envelopeIds, projectIds };
}
