import { type Add1Outcome, equalSharesAdd1 } from './add1.js';
import { type ComparisonOutcome, withGreedyComparison } from './comparison.js';
import { type Election, ElectionError } from './election.js';
import { equalShares, type MesOutcome } from './equal-shares.js';
import { type GreedyOutcome, greedyInput, runGreedy } from './greedy.js';
import type { TieBreaking } from './tie-breaking.js';

/** The rules Civitas computes, named as in Pabulib's META `rule`. */
export const RULES = [
  'greedy',
  'greedy-no-skip',
  'greedy-threshold',
  'equalshares',
  'equalshares/add1',
  'equalshares-comparison',
  'equalshares/add1-comparison',
] as const;
export type RuleName = (typeof RULES)[number];

export type RuleOutcome = GreedyOutcome | MesOutcome | Add1Outcome | ComparisonOutcome;

export interface RuleOptions {
  tieBreaking?: TieBreaking;
  /** Minimum score (votes or points) to be eligible: required by greedy-threshold, applied by every greedy rule. */
  threshold?: number;
}

export function isRuleName(name: string): name is RuleName {
  return (RULES as readonly string[]).includes(name);
}

/** Computes the winners by the rule `name`. Every outcome lists `selected` in selection order. */
export function runRule(name: string, election: Election, options: RuleOptions = {}): RuleOutcome {
  if (!isRuleName(name)) throw new ElectionError(`Unknown rule "${name}". Supported rules: ${RULES.join(', ')}.`);
  const { tieBreaking, threshold } = options;
  switch (name) {
    case 'greedy':
    case 'greedy-no-skip':
    case 'greedy-threshold':
      return runGreedy(name, greedyInput(election), { tieBreaking, threshold });
    case 'equalshares':
      return equalShares(election, { tieBreaking });
    case 'equalshares/add1':
      return equalSharesAdd1(election, { tieBreaking });
    case 'equalshares-comparison':
      return withGreedyComparison(election, equalShares(election, { tieBreaking }));
    case 'equalshares/add1-comparison':
      return withGreedyComparison(election, equalSharesAdd1(election, { tieBreaking }));
  }
}
