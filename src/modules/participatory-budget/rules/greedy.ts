import { checkElection, type Election, ElectionError, hasPoints, type ProjectId, tally } from './election.js';
import { Fraction } from './fraction.js';
import { DEFAULT_TIE_BREAKING, type TieBreaking, tieOrder } from './tie-breaking.js';

/**
 * The greedy rules, as most cities use them (CONSUL, Paris): rank projects by votes and fund down
 * the list.
 *   - 'greedy': fund each project that still fits in the money left, skip the others, go on.
 *   - 'greedy-no-skip': stop at the first project that does not fit.
 *   - 'greedy-threshold': 'greedy' over the projects whose score reaches `threshold`
 *     (Pabulib's min_project_score_threshold; a project exactly at the threshold is eligible).
 * A `threshold` given with the other two applies the same way (Gdynia's files set one).
 *
 * Approval, choose-1 and ordinal ballots rank by votes (how many ballots name the project);
 * cumulative and scoring ballots rank by score (the sum of their points). Ties: see tie-breaking.ts.
 */
export type GreedyRule = 'greedy' | 'greedy-no-skip' | 'greedy-threshold';

export interface GreedyOptions {
  tieBreaking?: TieBreaking;
  threshold?: number;
}

/** What happened to a project, in ranking order: enough for a public results page. */
export type GreedyDecision = 'funded' | 'does-not-fit' | 'below-threshold' | 'after-stop';

export interface GreedyStep {
  /** 1-based position in the ranking. */
  rank: number;
  projectId: ProjectId;
  votes: number;
  score: Fraction;
  cost: Fraction;
  decision: GreedyDecision;
  /** Money left once this project was dealt with. */
  moneyLeft: Fraction;
  /** Other projects with exactly the same score, ordered against this one by the tie-breaking. */
  tiedWith: ProjectId[];
}

export interface GreedyOutcome {
  rule: GreedyRule;
  budget: Fraction;
  /** In selection order. */
  selected: ProjectId[];
  cost: Fraction;
  moneyLeft: Fraction;
  rankedBy: 'votes' | 'points';
  threshold?: Fraction;
  tieBreaking: TieBreaking;
  steps: GreedyStep[];
}

/** Per-project totals, counted from ballots or given directly (paper ballots counted per project). */
export interface GreedyInput {
  budget: Fraction;
  projects: readonly { id: ProjectId; cost: Fraction; votes: number; score?: Fraction }[];
  rankedBy?: 'votes' | 'points';
}

export function greedy(election: Election, options: GreedyOptions = {}): GreedyOutcome {
  return runGreedy('greedy', greedyInput(election), options);
}

export function greedyNoSkip(election: Election, options: GreedyOptions = {}): GreedyOutcome {
  return runGreedy('greedy-no-skip', greedyInput(election), options);
}

export function greedyThreshold(election: Election, threshold: number, options: GreedyOptions = {}): GreedyOutcome {
  return runGreedy('greedy-threshold', greedyInput(election), { ...options, threshold });
}

export function greedyInput(election: Election): GreedyInput {
  checkElection(election);
  const totals = tally(election);
  return {
    budget: election.budget,
    projects: election.projects.map((p) => ({ id: p.id, cost: p.cost, ...totals.get(p.id)! })),
    rankedBy: hasPoints(election) ? 'points' : 'votes',
  };
}

export function runGreedy(rule: GreedyRule, input: GreedyInput, options: GreedyOptions = {}): GreedyOutcome {
  const tieBreaking = options.tieBreaking ?? DEFAULT_TIE_BREAKING;
  if (rule === 'greedy-threshold' && options.threshold === undefined) {
    throw new ElectionError('The greedy-threshold rule needs a threshold (min_project_score_threshold).');
  }
  const threshold = options.threshold === undefined ? undefined : Fraction.fromNumber(options.threshold);
  const byTie = tieOrder(tieBreaking);
  const projects = input.projects.map((p) => ({ ...p, score: p.score ?? Fraction.of(p.votes) }));
  for (const p of projects) {
    if (p.cost.num <= 0n) throw new ElectionError(`Project "${p.id}" must cost more than zero (cost ${p.cost.toDecimal()}).`);
  }
  const ranking = projects.sort((a, b) => b.score.cmp(a.score) || byTie(a, b));

  let left = input.budget;
  let stopped = false;
  const selected: ProjectId[] = [];
  const steps: GreedyStep[] = ranking.map((p, i) => {
    let decision: GreedyDecision;
    if (threshold && p.score.lt(threshold)) decision = 'below-threshold';
    else if (stopped) decision = 'after-stop';
    else if (p.cost.lte(left)) {
      decision = 'funded';
      left = left.sub(p.cost);
      selected.push(p.id);
    } else {
      decision = 'does-not-fit';
      if (rule === 'greedy-no-skip') stopped = true;
    }
    const tiedWith = ranking.filter((q) => q !== p && q.score.eq(p.score)).map((q) => q.id);
    return { rank: i + 1, projectId: p.id, votes: p.votes, score: p.score, cost: p.cost, decision, moneyLeft: left, tiedWith };
  });
  return {
    rule,
    budget: input.budget,
    selected,
    cost: input.budget.sub(left),
    moneyLeft: left,
    rankedBy: input.rankedBy ?? 'votes',
    ...(threshold ? { threshold } : {}),
    tieBreaking,
    steps,
  };
}
