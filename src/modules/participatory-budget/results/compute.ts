import type { Executor, Trx } from '../../../kernel/db/transaction.js';
import { fromJson, nowIso, toJson } from '../../../kernel/db/values.js';
import { audit } from '../../../kernel/identity/audit.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { CampaignActing } from '../campaigns/access.js';
import { type Campaign, loadCampaign } from '../campaigns/store.js';
import { ElectionError } from '../rules/election.js';
import { runGreedy } from '../rules/greedy.js';
import { runMajorityJudgement } from '../rules/majority-judgement.js';
import { type RuleOutcome, runRule } from '../rules/run-rule.js';
import { DEFAULT_TIE_BREAKING } from '../rules/tie-breaking.js';
import { assertMayPublishResults } from './access.js';
import { resultsError } from './errors.js';
import { countEnvelope, type EnvelopeCount, gradeCountsOf, greedyInputOf } from './tally.js';

/** A project's line on the results page, whatever the rule. */
export interface ProjectResult {
  code: string;
  /** Whole currency units. */
  cost: number;
  /** 1-based: the order the rule ranked (greedy, majority judgement) or funded then ranked by votes (Equal Shares). */
  rank: number;
  /** Ballots naming the project (paper counts included); for cumulative ballots, points. */
  votes: number;
  /** Majority judgement: the project's majority grade and its grades, best first. */
  majorityGrade?: string;
  distribution?: { grade: string; count: number }[];
  /** What the rule decided, before any override. */
  fundedByRule: boolean;
}

export interface StoredOutcome {
  rule: string;
  projects: ProjectResult[];
  /** The rule's whole trail (rounds, steps, ties), amounts exact as "n/d". */
  trail: RuleOutcome | ReturnType<typeof runMajorityJudgement>;
}

const GREEDY = new Set(['greedy', 'greedy-no-skip', 'greedy-threshold']);

/** Runs the envelope's frozen rule on its count: pure, so tests and the benchmark call it as it is. */
export function computeEnvelope(count: EnvelopeCount, winnerRule: string): StoredOutcome {
  const costOf = new Map(count.projects.map((p) => [p.code, Number(p.cost.num / p.cost.den)]));
  if (count.rules.type === 'majority-judgement') {
    const trail = runMajorityJudgement(gradeCountsOf(count, count.rules.grades));
    const funded = new Set(trail.selected);
    return {
      rule: 'majority-judgement',
      trail,
      projects: trail.ranking.map((r) => ({
        code: r.projectId,
        cost: costOf.get(r.projectId) ?? 0,
        rank: r.rank,
        votes: r.voters,
        majorityGrade: r.majorityGrade,
        distribution: r.distribution,
        fundedByRule: funded.has(r.projectId),
      })),
    };
  }
  const input = greedyInputOf(count);
  const votes = new Map(input.projects.map((p) => [p.id, p.score ? Number(p.score.num / p.score.den) : p.votes]));
  let trail: RuleOutcome;
  if (GREEDY.has(winnerRule)) {
    trail = runGreedy(winnerRule as 'greedy', input, { tieBreaking: DEFAULT_TIE_BREAKING, threshold: count.threshold });
  } else {
    if (count.paperCounts.length) {
      throw resultsError(
        'paper-counts-need-ballots',
        `The rule "${winnerRule}" shares the envelope among voters, so it needs every ballot: enter the paper ballots one by one instead of importing per-project counts.`,
      );
    }
    trail = runRule(
      winnerRule,
      { budget: count.budget, projects: input.projects.map((p) => ({ id: p.id, cost: p.cost })), ballots: electionBallots(count) },
      { tieBreaking: DEFAULT_TIE_BREAKING },
    );
  }
  const funded = new Set(trail.selected);
  // Greedy's own ranking; for Equal Shares the funded projects in selection order, then the others by votes.
  const order =
    'steps' in trail
      ? trail.steps.map((s) => s.projectId)
      : [
          ...trail.selected,
          ...[...votes.keys()].filter((c) => !funded.has(c)).sort((a, b) => (votes.get(b) ?? 0) - (votes.get(a) ?? 0) || (a < b ? -1 : 1)),
        ];
  return {
    rule: winnerRule,
    trail,
    projects: order.map((code, i) => ({
      code,
      cost: costOf.get(code) ?? 0,
      rank: i + 1,
      votes: votes.get(code) ?? 0,
      fundedByRule: funded.has(code),
    })),
  };
}

function electionBallots(count: EnvelopeCount) {
  return count.ballots.map((b) => {
    if (b.type === 'approval' || b.type === 'knapsack') return { projects: b.projects };
    throw new ElectionError(`A ${b.type} ballot cannot be counted by Equal Shares: approval or knapsack ballots only.`);
  });
}

/** The projects funded: the rule's, corrected by the overrides. */
export function withOverrides(outcome: StoredOutcome, overrides: readonly { code: string; decision: string }[]): string[] {
  const decided = new Map(overrides.map((o) => [o.code, o.decision]));
  return outcome.projects.filter((p) => (decided.has(p.code) ? decided.get(p.code) === 'fund' : p.fundedByRule)).map((p) => p.code);
}

/** The campaign, or a 404 in the results' words. */
export async function campaignOrFail(trx: Trx, code: string): Promise<Campaign> {
  const campaign = await loadCampaign(trx, code);
  if (!campaign) throw resultsError('campaign-unknown', `There is no participatory-budget campaign "${code}".`);
  return campaign;
}

/** Overrides of an envelope, by project code. */
export async function overridesOf(
  db: Executor,
  envelopeId: string,
): Promise<{ code: string; decision: string; reason: string; at: string }[]> {
  return db
    .selectFrom('pb_result_overrides as o')
    .innerJoin('pb_projects as p', 'p.id', 'o.project_id')
    .select(['p.code as code', 'o.decision', 'o.reason', 'o.at'])
    .where('o.envelope_id', '=', envelopeId)
    .orderBy('o.at')
    .execute();
}

/**
 * Counts every envelope of a campaign whose vote has closed, by its frozen rule, and stores each
 * result (replacing an earlier computation; published results are final). One transaction: either
 * every envelope is counted or none is.
 */
export async function computeResults(trx: Trx, kernel: Kernel, acting: CampaignActing, campaignCode: string, now: Date): Promise<void> {
  await assertMayPublishResults(trx, kernel, acting);
  const campaign = await campaignOrFail(trx, campaignCode);
  const vote = campaign.phases.find((p) => p.phase === 'vote');
  if (!vote?.endsAt || Date.parse(vote.endsAt) > now.getTime()) {
    throw resultsError('vote-not-closed', 'The vote of this campaign has not closed yet: results are computed once it has.');
  }
  const envelopes = await trx.selectFrom('pb_envelopes').selectAll().where('campaign_id', '=', campaign.id).orderBy('position').execute();
  const published = await trx
    .selectFrom('pb_results')
    .select('envelope_id')
    .where(
      'envelope_id',
      'in',
      envelopes.map((e) => e.id),
    )
    .where('published_at', 'is not', null)
    .execute();
  if (published.length) throw resultsError('results-published', 'The results of this campaign are published: they are final.');
  const at = nowIso();
  for (const envelope of envelopes) {
    const count = await countEnvelope(trx, envelope);
    const outcome = computeEnvelope(count, envelope.winner_rule);
    const selected = withOverrides(outcome, await overridesOf(trx, envelope.id));
    const row = {
      rule: outcome.rule,
      outcome: toJson(outcome),
      selected: toJson(selected),
      ballots_online: count.ballotsOnline,
      ballots_paper: count.ballotsPaper,
      computed_at: at,
    };
    await trx
      .insertInto('pb_results')
      .values({ envelope_id: envelope.id, published_at: null, ...row })
      .onConflict((oc) => oc.column('envelope_id').doUpdateSet(row))
      .execute();
  }
  await audit(trx, {
    actor: acting.actor,
    ip: acting.ip ?? null,
    action: 'participatory-budget.results.compute',
    resourceType: 'participatory-budget:campaign',
    resourceId: campaign.code,
  });
}

export function storedOutcome(json: string): StoredOutcome {
  return fromJson<StoredOutcome>(json, { rule: '', projects: [], trail: undefined as never });
}
