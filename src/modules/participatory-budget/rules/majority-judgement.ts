import { ElectionError, type ProjectId } from './election.js';
import type { Fraction } from './fraction.js';
import { type TieBreaking, tieOrder } from './tie-breaking.js';

/**
 * Majority judgement (Balinski & Laraki, "Majority Judgment", MIT Press 2011), as Paris has voted
 * since 2021: every voter gives every project of the envelope a grade from a published scale.
 *
 * Ranking.
 *   1. A project's majority grade is the median of its grades; with an even number of grades,
 *      the lower median (the worse of the two middle grades): a majority — more than half — gave
 *      at least that grade. The better majority grade ranks first.
 *   2. Ties: the standard Balinski–Laraki tie-break, i.e. their "majority ranking". Each project's
 *      majority value is the sequence of medians obtained by removing its median grade, then the
 *      median of what is left, and so on until no grade is left; projects are ranked by comparing
 *      these sequences lexicographically. For two tied projects this is the familiar "remove one
 *      median grade from each, compare the new medians, repeat". (The "majority gauge" — more
 *      grades above than below the median — is a shortcut that agrees with it whenever it decides;
 *      we compute the full ranking exactly.) Two projects are still tied after every grade has
 *      been removed only if they received exactly the same grades.
 *   3. Then the lot: a published order of project ids drawn in public, or id order (the same
 *      convention as tie-breaking.ts; costs and vote counts play no part: every project is graded
 *      by every voter).
 *
 * Funding: down the ranking, each project that still fits in the money left is funded, the
 * others are skipped (the greedy rule, on the majority ranking). Optionally, projects whose
 * majority grade is worse than a minimum grade are ranked but not funded.
 *
 * Everything works on per-project counts of each grade — what ballots tally to and what paper
 * ballots can be counted into —, so the ranking costs O(grades) per comparison whatever the
 * number of voters.
 */

/** A scale a city may publish, best grade first (the codes are message keys for i18n). */
export const DEFAULT_GRADES: readonly string[] = ['excellent', 'very-good', 'good', 'fair', 'poor', 'reject'];

/** One voter's grades: one per project of the envelope. */
export interface GradeBallot {
  grades: readonly { projectId: ProjectId; grade: string }[];
}

export interface MajorityJudgementInput {
  budget: Fraction;
  /** The published scale, best grade first. */
  grades: readonly string[];
  /**
   * Per project, how many voters gave each grade, in the scale's order. Every project must have
   * the same total (every voter grades every project; a blank counts as the lowest grade).
   */
  projects: readonly { id: ProjectId; cost: Fraction; counts: readonly number[] }[];
}

export interface MajorityJudgementOptions {
  /** The lot that ends the tie-break: a drawn order of project ids, or id order (default). */
  lot?: TieBreaking['lot'];
  /** A grade of the scale: projects whose majority grade is worse are ranked but never funded. */
  minimumGrade?: string;
}

export interface TallyOptions {
  /**
   * A ballot that does not grade some project: 'refuse' (default; validated online ballots grade
   * every project) or 'lowest' (Balinski–Laraki's convention for blanks, e.g. on paper ballots).
   */
  blank?: 'refuse' | 'lowest';
}

export type MajorityDecision = 'funded' | 'does-not-fit' | 'below-minimum-grade';

/** How a project's place against the one ranked just after it was settled. */
export interface MajorityVersusNext {
  projectId: ProjectId;
  /**
   * 'majority-grade': their majority grades differ; 'median-removal': same majority grade, settled
   * after removing `medianGradesRemoved` median grades from each; 'lot': identical grades.
   */
  decidedBy: 'majority-grade' | 'median-removal' | 'lot';
  medianGradesRemoved?: number;
}

export interface MajorityRankedProject {
  /** 1-based position in the ranking. */
  rank: number;
  projectId: ProjectId;
  cost: Fraction;
  /** How many voters gave each grade, best grade first (for a results page's bar). */
  distribution: { grade: string; count: number }[];
  voters: number;
  /** The majority grade (lower median). */
  majorityGrade: string;
  /** Grades strictly better / strictly worse than the majority grade. */
  above: number;
  below: number;
  decision: MajorityDecision;
  /** Money left once this project was dealt with. */
  moneyLeft: Fraction;
  /** Other projects with the same majority grade (ordered against this one by the tie-break). */
  tiedWith: ProjectId[];
  /** Absent for the last project. */
  versusNext?: MajorityVersusNext;
}

export interface MajorityJudgementOutcome {
  rule: 'majority-judgement';
  budget: Fraction;
  grades: string[];
  minimumGrade?: string;
  /** In selection (= ranking) order. */
  selected: ProjectId[];
  cost: Fraction;
  moneyLeft: Fraction;
  lot: TieBreaking['lot'];
  ranking: MajorityRankedProject[];
}

/** Tallies validated ballots into per-project grade counts (ElectionError on what cannot be counted). */
export function tallyGrades(
  envelope: { budget: Fraction; projects: readonly { id: ProjectId; cost: Fraction }[] },
  grades: readonly string[],
  ballots: readonly GradeBallot[],
  options: TallyOptions = {},
): MajorityJudgementInput {
  checkScale(grades);
  const gradeIndex = new Map(grades.map((g, i) => [g, i]));
  const counts = new Map<ProjectId, number[]>();
  for (const p of envelope.projects) {
    if (counts.has(p.id)) throw new ElectionError(`Project "${p.id}" appears twice.`);
    counts.set(
      p.id,
      grades.map(() => 0),
    );
  }
  const lowest = grades.length - 1;
  ballots.forEach((ballot, i) => {
    const seen = new Set<ProjectId>();
    for (const { projectId, grade } of ballot.grades) {
      const row = counts.get(projectId);
      if (!row) throw new ElectionError(`Ballot ${i + 1} grades project "${projectId}", which is not on the ballot.`);
      if (seen.has(projectId)) throw new ElectionError(`Ballot ${i + 1} grades project "${projectId}" twice.`);
      seen.add(projectId);
      const g = gradeIndex.get(grade);
      if (g === undefined) throw new ElectionError(`Ballot ${i + 1} gives project "${projectId}" the grade "${grade}", not on the scale.`);
      row[g]!++;
    }
    for (const [id, row] of counts) {
      if (seen.has(id)) continue;
      if (options.blank !== 'lowest') throw new ElectionError(`Ballot ${i + 1} does not grade project "${id}".`);
      row[lowest]!++;
    }
  });
  return {
    budget: envelope.budget,
    grades,
    projects: envelope.projects.map((p) => ({ id: p.id, cost: p.cost, counts: counts.get(p.id)! })),
  };
}

/** Ranks and funds the projects of an envelope from its graded ballots. */
export function majorityJudgement(
  envelope: { budget: Fraction; projects: readonly { id: ProjectId; cost: Fraction }[] },
  grades: readonly string[],
  ballots: readonly GradeBallot[],
  options: MajorityJudgementOptions & TallyOptions = {},
): MajorityJudgementOutcome {
  return runMajorityJudgement(tallyGrades(envelope, grades, ballots, options), options);
}

/** Ranks and funds from per-project grade counts (online tallies, paper counts, or both added). */
export function runMajorityJudgement(input: MajorityJudgementInput, options: MajorityJudgementOptions = {}): MajorityJudgementOutcome {
  const { grades } = input;
  checkScale(grades);
  const lot = options.lot ?? 'id-order';
  const minimum = options.minimumGrade === undefined ? undefined : grades.indexOf(options.minimumGrade);
  if (minimum === -1) throw new ElectionError(`The minimum grade "${options.minimumGrade}" is not on the scale (${grades.join(', ')}).`);
  const ids = new Set<ProjectId>();
  let voters: number | undefined;
  for (const p of input.projects) {
    if (p.id === '') throw new ElectionError('A project has an empty id.');
    if (ids.has(p.id)) throw new ElectionError(`Project "${p.id}" appears twice.`);
    ids.add(p.id);
    if (p.cost.num <= 0n) throw new ElectionError(`Project "${p.id}" must cost more than zero (cost ${p.cost.toDecimal()}).`);
    if (p.counts.length !== grades.length) {
      throw new ElectionError(`Project "${p.id}" has ${p.counts.length} grade count(s) for a scale of ${grades.length} grades.`);
    }
    if (p.counts.some((c) => !Number.isSafeInteger(c) || c < 0))
      throw new ElectionError(`Project "${p.id}" has a grade count that is not a whole number ≥ 0.`);
    const total = p.counts.reduce((s, c) => s + c, 0);
    if (voters !== undefined && total !== voters) {
      throw new ElectionError(
        `Every project must be graded by the same number of voters: "${input.projects[0]!.id}" has ${voters} grades, "${p.id}" has ${total} (count a blank as the lowest grade).`,
      );
    }
    voters = total;
  }

  const byLot = tieOrder({ criteria: [], lot });
  const facts = input.projects.map((p) => ({ ...p, votes: 0, median: majorityGradeIndex(p.counts) }));
  const ranking = facts.sort((a, b) => compareMajority(a.counts, b.counts) || byLot(a, b));

  let left = input.budget;
  const selected: ProjectId[] = [];
  const out = ranking.map((p, i): MajorityRankedProject => {
    let decision: MajorityDecision;
    if (minimum !== undefined && p.median > minimum) decision = 'below-minimum-grade';
    else if (p.cost.lte(left)) {
      decision = 'funded';
      left = left.sub(p.cost);
      selected.push(p.id);
    } else decision = 'does-not-fit';
    const next = ranking[i + 1];
    const above = p.counts.slice(0, p.median).reduce((s, c) => s + c, 0);
    const below = p.counts.slice(p.median + 1).reduce((s, c) => s + c, 0);
    return {
      rank: i + 1,
      projectId: p.id,
      cost: p.cost,
      distribution: grades.map((grade, g) => ({ grade, count: p.counts[g]! })),
      voters: voters ?? 0,
      majorityGrade: grades[p.median]!,
      above,
      below,
      decision,
      moneyLeft: left,
      tiedWith: ranking.filter((q) => q !== p && q.median === p.median).map((q) => q.id),
      ...(next ? { versusNext: versus(p.counts, next) } : {}),
    };
  });
  return {
    rule: 'majority-judgement',
    budget: input.budget,
    grades: [...grades],
    ...(options.minimumGrade === undefined ? {} : { minimumGrade: options.minimumGrade }),
    selected,
    cost: input.budget.sub(left),
    moneyLeft: left,
    lot,
    ranking: out,
  };
}

function versus(counts: readonly number[], next: { id: ProjectId; counts: readonly number[] }): MajorityVersusNext {
  const d = firstDifference(counts, next.counts);
  if (!d) return { projectId: next.id, decidedBy: 'lot' };
  if (d.step === 0) return { projectId: next.id, decidedBy: 'majority-grade' };
  return { projectId: next.id, decidedBy: 'median-removal', medianGradesRemoved: d.step };
}

function checkScale(grades: readonly string[]): void {
  if (grades.length === 0) throw new ElectionError('The grade scale is empty.');
  if (new Set(grades).size !== grades.length) throw new ElectionError(`The grade scale names a grade twice (${grades.join(', ')}).`);
}

/**
 * The index (in the scale, best first) of the majority grade: the lower median. With no grade at
 * all, the lowest grade.
 */
export function majorityGradeIndex(counts: readonly number[]): number {
  const n = counts.reduce((s, c) => s + c, 0);
  return n === 0 ? counts.length - 1 : gradeAt(counts, Math.floor((n - 1) / 2));
}

/**
 * Balinski–Laraki's majority ranking between two projects graded by the same number of voters,
 * from their grade counts (best grade first): negative when `a` ranks above `b`, 0 when their
 * grades are identical.
 */
export function compareMajority(a: readonly number[], b: readonly number[]): number {
  const d = firstDifference(a, b);
  return d ? d.sign : 0;
}

/**
 * Where the majority values of a and b first differ, without listing them.
 *
 * Sort a project's n grades from worst to best (positions 0…n-1). Removing the lower median
 * (position m = ⌊(n-1)/2⌋) again and again takes positions m, m-1, m+1, m-2, m+2… when n is odd
 * and m, m+1, m-1, m+2, m-2… when n is even: the removed block grows around m, one side then
 * the other. Both projects have the same n, so step t looks at the same position in both: the
 * first step at which they differ is the position, among those where their sorted grades differ,
 * that is removed first. Sorted grades are constant on runs (one per grade), so only the few
 * segments between run boundaries need looking at.
 */
function firstDifference(a: readonly number[], b: readonly number[]): { step: number; sign: number } | undefined {
  const n = a.reduce((s, c) => s + c, 0);
  if (n !== b.reduce((s, c) => s + c, 0)) throw new ElectionError('Projects graded by different numbers of voters cannot be compared.');
  const m = Math.floor((n - 1) / 2);
  const bounds = [...new Set([0, n, ...runBounds(a), ...runBounds(b)])].sort((x, y) => x - y);
  let best: { step: number; sign: number } | undefined;
  for (let i = 0; i + 1 < bounds.length; i++) {
    const start = bounds[i]!;
    const end = bounds[i + 1]!;
    const ga = gradeAt(a, start);
    const gb = gradeAt(b, start);
    if (ga === gb) continue;
    const position = Math.min(Math.max(m, start), end - 1);
    const step = stepOf(position, n, m);
    // A smaller index is a better grade: `a` ranks above when its grade there is better.
    if (!best || step < best.step) best = { step, sign: ga < gb ? -1 : 1 };
  }
  return best;
}

/** The positions (from the worst grade) where a new grade starts. */
function runBounds(counts: readonly number[]): number[] {
  const out: number[] = [];
  let at = 0;
  for (let g = counts.length - 1; g >= 0; g--) {
    at += counts[g]!;
    out.push(at);
  }
  return out;
}

/** The grade (scale index) at `position` in the grades sorted from worst to best. */
function gradeAt(counts: readonly number[], position: number): number {
  let at = 0;
  for (let g = counts.length - 1; g >= 0; g--) {
    at += counts[g]!;
    if (position < at) return g;
  }
  return 0;
}

/** At which removal (0 = the majority grade itself) the grade at `position` is removed. */
function stepOf(position: number, n: number, m: number): number {
  if (n % 2 === 1) {
    if (position === m) return 0;
    return position < m ? 2 * (m - position) - 1 : 2 * (position - m);
  }
  return position <= m ? 2 * (m - position) : 2 * (position - m) - 1;
}

/** For tests and explanations: the majority value (the medians removed one by one), as scale indexes. */
export function majorityValue(counts: readonly number[]): number[] {
  const sorted: number[] = [];
  for (let g = counts.length - 1; g >= 0; g--) for (let k = 0; k < counts[g]!; k++) sorted.push(g);
  const out: number[] = [];
  while (sorted.length > 0) out.push(sorted.splice(Math.floor((sorted.length - 1) / 2), 1)[0]!);
  return out;
}
