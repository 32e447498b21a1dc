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
  projects: { id: ProjectId; cost: Fraction; votes: number; groups: number[] }[];
  groups: { weight: number; projects: number[] }[];
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
  const projects = ordered.map((p) => ({ ...p, groups: [] as number[] }));
  const groups: PreparedMes['groups'] = [];
  const groupByKey = new Map<string, number>();
  const groupOf = election.ballots.map((b) => {
    const approved = b.projects.map((id) => index.get(id)!).sort((x, y) => x - y);
    const key = approved.join(',');
    let g = groupByKey.get(key);
    if (g === undefined) {
      g = groups.length;
      groupByKey.set(key, g);
      groups.push({ weight: 0, projects: approved });
      for (const c of approved) projects[c]!.groups.push(g);
    }
    groups[g]!.weight++;
    return g;
  });
  return { voters: election.ballots.length, projects, groups, groupOf, tieBreaking };
}

/**
 * One MES run with `total` shared among the voters. With `explain`, every remaining project is
 * evaluated each round (exact drop rounds and ties for the trail); without, a project is skipped
 * when its last effective vote count — which can only go down as money is spent — is already below
 * the best found this round (the reference implementation's shortcut; same outcome, tested).
 */
export function runMes(prep: PreparedMes, total: Fraction, explain: boolean): MesOutcome {
  const { projects, groups } = prep;
  const perVoter = prep.voters === 0 ? Fraction.ZERO : total.div(Fraction.of(prep.voters));
  const money = groups.map(() => perVoter);
  const paid = groups.map(() => Fraction.ZERO);
  const lastEff = projects.map((p) => Fraction.of(p.votes));
  let remaining = projects.flatMap((p, i) => (p.votes > 0 ? [i] : []));
  const selected: ProjectId[] = [];
  const rounds: MesRound[] = [];
  const unaffordable: MesDrop[] = [];
  let spent = Fraction.ZERO;

  for (let round = 1; ; round++) {
    const order = explain ? remaining : [...remaining].sort((a, b) => lastEff[b]!.cmp(lastEff[a]!) || a - b);
    let best = -1;
    let bestEff = Fraction.ZERO;
    let bestRho = Fraction.ZERO;
    const dropped = new Set<number>();
    const evaluated: { c: number; eff: Fraction }[] = [];
    for (const c of order) {
      if (!explain && best >= 0 && lastEff[c]!.lt(bestEff)) break;
      const project = projects[c]!;
      const rho = rhoOf(project.cost, project.groups, groups, money);
      if (!rho) {
        dropped.add(c);
        if (explain) {
          const supportersMoney = Fraction.sum(project.groups.map((g) => money[g]!.mul(Fraction.of(groups[g]!.weight))));
          unaffordable.push({ projectId: project.id, round, supportersMoney, cost: project.cost });
        }
        continue;
      }
      const eff = project.cost.div(rho);
      lastEff[c] = eff;
      evaluated.push({ c, eff });
      // Ties go to the lower index: projects are in tie order (see prepareMes).
      if (best < 0 || eff.gt(bestEff) || (eff.eq(bestEff) && c < best)) {
        best = c;
        bestEff = eff;
        bestRho = rho;
      }
    }
    remaining = remaining.filter((c) => c !== best && !dropped.has(c));
    if (best < 0) break;

    const project = projects[best]!;
    let paidRho = 0;
    let paidAll = 0;
    for (const g of project.groups) {
      const { weight } = groups[g]!;
      const pays = Fraction.min(money[g]!, bestRho);
      if (pays.eq(bestRho)) paidRho += weight;
      else paidAll += weight;
      money[g] = money[g]!.sub(pays);
      paid[g] = paid[g]!.add(pays);
    }
    spent = spent.add(project.cost);
    selected.push(project.id);
    if (explain) {
      rounds.push({
        round,
        projectId: project.id,
        cost: project.cost,
        rho: bestRho,
        effectiveVotes: bestEff,
        supporters: project.votes,
        paidRho,
        paidAllTheyHad: paidAll,
        moneyLeft: perVoter.mul(Fraction.of(prep.voters)).sub(spent),
        tiedWith: evaluated.filter((e) => e.c !== best && e.eff.eq(bestEff)).map((e) => projects[e.c]!.id),
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
    spending: prep.groupOf.map((g) => paid[g]!),
    tieBreaking: prep.tieBreaking,
  };
}

/**
 * The smallest ρ with Σ over supporters of min(money_i, ρ) = cost, or undefined when the
 * supporters' money is below the cost. Supporters in increasing order of money: while an equal
 * split of what is still due exceeds the poorest one's money, that one pays all they have.
 */
function rhoOf(
  cost: Fraction,
  supporters: readonly number[],
  groups: PreparedMes['groups'],
  money: readonly Fraction[],
): Fraction | undefined {
  let payers = 0;
  let poorest: Fraction | undefined;
  for (const g of supporters) {
    payers += groups[g]!.weight;
    if (!poorest || money[g]!.lt(poorest)) poorest = money[g]!;
  }
  if (!poorest) return undefined;
  // Usual case, early rounds: everyone can pay an equal split, no sorting needed.
  const equalSplit = cost.div(Fraction.of(payers));
  if (equalSplit.lte(poorest)) return equalSplit;
  const sorted = [...supporters].sort((a, b) => money[a]!.cmp(money[b]!));
  let due = cost;
  for (const g of sorted) {
    const share = due.div(Fraction.of(payers));
    if (share.lte(money[g]!)) return share;
    const { weight } = groups[g]!;
    due = due.sub(money[g]!.mul(Fraction.of(weight)));
    payers -= weight;
  }
  return undefined;
}
