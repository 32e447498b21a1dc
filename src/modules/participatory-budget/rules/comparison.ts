import type { Add1Outcome } from './add1.js';
import type { Ballot, Election, ProjectId } from './election.js';
import type { MesOutcome } from './equal-shares.js';
import { type GreedyOptions, type GreedyOutcome, greedy } from './greedy.js';

/**
 * The `-comparison` step (Wieliczka, Świecie): MES is published unless more voters would get
 * strictly more of their approved projects under greedy ('greedy', skipping what does not fit,
 * same tie-breaking) than under MES. Each voter counts the number of their approved projects that
 * are funded — not their cost; a voter indifferent between the two counts for neither side; a tie
 * between the two sides keeps MES.
 */
export interface VoterComparison {
  /** Voters who get strictly more of their approved projects under the first outcome. */
  preferFirst: number;
  preferSecond: number;
  indifferent: number;
}

export function compareByApprovals(ballots: readonly Ballot[], first: readonly ProjectId[], second: readonly ProjectId[]): VoterComparison {
  const a = new Set(first);
  const b = new Set(second);
  const out: VoterComparison = { preferFirst: 0, preferSecond: 0, indifferent: 0 };
  for (const ballot of ballots) {
    let inA = 0;
    let inB = 0;
    for (const id of ballot.projects) {
      if (a.has(id)) inA++;
      if (b.has(id)) inB++;
    }
    if (inA > inB) out.preferFirst++;
    else if (inB > inA) out.preferSecond++;
    else out.indifferent++;
  }
  return out;
}

export interface ComparisonOutcome {
  rule: 'equalshares-comparison' | 'equalshares/add1-comparison';
  published: 'equalshares' | 'greedy';
  /** The published outcome's projects, in its selection order. */
  selected: ProjectId[];
  votersPreferringGreedy: number;
  votersPreferringEqualShares: number;
  votersIndifferent: number;
  equalShares: MesOutcome | Add1Outcome;
  greedy: GreedyOutcome;
}

export function withGreedyComparison(election: Election, mes: MesOutcome | Add1Outcome, options: GreedyOptions = {}): ComparisonOutcome {
  const g = greedy(election, { tieBreaking: mes.tieBreaking, ...options });
  const c = compareByApprovals(election.ballots, g.selected, mes.selected);
  const published = c.preferFirst > c.preferSecond ? 'greedy' : 'equalshares';
  return {
    rule: mes.rule === 'equalshares' ? 'equalshares-comparison' : 'equalshares/add1-comparison',
    published,
    selected: published === 'greedy' ? g.selected : mes.selected,
    votersPreferringGreedy: c.preferFirst,
    votersPreferringEqualShares: c.preferSecond,
    votersIndifferent: c.indifferent,
    equalShares: mes,
    greedy: g,
  };
}
