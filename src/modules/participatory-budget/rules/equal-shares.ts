import { checkElection, type Election, ElectionError, hasPoints, type ProjectId } from './election.js';
import { Fraction } from './fraction.js';
import { DEFAULT_TIE_BREAKING, type TieBreaking, tieOrder } from './tie-breaking.js';

/**
 * The Method of Equal Shares (MES), "cost utilities" variant — the one used in real elections
 * (Wieliczka, Świecie, Aarau, Assen…), on approval ballots, in exact rational arithmetic.
 *
 * Each of the n voters gets B/n. Each round, for every remaining project c: if its supporters'
 * money is below cost(c), c is dropped for good; otherwise ρ is the smallest amount with
 * Σ over supporters of min(money_i, ρ) = cost(c), and c's effective vote count is cost(c)/ρ (the
 * number of supporters who would pay in full: 100 supporters paying 1 % each count 100). The
 * project with the highest effective vote count is funded (ties: tie-breaking.ts), each supporter
 * pays min(money_i, ρ), and the next round starts; it ends when no project is affordable.
 * The academic "unit utility" variant (fund the smallest ρ) is NOT this one and does not
 * reproduce real outcomes.
 *
 * Voters with the same approval set always hold the same money (they start equal and pay alike),
 * so they are counted as one group with a weight: exact, and much faster on real elections.
 */
export interface MesOptions {
  tieBreaking?: TieBreaking;
}

export interface MesRound {
  round: number;
  projectId: ProjectId;
  cost: Fraction;
  /** What each supporter who could afford it paid; the others paid all they had left. */
  rho: Fraction;
  /** cost / ρ. */
  effectiveVotes: Fraction;
  supporters: number;
  paidRho: number;
  paidAllTheyHad: number;
  /** All voters' money left after this round. */
  moneyLeft: Fraction;
  /** Projects with exactly the same effective vote count this round, which lost the tie. */
  tiedWith: ProjectId[];
}

export interface MesDrop {
  projectId: ProjectId;
  /** The round in which its supporters' money fell below its cost. */
  round: number;
  supportersMoney: Fraction;
  cost: Fraction;
}

export interface MesOutcome {
  rule: 'equalshares';
  /** The budget MES divided among voters (under add1, more than the election's). */
  budget: Fraction;
  voters: number;
  perVoterBudget: Fraction;
  /** In selection order. */
  selected: ProjectId[];
  cost: Fraction;
  rounds: MesRound[];
  /** Projects that became unaffordable, in the order it happened. */
  unaffordable: MesDrop[];
  /** Projects that no ballot approves: MES cannot fund them. */
  unsupported: ProjectId[];
  /** What each ballot's voter paid in all, in the order of `election.ballots`. */
  spending: Fraction[];
  tieBreaking: TieBreaking;
}

export function equalShares(election: Election, options: MesOptions = {}): MesOutcome {
  return runMes(prepareMes(election, options.tieBreaking ?? DEFAULT_TIE_BREAKING), election.budget, true);
}

/** The ballots and projects in the form every MES run uses (add1 runs MES many times). */
export interface PreparedMes {
  voters: number;
  /** Projects in tie order: index i wins a tie against index j > i. */
  projects: { id: ProjectId; cost: Fraction; votes: number; groups: Int32Array }[];
  /** Ballots in each group (a group: the ballots with one approval set). */
  weights: Int32Array;
  /** Group of each ballot. */
  groupOf: number[];
  tieBreaking: TieBreaking;
}

export function prepareMes(election: Election, tieBreaking: TieBreaking): PreparedMes {
  checkElection(election);
  if (hasPoints(election)) {
    throw new ElectionError('The Method of Equal Shares counts approval ballots; this election has points ballots (use a greedy rule).');
  }
  const votes = new Map<ProjectId, number>(election.projects.map((p) => [p.id, 0]));
  for (const b of election.ballots) for (const id of b.projects) votes.set(id, votes.get(id)! + 1);
  const byTie = tieOrder(tieBreaking);
  const ordered = election.projects.map((p) => ({ id: p.id, cost: p.cost, votes: votes.get(p.id)! })).sort(byTie);
  const index = new Map(ordered.map((p, i) => [p.id, i]));
  const groupsOf = ordered.map(() => [] as number[]);
  const weights: number[] = [];
  const groupByKey = new Map<string, number>();
  // A group's key: its project indexes in order, one UTF-16 code unit each (shorter and faster
  // than decimal text; elections never have 65,536 projects, but then decimal text it is).
  const keyOf =
    ordered.length <= 0x10000 ? (approved: number[]) => String.fromCharCode(...approved) : (approved: number[]) => approved.join(',');
  const groupOf = election.ballots.map((b) => {
    const approved = b.projects.map((id) => index.get(id)!).sort((x, y) => x - y);
    const key = keyOf(approved);
    let g = groupByKey.get(key);
    if (g === undefined) {
      g = weights.push(0) - 1;
      groupByKey.set(key, g);
      for (const c of approved) groupsOf[c]!.push(g);
    }
    weights[g]!++;
    return g;
  });
  const projects = ordered.map((p, i) => ({ ...p, groups: Int32Array.from(groupsOf[i]!) }));
  return { voters: election.ballots.length, projects, weights: Int32Array.from(weights), groupOf, tieBreaking };
}

/**
 * One MES run with `total` shared among the voters. With `explain`, every remaining project is
 * evaluated each round (exact drop rounds and ties for the trail) and the outcome has its rounds,
 * drops and spending; without (add1's trial runs, which read only `selected` and `cost`), those
 * stay empty and a project is skipped when its last effective vote count — which can only go down
 * as money is spent — is already below the best found this round (the reference implementation's
 * shortcut; same outcome, tested).
 *
 * Two things make a run on a city's 200,000 ballots take tens of milliseconds, with the same exact values:
 *   - Money is kept per class of voters, not per voter: everyone starts in one class holding B/n,
 *     and when a project is funded, all its supporters of a class pay the same min(money, ρ), so
 *     they move together to one new class. ρ is then found over the few hundred classes of a
 *     project's supporters instead of every supporter (counting supporters per class is a plain
 *     array pass over the project's groups). Voters with nothing left are in class 0, which is
 *     not counted: they can pay nothing.
 *   - Every amount is an integer numerator over one denominator `den`, common to all classes and
 *     costs: comparisons and sums are BigInt integer operations, never a gcd. Funding at
 *     ρ = x / (payers · den) multiplies `den` (and every numerator) by payers / gcd(x, payers), the
 *     least that keeps what supporters pay an integer. Reduced fractions would instead take
 *     ever-growing gcds over the mixed denominators of a sum of different classes' money.
 */
export function runMes(prep: PreparedMes, total: Fraction, explain: boolean): MesOutcome {
  const { projects, weights } = prep;
  const perVoter = prep.voters === 0 ? Fraction.ZERO : total.div(Fraction.of(prep.voters));
  let den = projects.reduce((d, p) => lcm(d, p.cost.den), perVoter.den);
  const cost = projects.map((p) => p.cost.num * (den / p.cost.den));
  const classes = new Classes(weights, perVoter.num * (den / perVoter.den));
  const lastEff: Ratio[] = projects.map((p) => ({ num: BigInt(p.votes), den: 1n }));
  let remaining = projects.flatMap((p, i) => (p.votes > 0 ? [i] : []));
  const selected: ProjectId[] = [];
  const rounds: MesRound[] = [];
  const unaffordable: MesDrop[] = [];
  let spent = Fraction.ZERO;

  for (let round = 1; ; round++) {
    const order = explain ? remaining : [...remaining].sort((a, b) => compareRatios(lastEff[b]!, lastEff[a]!) || a - b);
    let best = -1;
    let bestEff: Ratio = { num: 0n, den: 1n };
    let bestRho: Rho = { due: 0n, payers: 1 };
    const dropped = new Set<number>();
    const evaluated: { c: number; eff: Ratio }[] = [];
    for (const c of order) {
      if (!explain && best >= 0 && compareRatios(lastEff[c]!, bestEff) < 0) break;
      const supporters = classes.count(projects[c]!.groups);
      const rho = rhoOf(cost[c]!, supporters);
      if (!rho) {
        dropped.add(c);
        if (explain) {
          const supportersMoney = supporters.reduce((sum, s) => sum + s.money * BigInt(s.voters), 0n);
          unaffordable.push({
            projectId: projects[c]!.id,
            round,
            supportersMoney: Fraction.of(supportersMoney, den),
            cost: projects[c]!.cost,
          });
        }
        continue;
      }
      // cost / ρ = (cost · den) · payers / due: `den` cancels, so the ratio compares across rounds.
      const eff = { num: cost[c]! * BigInt(rho.payers), den: rho.due };
      lastEff[c] = eff;
      evaluated.push({ c, eff });
      // Ties go to the lower index: projects are in tie order (see prepareMes).
      const vsBest = best < 0 ? 1 : compareRatios(eff, bestEff);
      if (vsBest > 0 || (vsBest === 0 && c < best)) {
        best = c;
        bestEff = eff;
        bestRho = rho;
      }
    }
    remaining = remaining.filter((c) => c !== best && !dropped.has(c));
    if (best < 0) break;

    const common = gcdSmall(bestRho.due, bestRho.payers);
    const scale = BigInt(bestRho.payers / common);
    if (scale !== 1n) {
      den *= scale;
      classes.scale(scale);
      for (let c = 0; c < cost.length; c++) cost[c]! *= scale;
    }
    const project = projects[best]!;
    const rho = bestRho.due / BigInt(common);
    const { paidRho, paidAll } = classes.pay(project.groups, rho);
    spent = spent.add(project.cost);
    selected.push(project.id);
    if (explain) {
      rounds.push({
        round,
        projectId: project.id,
        cost: project.cost,
        rho: Fraction.of(rho, den),
        effectiveVotes: Fraction.of(bestEff.num, bestEff.den),
        supporters: project.votes,
        paidRho,
        paidAllTheyHad: paidAll,
        moneyLeft: perVoter.mul(Fraction.of(prep.voters)).sub(spent),
        tiedWith: evaluated.filter((e) => e.c !== best && compareRatios(e.eff, bestEff) === 0).map((e) => projects[e.c]!.id),
      });
    }
  }
  return {
    rule: 'equalshares',
    budget: total,
    voters: prep.voters,
    perVoterBudget: perVoter,
    selected,
    cost: spent,
    rounds,
    unaffordable,
    unsupported: projects.filter((p) => p.votes === 0).map((p) => p.id),
    spending: explain ? classes.spending(prep.groupOf, den) : [],
    tieBreaking: prep.tieBreaking,
  };
}

/** A non-negative rational num/den (den > 0), not reduced: only compared. */
interface Ratio {
  num: bigint;
  den: bigint;
}

function compareRatios(a: Ratio, b: Ratio): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** The voters of one class among a project's supporters, and what each of them holds. */
interface Holding {
  money: bigint;
  voters: number;
}

/**
 * The classes of voters of one MES run (see runMes): the money of each (numerator over the run's
 * denominator) and the class each group of ballots is in. Class 0 holds the voters with nothing
 * left, whom no project counts: they can pay nothing.
 */
class Classes {
  private readonly money: bigint[] = [0n];
  /** What every voter started with, scaled with the rest. */
  private start: bigint;
  /** Groups in each class: a class left empty is not rescaled any more. */
  private readonly members: number[] = [0];
  private readonly classOf: Int32Array;
  /** Scratch for `count`, all zeros between calls. */
  private readonly tally: number[] = [0];
  /** Scratch for `pay`, per class: the class its payers move to (-1 between calls), and whether they pay ρ. */
  private readonly moveTo: number[] = [-1];
  private readonly paysRho: boolean[] = [false];

  constructor(
    private readonly weights: Int32Array,
    perVoter: bigint,
  ) {
    this.start = perVoter;
    const first = perVoter === 0n ? 0 : this.add(perVoter);
    this.classOf = new Int32Array(weights.length).fill(first);
    this.members[first] = weights.length;
  }

  private add(money: bigint): number {
    this.members.push(0);
    this.tally.push(0);
    this.moveTo.push(-1);
    this.paysRho.push(false);
    return this.money.push(money) - 1;
  }

  /** What the supporters (`groups`) of a project hold, class by class, leaving out those with nothing. */
  count(groups: Int32Array): Holding[] {
    const { tally, classOf, weights } = this;
    const seen: number[] = [];
    for (const g of groups) {
      const k = classOf[g]!;
      if (k === 0) continue;
      if (tally[k] === 0) seen.push(k);
      tally[k]! += weights[g]!;
    }
    return seen.map((k) => {
      const voters = tally[k]!;
      tally[k] = 0;
      return { money: this.money[k]!, voters };
    });
  }

  /** Multiplies every amount by `factor` (the run's denominator was multiplied by it). */
  scale(factor: bigint): void {
    this.start *= factor;
    for (let k = 1; k < this.money.length; k++) if (this.members[k]) this.money[k]! *= factor;
  }

  /**
   * Each supporter pays min(money, ρ): a class pays together and moves to a new class holding
   * what is left (class 0 if nothing). Returns how many voters paid ρ and how many all they had.
   */
  pay(groups: Int32Array, rho: bigint): { paidRho: number; paidAll: number } {
    const { money, members, classOf, weights, moveTo, paysRho } = this;
    let paidRho = 0;
    let paidAll = 0;
    const moved: number[] = [];
    for (const g of groups) {
      const from = classOf[g]!;
      let to = moveTo[from]!;
      if (to < 0) {
        // The first group of its class: the whole class pays alike.
        paysRho[from] = money[from]! >= rho;
        to = paysRho[from] && money[from]! > rho ? this.add(money[from]! - rho) : 0;
        moveTo[from] = to;
        moved.push(from);
      }
      if (paysRho[from]) paidRho += weights[g]!;
      else paidAll += weights[g]!;
      classOf[g] = to;
      members[from]!--;
      members[to]!++;
    }
    for (const k of moved) moveTo[k] = -1;
    return { paidRho, paidAll };
  }

  /** What each ballot's voter paid in all (what they started with less what is left), once per class some ballot ends in. */
  spending(groupOf: readonly number[], den: bigint): Fraction[] {
    const paid = new Map<number, Fraction>();
    return groupOf.map((g) => {
      const k = this.classOf[g]!;
      let amount = paid.get(k);
      if (!amount) {
        amount = Fraction.of(this.start - this.money[k]!, den);
        paid.set(k, amount);
      }
      return amount;
    });
  }
}

/** ρ = due / (payers · den): `due` is what is left to pay once the poorer supporters paid all they had. */
interface Rho {
  due: bigint;
  payers: number;
}

/**
 * The smallest ρ with Σ over supporters of min(money_i, ρ) = cost, or undefined when the
 * supporters' money is below the cost. Starting from an equal split, the supporters who hold less
 * than the current split pay all they have and the rest is split again among the others, until
 * everyone left can pay the split. The split only grows, so a supporter below it is below the
 * final ρ too: this is the ascending-order walk of the definition without sorting the classes,
 * and usually ends after one or two passes.
 */
function rhoOf(cost: bigint, supporters: readonly Holding[]): Rho | undefined {
  let payers = supporters.reduce((n, s) => n + s.voters, 0);
  let due = cost;
  let left = supporters;
  while (payers > 0) {
    // For integers, money < due / payers exactly when money ≤ ⌊(due − 1) / payers⌋.
    const below = (due - 1n) / BigInt(payers);
    const canPay: Holding[] = [];
    let paid = 0n;
    let leaving = 0;
    for (const s of left) {
      if (s.money <= below) {
        paid += s.money * BigInt(s.voters);
        leaving += s.voters;
      } else canPay.push(s);
    }
    if (leaving === 0) return { due, payers };
    due -= paid;
    payers -= leaving;
    left = canPay;
  }
  return undefined;
}

function lcm(a: bigint, b: bigint): bigint {
  let x = a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return (a / x) * b;
}

/** gcd(a, b) for a small positive b (a voter count), without a BigInt gcd. */
function gcdSmall(a: bigint, b: number): number {
  let x = b;
  let y = Number(a % BigInt(b));
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}
