import type { ProjectId } from './election.js';
import type { Fraction } from './fraction.js';

/**
 * How ties are broken — deterministic and published with the results, as the design requires.
 *
 * When two projects are equal on what the rule ranks by (votes for the greedy rules, effective vote
 * count for Equal Shares), the criteria apply in order:
 *   1. 'lower-cost': the cheaper project first (more projects for the same money);
 *   2. 'more-votes': the project named on more ballots first;
 *   3. the lot: a published order of project ids, drawn in public before the count. Projects the
 *      lot does not list come after those it lists, in id order. With `lot: 'id-order'` the lot is
 *      id order itself: ids made only of digits compare as numbers ("2" before "10"), and come
 *      before other ids, which compare by UTF-16 code units (never by locale, which varies).
 * The lot always ends the chain, so no two projects ever stay tied: the outcome is a function of
 * the ballots alone, whatever the order of the input.
 */
export type TieBreakCriterion = 'lower-cost' | 'more-votes';

export interface TieBreaking {
  criteria: readonly TieBreakCriterion[];
  lot: readonly ProjectId[] | 'id-order';
}

/** The design's rule: lower cost, then more votes, then the lot (id order unless a lot was drawn). */
export const DEFAULT_TIE_BREAKING: TieBreaking = { criteria: ['lower-cost', 'more-votes'], lot: 'id-order' };

/** Natural order of ids: numeric ids by value (then by text, so "01" and "1" differ), then the others. */
export function compareIds(a: ProjectId, b: ProjectId): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) {
    const x = BigInt(a);
    const y = BigInt(b);
    if (x !== y) return x < y ? -1 : 1;
  } else if (an !== bn) return an ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface TieFacts {
  id: ProjectId;
  cost: Fraction;
  votes: number;
}

/**
 * A total order on projects from the tie-breaking chain: negative when `a` wins a tie against `b`.
 * Rules sort projects by it once, so a tie always goes to the project that comes first.
 */
export function tieOrder(tieBreaking: TieBreaking): (a: TieFacts, b: TieFacts) => number {
  const position = tieBreaking.lot === 'id-order' ? undefined : new Map(tieBreaking.lot.map((id, i) => [id, i] as const).reverse());
  return (a, b) => {
    for (const criterion of tieBreaking.criteria) {
      const d = criterion === 'lower-cost' ? a.cost.cmp(b.cost) : b.votes - a.votes;
      if (d !== 0) return d;
    }
    if (position) {
      const pa = position.get(a.id);
      const pb = position.get(b.id);
      if (pa !== undefined || pb !== undefined) {
        if (pa === undefined) return 1;
        if (pb === undefined) return -1;
        if (pa !== pb) return pa - pb;
      }
    }
    return compareIds(a.id, b.id);
  };
}

/** The criterion that decided a tie between a and b (for the explanation trail). */
export function decidedBy(tieBreaking: TieBreaking, a: TieFacts, b: TieFacts): TieBreakCriterion | 'lot' {
  for (const criterion of tieBreaking.criteria) {
    const d = criterion === 'lower-cost' ? a.cost.cmp(b.cost) : b.votes - a.votes;
    if (d !== 0) return criterion;
  }
  return 'lot';
}
