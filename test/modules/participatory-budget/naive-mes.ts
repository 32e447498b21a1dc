import type { Election, ProjectId } from '../../../src/modules/participatory-budget/rules/election.js';
import { Fraction } from '../../../src/modules/participatory-budget/rules/fraction.js';
import { compareIds } from '../../../src/modules/participatory-budget/rules/tie-breaking.js';

/**
 * A second, deliberately plain MES ("cost utilities") to check the real one against: one budget
 * per voter (no grouping), every project evaluated every round, ρ found by walking the breakpoints
 * of f(ρ) = Σ min(money_i, ρ) instead of peeling off the poorest supporters, and ties broken by
 * comparing (lower cost, more votes, id order) directly. Slow, obvious, independent.
 */
export function naiveMes(election: Election): ProjectId[] {
  return naiveMesTrail(election).selected;
}

/** The winners, each round's ρ, and what each ballot's voter paid in all. */
export function naiveMesTrail(election: Election): { selected: ProjectId[]; rhos: Fraction[]; spending: Fraction[] } {
  const n = election.ballots.length;
  if (n === 0) return { selected: [], rhos: [], spending: [] };
  const share = election.budget.div(Fraction.of(n));
  const money = election.ballots.map(() => share);
  const supporters = new Map(election.projects.map((p) => [p.id, [] as number[]]));
  election.ballots.forEach((b, i) => {
    for (const id of b.projects) supporters.get(id)!.push(i);
  });
  const remaining = new Set(election.projects.filter((p) => supporters.get(p.id)!.length > 0).map((p) => p.id));
  const cost = new Map(election.projects.map((p) => [p.id, p.cost]));
  const winners: ProjectId[] = [];
  const rhos: Fraction[] = [];
  for (;;) {
    let best: { id: ProjectId; rho: Fraction; eff: Fraction } | undefined;
    for (const id of [...remaining]) {
      const s = supporters.get(id)!;
      const c = cost.get(id)!;
      const rho = breakpointRho(
        s.map((i) => money[i]!),
        c,
      );
      if (!rho) {
        remaining.delete(id);
        continue;
      }
      const eff = c.div(rho);
      if (!best || better({ id, eff }, best, cost, supporters)) best = { id, rho, eff };
    }
    if (!best) return { selected: winners, rhos, spending: money.map((m) => share.sub(m)) };
    winners.push(best.id);
    rhos.push(best.rho);
    remaining.delete(best.id);
    for (const i of supporters.get(best.id)!) money[i] = money[i]!.sub(Fraction.min(money[i]!, best.rho));
  }
}

function breakpointRho(budgets: Fraction[], cost: Fraction): Fraction | undefined {
  const f = (rho: Fraction) => Fraction.sum(budgets.map((b) => Fraction.min(b, rho)));
  if (f(budgets.reduce((a, b) => (a.gt(b) ? a : b), Fraction.ZERO)).lt(cost)) return undefined;
  // f is linear between consecutive breakpoints: find the first breakpoint where f reaches cost.
  const points = [Fraction.ZERO, ...budgets].sort((a, b) => a.cmp(b));
  for (let k = 1; k < points.length; k++) {
    const hi = points[k]!;
    if (f(hi).gte(cost)) {
      const lo = points[k - 1]!;
      const slope = Fraction.of(budgets.filter((b) => b.gt(lo)).length);
      return lo.add(cost.sub(f(lo)).div(slope));
    }
  }
  return undefined;
}

function better(
  a: { id: ProjectId; eff: Fraction },
  b: { id: ProjectId; eff: Fraction },
  cost: Map<ProjectId, Fraction>,
  supporters: Map<ProjectId, number[]>,
): boolean {
  const byEff = a.eff.cmp(b.eff);
  if (byEff !== 0) return byEff > 0;
  const byCost = cost.get(a.id)!.cmp(cost.get(b.id)!);
  if (byCost !== 0) return byCost < 0;
  const byVotes = supporters.get(a.id)!.length - supporters.get(b.id)!.length;
  if (byVotes !== 0) return byVotes > 0;
  return compareIds(a.id, b.id) < 0;
}

/**
 * `equalshares/add1` as the design states it, on `naiveMes`: from ⌊B/n⌋ per voter, one currency
 * unit more at a time; keep each outcome costing at most B; stop when the kept outcome is
 * exhaustive, funds every approved project, or the next one overspends.
 */
export function naiveAdd1(election: Election): { selected: ProjectId[]; steps: { perVoterBudget: string; cost: string }[] } {
  const n = election.ballots.length;
  const cost = new Map(election.projects.map((p) => [p.id, p.cost]));
  const costOf = (ids: ProjectId[]) => Fraction.sum(ids.map((id) => cost.get(id)!));
  const approved = new Set(election.ballots.flatMap((b) => b.projects));
  let kept = naiveMes(election);
  const steps: { perVoterBudget: string; cost: string }[] = [];
  if (n === 0) return { selected: kept, steps };
  for (let perVoter = election.budget.div(Fraction.of(n)).floor() + 1n; ; perVoter++) {
    const left = election.budget.sub(costOf(kept));
    if (election.projects.every((p) => kept.includes(p.id) || p.cost.gt(left))) break;
    if ([...approved].every((id) => kept.includes(id))) break;
    const next = naiveMes({ ...election, budget: Fraction.of(perVoter * BigInt(n)) });
    steps.push({ perVoterBudget: String(perVoter), cost: costOf(next).toString() });
    if (costOf(next).gt(election.budget)) break;
    kept = next;
  }
  return { selected: kept, steps };
}
