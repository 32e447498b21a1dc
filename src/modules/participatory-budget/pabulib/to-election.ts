import type { Ballot, Election } from '../rules/election.js';
import { Fraction } from '../rules/fraction.js';
import type { PabulibFile } from './types.js';

/**
 * The election a Pabulib file describes, ready for the rules, with the rule and threshold its META
 * names. Points are kept for cumulative and scoring ballots; ordinal and choose-1 ballots become
 * the set of projects they name.
 */
export function electionFromPabulib(file: PabulibFile): { election: Election; rule: string; threshold?: number } {
  const points = file.meta.vote_type === 'cumulative' || file.meta.vote_type === 'scoring';
  const ballots: Ballot[] = file.votes.map((v) => (points && v.points ? { projects: v.vote, points: v.points } : { projects: v.vote }));
  const election: Election = {
    budget: Fraction.fromNumber(file.meta.budget),
    projects: file.projects.map((p) => ({ id: p.project_id, cost: Fraction.fromNumber(p.cost) })),
    ballots,
  };
  const threshold = file.meta.min_project_score_threshold;
  return { election, rule: file.meta.rule, ...(threshold === undefined ? {} : { threshold }) };
}
