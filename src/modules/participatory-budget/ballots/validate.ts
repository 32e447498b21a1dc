import type { ProjectId } from '../rules/election.js';
import { Fraction } from '../rules/fraction.js';
import type { BallotRules, CumulativeRules, KnapsackRules } from './rules.js';

/** The envelope a ballot is cast in: its budget and the projects on its ballot (costs exact, > 0). */
export interface BallotEnvelope {
  budget: Fraction;
  projects: readonly { id: ProjectId; cost: Fraction }[];
}

/** What a voter submits; `type` must be the envelope's ballot type. */
export type VoterBallot =
  | { type: 'approval' | 'knapsack'; projects: readonly ProjectId[] }
  | { type: 'cumulative'; points: readonly { projectId: ProjectId; points: number }[] }
  | { type: 'majority-judgement'; grades: readonly { projectId: ProjectId; grade: string }[] };

/**
 * Stable codes, one per kind of problem: the ballot page turns each into a message (i18n key
 * `participatory-budget.ballot.<code>`) with `params`. Never rename one; add new ones.
 */
export const BALLOT_PROBLEM_CODES = [
  'wrong-ballot-type',
  'unknown-project',
  'duplicate-project',
  'too-few-projects',
  'too-many-projects',
  'over-budget',
  'under-minimum-spend',
  'invalid-points',
  'too-many-points-for-project',
  'too-many-points',
  'too-few-points',
  'unknown-grade',
  'missing-grade',
] as const;
export type BallotProblemCode = (typeof BALLOT_PROBLEM_CODES)[number];

export interface BallotProblem {
  code: BallotProblemCode;
  /** The project concerned, for problems about one project. */
  projectId?: ProjectId;
  /** Values for the message: counts and limits as numbers, amounts as exact text ("n" or "n/d"). */
  params?: Record<string, string | number>;
}

export interface BallotCheck {
  valid: boolean;
  /** Every problem: first those about one entry, in the ballot's order, then those about the whole. */
  problems: BallotProblem[];
  /** Distinct projects of the envelope named (the counter "3 of 8 chosen"). */
  projects: number;
  /** Approval and knapsack: their total cost ("€1.2M of €2M spent"). */
  totalCost?: Fraction;
  /** Cumulative: the points given. */
  totalPoints?: number;
}

/**
 * Checks a voter's ballot against the envelope's rules and returns every problem, not just the
 * first (the page shows them all at once). A ballot with no problem is `valid` and can be
 * confirmed. Totals and counts are over the distinct, known projects named with a valid value, so
 * one mistake does not cascade into others.
 */
export function validateBallot(rules: BallotRules, envelope: BallotEnvelope, ballot: VoterBallot): BallotCheck {
  if (ballot.type !== rules.type) {
    return { valid: false, problems: [{ code: 'wrong-ballot-type', params: { expected: rules.type, got: ballot.type } }], projects: 0 };
  }
  const costs = new Map(envelope.projects.map((p) => [p.id, p.cost]));
  const problems: BallotProblem[] = [];
  const seen = new Set<ProjectId>();
  /** True for a project of the envelope not named before (and records it); otherwise reports why not. */
  const take = (projectId: ProjectId): boolean => {
    if (!costs.has(projectId)) problems.push({ code: 'unknown-project', projectId });
    else if (seen.has(projectId)) problems.push({ code: 'duplicate-project', projectId });
    else {
      seen.add(projectId);
      return true;
    }
    return false;
  };

  switch (rules.type) {
    case 'approval':
    case 'knapsack': {
      const chosen = (ballot as { projects: readonly ProjectId[] }).projects.filter(take);
      const totalCost = Fraction.sum(chosen.map((id) => costs.get(id)!));
      checkCount(problems, chosen.length, rules.minProjects, rules.maxProjects);
      if (rules.type === 'knapsack') checkSpend(problems, rules, envelope.budget, totalCost);
      return result(problems, chosen.length, { totalCost });
    }
    case 'cumulative': {
      let counted = 0;
      let total = 0;
      for (const { projectId, points } of (ballot as { points: readonly { projectId: ProjectId; points: number }[] }).points) {
        if (!take(projectId)) continue;
        if (!Number.isSafeInteger(points) || points < 1) {
          problems.push({ code: 'invalid-points', projectId, params: { points: String(points) } });
          continue;
        }
        if (points > rules.maxPointsPerProject) {
          problems.push({ code: 'too-many-points-for-project', projectId, params: { points, max: rules.maxPointsPerProject } });
        }
        counted++;
        total += points;
      }
      checkCount(problems, counted, rules.minProjects, undefined);
      checkPoints(problems, rules, total);
      return result(problems, counted, { totalPoints: total });
    }
    case 'majority-judgement': {
      const scale = new Set(rules.grades);
      let graded = 0;
      for (const { projectId, grade } of (ballot as { grades: readonly { projectId: ProjectId; grade: string }[] }).grades) {
        if (!take(projectId)) continue;
        if (scale.has(grade)) graded++;
        else problems.push({ code: 'unknown-grade', projectId, params: { grade: String(grade) } });
      }
      // A project named with a grade off the scale has its own problem already.
      for (const p of envelope.projects) {
        if (!seen.has(p.id)) problems.push({ code: 'missing-grade', projectId: p.id });
      }
      return result(problems, graded, {});
    }
  }
}

function result(problems: BallotProblem[], projects: number, totals: Pick<BallotCheck, 'totalCost' | 'totalPoints'>): BallotCheck {
  // Entry problems first (in ballot order), then those about the whole ballot: a stable order.
  const ordered = [...problems.filter((p) => p.projectId !== undefined), ...problems.filter((p) => p.projectId === undefined)];
  return { valid: problems.length === 0, problems: ordered, projects, ...totals };
}

function checkCount(problems: BallotProblem[], count: number, min: number, max: number | undefined): void {
  if (count < min) problems.push({ code: 'too-few-projects', params: { min, count } });
  if (max !== undefined && count > max) problems.push({ code: 'too-many-projects', params: { max, count } });
}

/** The least a knapsack ballot must spend: minSpendPercent % of the budget, exactly. */
export function minimumSpend(rules: KnapsackRules, budget: Fraction): Fraction {
  return rules.minSpendPercent === undefined ? Fraction.ZERO : budget.mul(Fraction.fromNumber(rules.minSpendPercent)).div(Fraction.of(100));
}

function checkSpend(problems: BallotProblem[], rules: KnapsackRules, budget: Fraction, total: Fraction): void {
  if (total.gt(budget)) problems.push({ code: 'over-budget', params: { budget: budget.toString(), total: total.toString() } });
  const minimum = minimumSpend(rules, budget);
  if (total.lt(minimum)) {
    problems.push({
      code: 'under-minimum-spend',
      params: { minimum: minimum.toString(), total: total.toString(), percent: rules.minSpendPercent ?? 0 },
    });
  }
}

function checkPoints(problems: BallotProblem[], rules: CumulativeRules, total: number): void {
  if (total > rules.points) problems.push({ code: 'too-many-points', params: { total, max: rules.points } });
  else if (rules.requireAllPoints && total < rules.points)
    problems.push({ code: 'too-few-points', params: { total, required: rules.points } });
}

/**
 * Obvious misconfigurations of rules for an envelope, to refuse before voting opens: rules no
 * ballot could satisfy. These are necessary conditions, not a proof that a valid ballot exists
 * (for knapsack that is a subset-sum question), so an empty list is not a guarantee.
 */
export function envelopeRulesProblems(rules: BallotRules, envelope: BallotEnvelope): string[] {
  const out: string[] = [];
  const n = envelope.projects.length;
  if (n === 0) return ['the envelope has no project on its ballot'];
  if (rules.type !== 'majority-judgement' && rules.minProjects > n) {
    out.push(`minProjects is ${rules.minProjects} but the envelope has ${n} project(s)`);
  }
  if (rules.type === 'knapsack') {
    const byCost = envelope.projects.map((p) => p.cost).sort((a, b) => a.cmp(b));
    const cheapest = Fraction.sum(byCost.slice(0, rules.minProjects));
    if (cheapest.gt(envelope.budget)) {
      out.push(
        `the ${rules.minProjects} cheapest project(s) cost ${cheapest.toDecimal()}, more than the budget ${envelope.budget.toDecimal()}`,
      );
    }
    // The most a ballot can spend is at most the dearest projects that fit, as many as allowed.
    const fitting = byCost.filter((c) => c.lte(envelope.budget));
    const most = Fraction.sum(fitting.slice(Math.max(0, fitting.length - (rules.maxProjects ?? fitting.length))));
    const minimum = minimumSpend(rules, envelope.budget);
    if (rules.minSpendPercent !== undefined && most.lt(minimum)) {
      out.push(`no ballot can spend the minimum of ${minimum.toDecimal()} (${rules.minSpendPercent} % of ${envelope.budget.toDecimal()})`);
    }
  }
  if (rules.type === 'cumulative' && rules.requireAllPoints && n * rules.maxPointsPerProject < rules.points) {
    out.push(`${n} project(s) at ${rules.maxPointsPerProject} point(s) each cannot take all ${rules.points} points`);
  }
  return out;
}
