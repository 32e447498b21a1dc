import { createHash } from 'node:crypto';
import type { Executor } from '../../../kernel/db/transaction.js';
import { fromJson } from '../../../kernel/db/values.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { VoterBallot } from '../ballots/validate.js';
import type { Campaign } from '../campaigns/store.js';
import type { PabulibFile, PabulibVote } from '../pabulib/types.js';
import { writePabulib } from '../pabulib/write.js';
import { resultsError } from './errors.js';
import type { EnvelopeResult } from './read.js';

/** Pabulib's dates: day.month.year. */
const pabulibDate = (iso: string | null | undefined) => (iso ? `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}` : '');

/**
 * A published envelope as a Pabulib file: its projects with their votes and whether they won, and
 * every confirmed ballot — anonymous: voters are numbered in an order drawn from a hash of the
 * ballot's id, never in the order they voted, and no age, district or channel is written. The
 * ballot boxes' per-project counts have no ballots to write: the META comment gives them.
 */
export async function envelopeAsPabulib(db: Executor, kernel: Kernel, campaign: Campaign, result: EnvelopeResult): Promise<string> {
  if (result.rule === 'majority-judgement') {
    throw resultsError(
      'envelope-unknown',
      'Graded ballots (majority judgement) have no Pabulib vote type: this envelope cannot be exported.',
    );
  }
  const envelope = await db
    .selectFrom('pb_envelopes')
    .select(['id', 'ballot_rules'])
    .where('campaign_id', '=', campaign.id)
    .where('code', '=', result.code)
    .executeTakeFirstOrThrow();
  const rules = fromJson<{ type: string; maxProjects?: number; minProjects?: number; points?: number }>(envelope.ballot_rules, {
    type: 'approval',
  });
  const rows = await db
    .selectFrom('pb_ballots')
    .select(['id', 'choices'])
    .where('envelope_id', '=', envelope.id)
    .where('status', '=', 'confirmed')
    .execute();
  const shuffled = rows
    .map((r) => ({
      key: createHash('sha256').update(`${kernel.secret}:${r.id}`).digest('hex'),
      ballot: fromJson<VoterBallot>(r.choices, { type: 'approval', projects: [] }),
    }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  const votes: PabulibVote[] = shuffled.map((s, i) => {
    const b = s.ballot;
    if (b.type === 'cumulative')
      return { voter_id: String(i + 1), vote: b.points.map((p) => p.projectId), points: b.points.map((p) => p.points), other: {} };
    return { voter_id: String(i + 1), vote: b.type === 'majority-judgement' ? [] : [...b.projects], other: {} };
  });
  const counted = new Map<string, number>();
  for (const v of votes) for (const [i, code] of v.vote.entries()) counted.set(code, (counted.get(code) ?? 0) + (v.points?.[i] ?? 1));
  const paper = result.lines.reduce((sum, l) => sum + l.votes, 0) - [...counted.values()].reduce((a, b) => a + b, 0);
  const vote = campaign.phases.find((p) => p.phase === 'vote');
  const cumulative = rules.type === 'cumulative';
  const file: PabulibFile = {
    meta: {
      description: `${campaign.title.en} — ${result.label.en}`,
      // The city configuration has no country: every city Civitas ships (Paris, Lyon, Marseille) is French.
      country: 'France',
      unit: kernel.config.city.name.en,
      instance: campaign.code,
      subunit: result.label.en,
      num_projects: result.lines.length,
      num_votes: votes.length,
      budget: result.amount,
      vote_type: cumulative ? 'cumulative' : 'approval',
      rule: result.rule,
      date_begin: pabulibDate(vote?.startsAt),
      date_end: pabulibDate(vote?.endsAt),
      ...(rules.type === 'approval' && rules.maxProjects ? { max_length: rules.maxProjects } : {}),
      ...(rules.type === 'knapsack' ? { max_sum_cost: result.amount } : {}),
      ...(cumulative && rules.points ? { max_sum_points: rules.points } : {}),
      currency: 'EUR',
      language: 'fr',
      ...(paper > 0
        ? {
            comment: `The votes column also counts ${paper} votes from ballot boxes' per-project counts, which have no individual ballots.`,
          }
        : {}),
      other: {},
    },
    projects: result.lines.map((l) => ({
      project_id: l.code,
      cost: l.cost,
      ...(cumulative ? { score: l.votes } : { votes: l.votes }),
      name: l.title.fr,
      selected: l.funded ? 1 : 0,
      other: {},
    })),
    votes,
  };
  return writePabulib(file);
}
