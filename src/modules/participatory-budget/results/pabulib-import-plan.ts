import type { BallotRules } from '../ballots/rules.js';
import { type BallotProblem, type VoterBallot, validateBallot } from '../ballots/validate.js';
import { readRows } from '../pabulib/csv.js';
import { PabulibParseError } from '../pabulib/errors.js';
import { parsePabulib } from '../pabulib/parse.js';
import type { PabulibFile, PabulibProject, PabulibVote, VoteType } from '../pabulib/types.js';
import { PROJECT_CODE } from '../projects/merge.js';
import { Fraction } from '../rules/fraction.js';

/**
 * What a Pabulib file becomes in one envelope — checked in full before anything is written, so a
 * refusal names every line to fix (up to MAX_PROBLEMS) and the database never holds half a file.
 * Pure: the domain function (pabulib-import.ts) gives it the envelope and writes the plan.
 */

/** One thing wrong, as a message key of `participatory-budget.pabulib-import.problem.*` with its values. */
export interface ImportProblem {
  /** 1-based line of the file, when the problem is on one. */
  line?: number;
  key: string;
  params?: Record<string, string | number>;
  /** A ballot breaking the envelope's rules: the ballot page's own problem (`participatory-budget.ballot.<code>`). */
  ballot?: BallotProblem;
}

export type ImportRefusalCode = 'pabulib-invalid' | 'pabulib-budget-mismatch' | 'pabulib-vote-type';

export interface ImportRefusal {
  code: ImportRefusalCode;
  problems: ImportProblem[];
}

/** The envelope receiving the file, as the plan needs it. */
export interface ImportTarget {
  /** Whole currency units. */
  amount: number;
  rules: BallotRules;
  /** The campaign's theme codes: a project whose category names one is filed under it. */
  themes: readonly string[];
  /** Project codes of the campaign's other envelopes → their envelope's code (codes are unique per campaign). */
  takenCodes: ReadonlyMap<string, string>;
  /** Put before every project id to make its code ("75111-" + "12"), so two files' ids cannot clash. */
  codePrefix: string;
}

export interface PlannedProject {
  code: string;
  title: string;
  description: string;
  theme: string | null;
  cost: number;
  lat: number | null;
  lng: number | null;
}

export interface ImportPlan {
  file: PabulibFile;
  projects: PlannedProject[];
  /** Every vote of the file as a ballot of the envelope's type, projects by code, in file order. */
  ballots: VoterBallot[];
}

/** Past this many problems the file is clearly for another envelope, or broken: the rest would only bury the first. */
export const MAX_PROBLEMS = 20;

/**
 * Which Pabulib vote types each ballot type can hold. Ordinal and choose-1 ballots are sets of
 * projects to the rules Civitas runs (votes = ballots naming a project), so approval and knapsack
 * envelopes take them; the ranking of an ordinal ballot is not kept. Points stay points. Scoring
 * ballots (independent points per project) and graded envelopes have no counterpart.
 */
export const ACCEPTED_VOTE_TYPES: Record<BallotRules['type'], readonly VoteType[]> = {
  approval: ['approval', 'choose-1', 'ordinal'],
  knapsack: ['approval', 'choose-1', 'ordinal'],
  cumulative: ['cumulative'],
  'majority-judgement': [],
};

/** Reads and checks the file against the envelope: the plan to write, or why not. */
export function planPabulibImport(bytes: Uint8Array, target: ImportTarget): { plan: ImportPlan } | { refusal: ImportRefusal } {
  let file: PabulibFile;
  try {
    file = parsePabulib(bytes);
  } catch (err) {
    if (!(err instanceof PabulibParseError)) throw err;
    return refuse('pabulib-invalid', [{ line: err.line, key: 'syntax', params: { problem: err.problem } }]);
  }
  const lines = fileLines(new TextDecoder().decode(bytes).replace(/^\ufeff/, ''));
  if (file.meta.budget !== target.amount) {
    return refuse('pabulib-budget-mismatch', [
      { line: lines.meta.get('budget'), key: 'budget', params: { file: String(file.meta.budget), envelope: target.amount } },
    ]);
  }
  if (!ACCEPTED_VOTE_TYPES[target.rules.type].includes(file.meta.vote_type)) {
    return refuse('pabulib-vote-type', [
      { line: lines.meta.get('vote_type'), key: 'vote-type', params: { file: file.meta.vote_type, envelope: target.rules.type } },
    ]);
  }
  const problems: ImportProblem[] = [];
  const projects = planProjects(file.projects, lines.projects, target, problems);
  if (!projects.length && !problems.length) problems.push({ line: lines.meta.get('num_projects'), key: 'no-projects' });
  // Ballots are checked against the projects' codes: only when every project made one.
  const ballots = problems.length ? [] : planBallots(file, lines.votes, projects, target, problems);
  if (problems.length) {
    const shown = problems.slice(0, MAX_PROBLEMS);
    if (problems.length > MAX_PROBLEMS) shown.push({ key: 'more', params: { count: problems.length - MAX_PROBLEMS } });
    return refuse('pabulib-invalid', shown);
  }
  return { plan: { file, projects, ballots } };
}

const refuse = (code: ImportRefusalCode, problems: ImportProblem[]) => ({ refusal: { code, problems } });

function planProjects(rows: readonly PabulibProject[], lines: readonly number[], target: ImportTarget, problems: ImportProblem[]) {
  const planned: PlannedProject[] = [];
  const seen = new Map<string, string>();
  const themes = new Set(target.themes);
  rows.forEach((p, i) => {
    const line = lines[i];
    // Codes are lowercase (they are URLs); ids differing only by case would become one code.
    const code = `${target.codePrefix}${p.project_id}`.toLowerCase();
    if (!PROJECT_CODE.test(code)) problems.push({ line, key: 'project-code', params: { id: p.project_id, code } });
    else if (seen.has(code)) problems.push({ line, key: 'project-code-twice', params: { id: p.project_id, other: seen.get(code)! } });
    else if (target.takenCodes.has(code))
      problems.push({ line, key: 'project-code-taken', params: { code, envelope: target.takenCodes.get(code)! } });
    seen.set(code, p.project_id);
    // Money is in whole units, and a project costs something (the ballot rules divide by costs).
    if (!Number.isInteger(p.cost) || p.cost < 1) problems.push({ line, key: 'project-cost', params: { id: p.project_id, cost: p.cost } });
    const located = p.latitude !== undefined && p.longitude !== undefined;
    planned.push({
      code,
      title: p.name?.trim() || p.project_id,
      description: p.description ?? '',
      theme: p.category?.map((c) => c.trim().toLowerCase()).find((c) => themes.has(c)) ?? null,
      cost: p.cost,
      lat: located ? (p.latitude as number) : null,
      lng: located ? (p.longitude as number) : null,
    });
  });
  return planned;
}

function planBallots(
  file: PabulibFile,
  lines: readonly number[],
  projects: readonly PlannedProject[],
  target: ImportTarget,
  problems: ImportProblem[],
): VoterBallot[] {
  const codeOf = new Map(file.projects.map((p, i) => [p.project_id, projects[i]!.code]));
  const envelope = {
    budget: Fraction.fromNumber(target.amount),
    projects: projects.map((p) => ({ id: p.code, cost: Fraction.fromNumber(p.cost) })),
  };
  const ballots: VoterBallot[] = [];
  file.votes.forEach((vote, i) => {
    const line = lines[i];
    const ballot = ballotOf(vote, target.rules.type, codeOf);
    if (!ballot) {
      problems.push({ line, key: 'points-missing', params: { voter: vote.voter_id } });
      return;
    }
    for (const problem of validateBallot(target.rules, envelope, ballot).problems) {
      problems.push({ line, key: 'ballot', params: { voter: vote.voter_id }, ballot: problem });
    }
    ballots.push(ballot);
  });
  return ballots;
}

/** A vote as the envelope's ballot; undefined for a points ballot whose points are missing. */
function ballotOf(vote: PabulibVote, type: BallotRules['type'], codeOf: ReadonlyMap<string, string>): VoterBallot | undefined {
  const codes = vote.vote.map((id) => codeOf.get(id) as string);
  if (type === 'cumulative') {
    if (!vote.points) return undefined;
    return { type, points: codes.map((projectId, i) => ({ projectId, points: vote.points![i]! })) };
  }
  return { type: type as 'approval' | 'knapsack', projects: codes };
}

/**
 * The line of each META key and of each PROJECTS and VOTES row, in file order. Read again after
 * `parsePabulib` accepted the file (so its structure is known good): the typed file does not keep
 * lines, and a quoted field may span several, so counting newlines would be wrong.
 */
function fileLines(text: string): { meta: Map<string, number>; projects: number[]; votes: number[] } {
  const out = { meta: new Map<string, number>(), projects: [] as number[], votes: [] as number[] };
  let section = '';
  let header = false;
  for (const row of readRows(text)) {
    if (row.fields.length === 1 && ['META', 'PROJECTS', 'VOTES'].includes(row.fields[0]!)) {
      section = row.fields[0]!;
      header = true;
    } else if (header) header = false;
    else if (section === 'META') out.meta.set(row.fields[0]!, row.line);
    else if (section === 'PROJECTS') out.projects.push(row.line);
    else out.votes.push(row.line);
  }
  return out;
}
