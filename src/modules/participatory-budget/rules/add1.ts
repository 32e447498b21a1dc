import type { Election, ProjectId } from './election.js';
import { type MesOptions, type MesOutcome, type PreparedMes, prepareMes, runMes } from './equal-shares.js';
import { Fraction } from './fraction.js';
import { DEFAULT_TIE_BREAKING } from './tie-breaking.js';

/**
 * `equalshares/add1`: MES usually leaves money unspent, so the outcome is completed by pretending
 * each voter had more. Following the reference implementation (equalshares.net):
 *   1. run MES with the real budget B;
 *   2. then with a per-voter budget of ⌊B/n⌋ + 1, + 2, … currency units (the total grows by n);
 *      each outcome whose cost is ≤ B replaces the current one;
 *   3. stop when the current outcome is exhaustive (no unfunded project fits in what is left of B)
 *      or when the next outcome would cost more than B (that one is not kept).
 * One guard the reference lacks: when every project that someone approves is funded, no higher
 * budget can add one, so the loop stops there ('nothing-more-to-fund') instead of running forever
 * (which it would when a project nobody approves still fits).
 * The published trail (rounds, payments) is that of the MES run with the budget finally kept.
 */
export interface Add1Step {
  perVoterBudget: Fraction;
  /** Cost of the MES outcome with that per-voter budget. */
  cost: Fraction;
  selected: number;
  kept: boolean;
}

export type Add1Stop = 'exhaustive' | 'overspends' | 'nothing-more-to-fund';

export interface Add1Outcome extends Omit<MesOutcome, 'rule'> {
  rule: 'equalshares/add1';
  /** The election's budget (`budget` is the virtual one MES ran with). */
  electionBudget: Fraction;
  completion: { steps: Add1Step[]; stop: Add1Stop };
}

export function equalSharesAdd1(election: Election, options: MesOptions = {}): Add1Outcome {
  const prep = prepareMes(election, options.tieBreaking ?? DEFAULT_TIE_BREAKING);
  const limit = election.budget;
  const n = Fraction.of(prep.voters);
  let kept = limit;
  let current = runMes(prep, limit, false);
  let total = prep.voters === 0 ? limit : Fraction.of(limit.div(n).floor()).mul(n);
  const steps: Add1Step[] = [];
  let stop: Add1Stop;
  for (;;) {
    if (isExhaustive(prep, current.selected, current.cost, limit)) {
      stop = 'exhaustive';
      break;
    }
    if (prep.voters === 0 || fundsAllSupported(prep, current.selected)) {
      stop = 'nothing-more-to-fund';
      break;
    }
    total = total.add(n);
    const next = runMes(prep, total, false);
    const fits = next.cost.lte(limit);
    steps.push({ perVoterBudget: next.perVoterBudget, cost: next.cost, selected: next.selected.length, kept: fits });
    if (!fits) {
      stop = 'overspends';
      break;
    }
    current = next;
    kept = total;
  }
  const final = runMes(prep, kept, true);
  return { ...final, rule: 'equalshares/add1', electionBudget: limit, completion: { steps, stop } };
}

/** No unfunded project fits in what is left of the budget. */
export function isExhaustive(prep: PreparedMes, selected: readonly ProjectId[], cost: Fraction, budget: Fraction): boolean {
  const left = budget.sub(cost);
  const funded = new Set(selected);
  return prep.projects.every((p) => funded.has(p.id) || p.cost.gt(left));
}

function fundsAllSupported(prep: PreparedMes, selected: readonly ProjectId[]): boolean {
  const funded = new Set(selected);
  return prep.projects.every((p) => p.votes === 0 || funded.has(p.id));
}
