import type { Executor } from '../../../kernel/db/transaction.js';
import { fromJson } from '../../../kernel/db/values.js';
import { type BallotRules, parseBallotRules } from '../ballots/rules.js';
import type { VoterBallot } from '../ballots/validate.js';
import { type Ballot, type Election, ElectionError } from '../rules/election.js';
import { Fraction } from '../rules/fraction.js';
import { type GreedyInput, greedyInput } from '../rules/greedy.js';
import { type MajorityJudgementInput, tallyGrades } from '../rules/majority-judgement.js';

/** One envelope as counted: its ballot projects, the online and paper ballots, the per-project paper counts. */
export interface EnvelopeCount {
  envelopeId: string;
  rules: BallotRules;
  budget: Fraction;
  projects: { id: string; code: string; cost: Fraction }[];
  /** Confirmed ballots (online, and paper ones entered one by one), projects by code. */
  ballots: VoterBallot[];
  ballotsOnline: number;
  ballotsPaper: number;
  /** Per project code (and grade, majority judgement: '' otherwise), the ballot boxes' counts summed. */
  paperCounts: { code: string; grade: string; count: number }[];
  /** Minimum votes (points) to be eligible under the greedy rules: an imported Pabulib file's own threshold. */
  threshold?: number;
}

/** Reads what an envelope's result is computed from: only projects on the ballot, only confirmed ballots. */
export async function countEnvelope(db: Executor, envelope: { id: string; amount: number; ballot_rules: string }): Promise<EnvelopeCount> {
  const projects = await db
    .selectFrom('pb_projects')
    .select(['id', 'code', 'cost'])
    .where('envelope_id', '=', envelope.id)
    .where('status', '=', 'ballot')
    .orderBy('position')
    .execute();
  const ballots = await db
    .selectFrom('pb_ballots')
    .select(['choices', 'channel'])
    .where('envelope_id', '=', envelope.id)
    .where('status', '=', 'confirmed')
    .execute();
  const codeOf = new Map(projects.map((p) => [p.id, p.code]));
  const paper = await db
    .selectFrom('pb_paper_counts')
    .select(['project_id', 'grade'])
    .select((eb) => eb.fn.sum<number | string>('count').as('count'))
    .where('envelope_id', '=', envelope.id)
    .groupBy(['project_id', 'grade'])
    .execute();
  const imported = await db
    .selectFrom('pb_pabulib_imports')
    .select('score_threshold')
    .where('envelope_id', '=', envelope.id)
    .executeTakeFirst();
  return {
    envelopeId: envelope.id,
    rules: parseBallotRules(fromJson(envelope.ballot_rules, {})),
    budget: Fraction.fromNumber(Number(envelope.amount)),
    projects: projects.map((p) => ({ id: p.id, code: p.code, cost: Fraction.fromNumber(Number(p.cost)) })),
    ballots: ballots.map((b) => fromJson<VoterBallot>(b.choices, { type: 'approval', projects: [] })),
    ballotsOnline: ballots.filter((b) => b.channel === 'online').length,
    // Ballots imported from a Pabulib file (channel "import") are neither: the import's record counts them.
    ballotsPaper: ballots.filter((b) => b.channel === 'paper').length,
    paperCounts: paper.flatMap((r) => {
      const code = codeOf.get(r.project_id);
      return code ? [{ code, grade: r.grade, count: Number(r.count) }] : [];
    }),
    ...(imported?.score_threshold == null ? {} : { threshold: Number(imported.score_threshold) }),
  };
}

/** Approval, knapsack and cumulative ballots as the rules read them (projects by code). */
export function electionOf(count: EnvelopeCount): Election {
  const ballots: Ballot[] = count.ballots.map((b) => {
    if (b.type === 'cumulative') return { projects: b.points.map((p) => p.projectId), points: b.points.map((p) => p.points) };
    if (b.type === 'majority-judgement') throw new ElectionError('A graded ballot is counted by majority judgement, not by this rule.');
    return { projects: b.projects };
  });
  return { budget: count.budget, projects: count.projects.map((p) => ({ id: p.code, cost: p.cost })), ballots };
}

/**
 * The greedy rules' input: votes (or points) from the ballots plus the ballot boxes' per-project
 * counts, which are votes (approval, knapsack) or points (cumulative) like the ballots' own.
 */
export function greedyInputOf(count: EnvelopeCount): GreedyInput {
  const input = greedyInput(electionOf(count));
  const paper = new Map<string, number>();
  for (const c of count.paperCounts) paper.set(c.code, (paper.get(c.code) ?? 0) + c.count);
  const points = count.rules.type === 'cumulative';
  return {
    ...input,
    rankedBy: points ? 'points' : 'votes',
    projects: input.projects.map((p) => {
      const extra = paper.get(p.id) ?? 0;
      if (!points) return { ...p, votes: p.votes + extra, score: undefined };
      // Paper counts of a points ballot are points; the number of ballots naming it is not known.
      return { ...p, score: (p.score ?? Fraction.of(0)).add(Fraction.of(extra)) };
    }),
  };
}

/**
 * Majority judgement's grade counts: the online ballots' grades plus the ballot boxes' counts per
 * grade. Every project must end with as many grades as there are voters: a project a box counted
 * fewer grades for (a blank on paper) gets the lowest grade for the difference, Balinski–Laraki's
 * convention for blanks.
 */
export function gradeCountsOf(count: EnvelopeCount, grades: readonly string[]): MajorityJudgementInput {
  const online = tallyGrades(
    { budget: count.budget, projects: count.projects.map((p) => ({ id: p.code, cost: p.cost })) },
    grades,
    count.ballots.flatMap((b) => (b.type === 'majority-judgement' ? [{ grades: b.grades }] : [])),
  );
  const index = new Map(grades.map((g, i) => [g, i]));
  const projects = online.projects.map((p) => ({ ...p, counts: [...p.counts] }));
  const byCode = new Map(projects.map((p) => [p.id, p]));
  for (const c of count.paperCounts) {
    const at = index.get(c.grade);
    if (at === undefined)
      throw new ElectionError(`Paper counts give the grade "${c.grade}", which is not on the scale (${grades.join(', ')}).`);
    const counts = (byCode.get(c.code) as (typeof projects)[number]).counts;
    counts[at] = (counts[at] ?? 0) + c.count;
  }
  const total = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
  const voters = Math.max(0, ...projects.map((p) => total(p.counts)));
  const lowest = grades.length - 1;
  for (const p of projects) p.counts[lowest] = (p.counts[lowest] ?? 0) + voters - total(p.counts);
  return { ...online, projects };
}
