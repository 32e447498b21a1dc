import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { equalSharesAdd1 } from '../../../src/modules/participatory-budget/rules/add1.js';
import { compareByApprovals, withGreedyComparison } from '../../../src/modules/participatory-budget/rules/comparison.js';
import { ElectionError, makeElection } from '../../../src/modules/participatory-budget/rules/election.js';
import { equalShares } from '../../../src/modules/participatory-budget/rules/equal-shares.js';
import { Fraction } from '../../../src/modules/participatory-budget/rules/fraction.js';
import { runRule } from '../../../src/modules/participatory-budget/rules/run-rule.js';
import { naiveAdd1 } from './naive-mes.js';
import { electionArb, shuffled } from './support.js';

// 3 voters × 100. MES funds C (150, everyone) and nothing else: A (200, v1 v2) and B (100, v3) are
// out of reach until each voter has 150; with 150 each MES funds C, A and B = 450 > 300.
const overspending = makeElection({
  budget: 300,
  projects: [
    { id: 'A', cost: 200 },
    { id: 'B', cost: 100 },
    { id: 'C', cost: 150 },
  ],
  ballots: [
    ['A', 'C'],
    ['A', 'C'],
    ['B', 'C'],
  ],
});

describe('equalshares/add1', () => {
  it('raises the per-voter budget one unit at a time and stops before the step that overspends', () => {
    const out = equalSharesAdd1(overspending);
    expect(out.selected).toEqual(['C']);
    expect(out.completion.stop).toBe('overspends');
    const steps = out.completion.steps;
    expect(steps.map((s) => s.perVoterBudget.toString())).toEqual(Array.from({ length: 50 }, (_, i) => String(101 + i)));
    expect(steps.slice(0, -1).every((s) => s.kept && s.cost.toString() === '150')).toBe(true);
    expect(steps.at(-1)).toMatchObject({ kept: false, selected: 3 });
    expect(steps.at(-1)!.cost.toString()).toBe('450');
    expect(out.perVoterBudget.toString()).toBe('149');
    expect(out.electionBudget.toString()).toBe('300');
  });

  it('keeps a larger outcome that still fits, and stops once it is exhaustive', () => {
    // 4 voters × 25: X (60, everyone) ρ = 15, then Y (30, v1 v2) lacks 10. With 30 each, Y is funded too.
    const e = makeElection({
      budget: 100,
      projects: [
        { id: 'X', cost: 60 },
        { id: 'Y', cost: 30 },
      ],
      ballots: [['X', 'Y'], ['X', 'Y'], ['X'], ['X']],
    });
    expect(equalShares(e).selected).toEqual(['X']);
    const out = equalSharesAdd1(e);
    expect(out.selected).toEqual(['X', 'Y']);
    expect(out.completion.stop).toBe('exhaustive');
    expect(out.completion.steps.map((s) => [s.perVoterBudget.toString(), s.kept])).toEqual([
      ['26', true],
      ['27', true],
      ['28', true],
      ['29', true],
      ['30', true],
    ]);
    expect(out.rounds.map((r) => r.rho.toString())).toEqual(['15', '15']);
  });

  it('stops when every approved project is funded even if an unapproved one still fits (the reference would loop forever)', () => {
    const e = makeElection({
      budget: 100,
      projects: [
        { id: 'A', cost: 10 },
        { id: 'N', cost: 10 },
      ],
      ballots: [['A'], ['A']],
    });
    const out = equalSharesAdd1(e);
    expect(out.selected).toEqual(['A']);
    expect(out.completion).toEqual({ steps: [], stop: 'nothing-more-to-fund' });
  });

  it('agrees with a plain add1 over the plain MES: the same steps, the same winners', () => {
    fc.assert(
      fc.property(electionArb, (e) => {
        const out = equalSharesAdd1(e);
        const plain = naiveAdd1(e);
        expect(out.selected).toEqual(plain.selected);
        expect(out.completion.steps.map((s) => ({ perVoterBudget: s.perVoterBudget.toString(), cost: s.cost.toString() }))).toEqual(
          plain.steps,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('properties: within the budget, each voter within the (virtual) share, a stop that holds, order-independent', () => {
    fc.assert(
      fc.property(electionArb, fc.integer(), (e, seed) => {
        const out = equalSharesAdd1(e);
        expect(out.cost.lte(e.budget)).toBe(true);
        for (const s of out.spending) expect(s.lte(out.perVoterBudget)).toBe(true);
        const funded = new Set(out.selected);
        const left = e.budget.sub(out.cost);
        const exhaustive = e.projects.every((p) => funded.has(p.id) || p.cost.gt(left));
        if (out.completion.stop === 'exhaustive') expect(exhaustive).toBe(true);
        if (out.completion.stop === 'overspends') expect(out.completion.steps.at(-1)!.cost.gt(e.budget)).toBe(true);
        expect(out.completion.steps.slice(0, -1).every((s) => s.kept)).toBe(true);
        const { spending: _a, ...a } = out;
        const { spending: _b, ...b } = equalSharesAdd1(shuffled(e, seed));
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      }),
      { numRuns: 150 },
    );
  });
});

describe('the -comparison step', () => {
  it('publishes greedy when more voters get strictly more of their approved projects under it', () => {
    // Greedy funds C and B: v3 gets 2 instead of 1, v1 and v2 get C either way.
    const out = withGreedyComparison(overspending, equalSharesAdd1(overspending));
    expect(out).toMatchObject({
      rule: 'equalshares/add1-comparison',
      published: 'greedy',
      selected: ['C', 'B'],
      votersPreferringGreedy: 1,
      votersPreferringEqualShares: 0,
      votersIndifferent: 2,
    });
  });

  it('publishes greedy for a 60/40 majority that prefers it, and keeps MES when the two sides tie', () => {
    // 60 voters approve a1–a5, 40 approve b1–b5, budget 50: greedy gives the 60 five projects
    // (they prefer it), MES gives them 3 and the 40 two (they prefer it): 60 > 40, greedy wins;
    // with 50/50 the two sides tie and MES stays.
    const a = ['a1', 'a2', 'a3', 'a4', 'a5'];
    const b = ['b1', 'b2', 'b3', 'b4', 'b5'];
    const election = (na: number, nb: number) =>
      makeElection({
        budget: 50,
        projects: [...a, ...b].map((id) => ({ id, cost: 10 })),
        ballots: [...Array.from({ length: na }, () => a), ...Array.from({ length: nb }, () => b)],
      });
    expect(withGreedyComparison(election(60, 40), equalShares(election(60, 40))).published).toBe('greedy');
    const tie = withGreedyComparison(election(50, 50), equalShares(election(50, 50)));
    expect([tie.published, tie.votersPreferringGreedy, tie.votersPreferringEqualShares]).toEqual(['equalshares', 50, 50]);
  });

  it('counts every voter once: preferring one side, the other, or neither', () => {
    fc.assert(
      fc.property(electionArb, (e) => {
        const out = runRule('equalshares-comparison', e);
        if (!('published' in out)) throw new Error('expected a comparison outcome');
        expect(out.votersPreferringGreedy + out.votersPreferringEqualShares + out.votersIndifferent).toBe(e.ballots.length);
        expect(out.published === 'greedy').toBe(out.votersPreferringGreedy > out.votersPreferringEqualShares);
        const c = compareByApprovals(e.ballots, out.greedy.selected, out.equalShares.selected);
        expect(c.preferFirst).toBe(out.votersPreferringGreedy);
      }),
    );
  });
});

describe('runRule', () => {
  it('runs each rule by its Pabulib name and refuses unknown names, listing the supported ones', () => {
    for (const name of [
      'greedy',
      'greedy-no-skip',
      'equalshares',
      'equalshares/add1',
      'equalshares-comparison',
      'equalshares/add1-comparison',
    ]) {
      expect(runRule(name, overspending).selected.length).toBeGreaterThan(0);
    }
    expect(runRule('greedy-threshold', overspending, { threshold: 3 }).selected).toEqual(['C']);
    expect(() => runRule('greedy-threshold', overspending)).toThrow(/needs a threshold/);
    expect(() => runRule('phragmen', overspending)).toThrow(ElectionError);
    expect(() => runRule('phragmen', overspending)).toThrow(/Supported rules: greedy, greedy-no-skip/);
  });

  it('outcomes serialise to JSON with exact amounts (fractions as "n/d")', () => {
    const out = JSON.parse(
      JSON.stringify(equalShares(makeElection({ budget: 10, projects: [{ id: 'A', cost: 10 }], ballots: [['A'], ['A'], ['A']] }))),
    );
    expect(out.rounds[0].rho).toBe('10/3');
    expect(Fraction.parse(out.rounds[0].rho).eq(Fraction.of(10, 3))).toBe(true);
  });
});
