import { Fraction } from './fraction.js';

export type ProjectId = string;

/** A project on the ballot. Costs are exact (see fraction.ts) and positive. */
export interface ElectionProject {
  id: ProjectId;
  cost: Fraction;
}

/**
 * One voter's ballot: the projects they approve. Ordinal and choose-1 ballots are read as the set
 * of projects they name. Points ballots (cumulative, scoring) also give `points`, one per project,
 * in the same order; only the greedy rules use them (they rank by total points).
 */
export interface Ballot {
  projects: readonly ProjectId[];
  points?: readonly number[];
}

/** What the rules need: the envelope, the projects, the ballots. No database, no I/O. */
export interface Election {
  budget: Fraction;
  projects: readonly ElectionProject[];
  ballots: readonly Ballot[];
}

/** An election that a rule refuses (unknown project in a ballot, non-positive cost…). */
export class ElectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElectionError';
  }
}

/** The same election written with plain numbers and id lists (tests, demo data, settings). */
export interface PlainElection {
  budget: number | string;
  projects: readonly { id: ProjectId; cost: number | string }[];
  ballots: readonly (readonly ProjectId[] | Ballot)[];
}

export function makeElection(plain: PlainElection): Election {
  const amount = (v: number | string) => (typeof v === 'number' ? Fraction.fromNumber(v) : Fraction.fromDecimal(v));
  return {
    budget: amount(plain.budget),
    projects: plain.projects.map((p) => ({ id: p.id, cost: amount(p.cost) })),
    ballots: plain.ballots.map((b) => (isBallot(b) ? b : { projects: b })),
  };
}

function isBallot(b: readonly ProjectId[] | Ballot): b is Ballot {
  return !Array.isArray(b);
}

/** Refuses what no rule can count; every rule calls it first. */
export function checkElection(election: Election): void {
  if (election.budget.num < 0n) throw new ElectionError(`The budget is negative (${election.budget.toDecimal()}).`);
  const index = projectIndex(election.projects);
  // The ballot that last named each project: a second mention within one ballot is a duplicate.
  // (No Set per ballot: a city-wide vote has hundreds of thousands of ballots.)
  const lastBallot = new Int32Array(election.projects.length).fill(-1);
  const { ballots } = election;
  for (let i = 0; i < ballots.length; i++) {
    const ballot = ballots[i]!;
    for (const id of ballot.projects) {
      const p = index.get(id);
      if (p === undefined) throw new ElectionError(`Ballot ${i + 1} names project "${id}", which is not on the ballot.`);
      if (lastBallot[p] === i) throw new ElectionError(`Ballot ${i + 1} names project "${id}" twice.`);
      lastBallot[p] = i;
    }
    if (ballot.points) {
      if (ballot.points.length !== ballot.projects.length) {
        throw new ElectionError(`Ballot ${i + 1} gives ${ballot.points.length} points value(s) for ${ballot.projects.length} project(s).`);
      }
      if (ballot.points.some((x) => !Number.isFinite(x)))
        throw new ElectionError(`Ballot ${i + 1} has a points value that is not a number.`);
    }
  }
}

/** Position of each project by id; refuses empty and repeated ids and non-positive costs. */
function projectIndex(projects: readonly ElectionProject[]): Map<ProjectId, number> {
  const index = new Map<ProjectId, number>();
  projects.forEach((p, i) => {
    if (p.id === '') throw new ElectionError('A project has an empty id.');
    if (index.has(p.id)) throw new ElectionError(`Project "${p.id}" appears twice.`);
    index.set(p.id, i);
    if (p.cost.num <= 0n) throw new ElectionError(`Project "${p.id}" must cost more than zero (cost ${p.cost.toDecimal()}).`);
  });
  return index;
}

/** Per project: how many ballots name it, and the total of its points (equal to votes for approval ballots). */
export interface Tally {
  votes: number;
  score: Fraction;
}

export function tally(election: Election): Map<ProjectId, Tally> {
  const votes = new Map<ProjectId, number>(election.projects.map((p) => [p.id, 0]));
  // Points are summed exactly; approval ballots are only counted, their score is their votes.
  const withPoints = hasPoints(election);
  const points = new Map<ProjectId, Fraction>(election.projects.map((p) => [p.id, Fraction.ZERO]));
  for (const ballot of election.ballots) {
    for (let i = 0; i < ballot.projects.length; i++) {
      const id = ballot.projects[i]!;
      const n = votes.get(id);
      if (n === undefined) continue;
      votes.set(id, n + 1);
      if (!withPoints) continue;
      const given = ballot.points?.[i];
      points.set(id, points.get(id)!.add(given === undefined ? Fraction.ONE : Fraction.fromNumber(given)));
    }
  }
  return new Map(
    election.projects.map((p) => {
      const n = votes.get(p.id)!;
      return [p.id, { votes: n, score: withPoints ? points.get(p.id)! : Fraction.of(n) }];
    }),
  );
}

/** True when some ballot carries points (the greedy rules then rank by total points). */
export function hasPoints(election: Election): boolean {
  return election.ballots.some((b) => b.points !== undefined);
}
