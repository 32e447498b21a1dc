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
  const ids = new Set<ProjectId>();
  for (const p of election.projects) {
    if (p.id === '') throw new ElectionError('A project has an empty id.');
    if (ids.has(p.id)) throw new ElectionError(`Project "${p.id}" appears twice.`);
    ids.add(p.id);
    if (p.cost.num <= 0n) throw new ElectionError(`Project "${p.id}" must cost more than zero (cost ${p.cost.toDecimal()}).`);
  }
  election.ballots.forEach((ballot, i) => {
    const seen = new Set<ProjectId>();
    for (const id of ballot.projects) {
      if (!ids.has(id)) throw new ElectionError(`Ballot ${i + 1} names project "${id}", which is not on the ballot.`);
      if (seen.has(id)) throw new ElectionError(`Ballot ${i + 1} names project "${id}" twice.`);
      seen.add(id);
    }
    if (ballot.points) {
      if (ballot.points.length !== ballot.projects.length) {
        throw new ElectionError(`Ballot ${i + 1} gives ${ballot.points.length} points value(s) for ${ballot.projects.length} project(s).`);
      }
      if (ballot.points.some((x) => !Number.isFinite(x)))
        throw new ElectionError(`Ballot ${i + 1} has a points value that is not a number.`);
    }
  });
}

/** Per project: how many ballots name it, and the total of its points (equal to votes for approval ballots). */
export interface Tally {
  votes: number;
  score: Fraction;
}

export function tally(election: Election): Map<ProjectId, Tally> {
  const out = new Map<ProjectId, Tally>(election.projects.map((p) => [p.id, { votes: 0, score: Fraction.ZERO }]));
  for (const ballot of election.ballots) {
    ballot.projects.forEach((id, i) => {
      const t = out.get(id);
      if (!t) return;
      t.votes++;
      const points = ballot.points?.[i];
      t.score = t.score.add(points === undefined ? Fraction.ONE : Fraction.fromNumber(points));
    });
  }
  return out;
}

/** True when some ballot carries points (the greedy rules then rank by total points). */
export function hasPoints(election: Election): boolean {
  return election.ballots.some((b) => b.points !== undefined);
}
