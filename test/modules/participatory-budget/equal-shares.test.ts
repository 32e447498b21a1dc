import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ElectionError, makeElection } from '../../../src/modules/participatory-budget/rules/election.js';
import { equalShares, prepareMes, runMes } from '../../../src/modules/participatory-budget/rules/equal-shares.js';
import { Fraction } from '../../../src/modules/participatory-budget/rules/fraction.js';
import { greedy } from '../../../src/modules/participatory-budget/rules/greedy.js';
import { DEFAULT_TIE_BREAKING } from '../../../src/modules/participatory-budget/rules/tie-breaking.js';
import { naiveMes, naiveMesTrail } from './naive-mes.js';
import { electionArb, shuffled } from './support.js';

const repeat = <T>(n: number, x: T): T[] => Array.from({ length: n }, () => x);

describe('Method of Equal Shares (cost utilities) on hand-computed elections', () => {
  it('is proportional: 60 % of voters get 3 of 5 projects, 40 % get 2 — where greedy gives the majority everything', () => {
    // 100 voters × 0.50 = 50: group A holds 30 (three projects of 10), group B holds 20 (two).
    const a = ['a1', 'a2', 'a3', 'a4', 'a5'];
    const b = ['b1', 'b2', 'b3', 'b4', 'b5'];
    const e = makeElection({
      budget: 50,
      projects: [...a, ...b].map((id) => ({ id, cost: 10 })),
      ballots: [...repeat(60, a), ...repeat(40, b)],
    });
    const out = equalShares(e);
    // Round by round: A projects have 60 supporters paying 1/6 each (eff 60), then B's 40 paying 1/4
    // (eff 40)… until each group's money runs out: exact arithmetic makes 3 × 10 use all of 30.
    expect(out.selected).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
    expect(out.rounds.map((r) => [r.projectId, r.rho.toString(), r.effectiveVotes.toString()])).toEqual([
      ['a1', '1/6', '60'],
      ['a2', '1/6', '60'],
      ['a3', '1/6', '60'],
      ['b1', '1/4', '40'],
      ['b2', '1/4', '40'],
    ]);
    expect(out.cost.toString()).toBe('50');
    expect(out.spending.every((s) => s.eq(Fraction.of(1, 2)))).toBe(true);
    expect(greedy(e).selected).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
  });

  it('makes some supporters pay all they have left when they cannot pay ρ (capped payments)', () => {
    // 6 voters × 10. Round 1: Q (15, v1–v5) ρ = 3, eff 5 beats T (30, v1 v4 v5 v6) ρ = 7.5, eff 4.
    // Round 2: v1, v4, v5 have 7, v6 has 10: T needs 30 → v1, v4, v5 pay their 7, v6 pays ρ = 9;
    // eff = 30/9 = 10/3 beats U (8, v2 v3) ρ = 4, eff 2. Round 3: U.
    const e = makeElection({
      budget: 60,
      projects: [
        { id: 'Q', cost: 15 },
        { id: 'T', cost: 30 },
        { id: 'U', cost: 8 },
      ],
      ballots: [['Q', 'T'], ['Q', 'U'], ['Q', 'U'], ['Q', 'T'], ['Q', 'T'], ['T']],
    });
    const out = equalShares(e);
    expect(out.selected).toEqual(['Q', 'T', 'U']);
    expect(
      out.rounds.map((r) => ({
        p: r.projectId,
        rho: r.rho.toString(),
        eff: r.effectiveVotes.toString(),
        full: r.paidRho,
        capped: r.paidAllTheyHad,
        left: r.moneyLeft.toString(),
      })),
    ).toEqual([
      { p: 'Q', rho: '3', eff: '5', full: 5, capped: 0, left: '45' },
      { p: 'T', rho: '9', eff: '10/3', full: 1, capped: 3, left: '15' },
      { p: 'U', rho: '4', eff: '2', full: 2, capped: 0, left: '7' },
    ]);
    expect(out.spending.map(String)).toEqual(['10', '7', '7', '10', '10', '9']);
  });

  it('funds a project that takes exactly all its supporters’ money (unequal budgets)', () => {
    // As above with T costing 31: in round 2, v1, v4, v5 pay their 7 and v6 pays ρ = 10, all v6 has.
    const e = makeElection({
      budget: 60,
      projects: [
        { id: 'Q', cost: 15 },
        { id: 'T', cost: 31 },
        { id: 'U', cost: 8 },
      ],
      ballots: [['Q', 'T'], ['Q', 'U'], ['Q', 'U'], ['Q', 'T'], ['Q', 'T'], ['T']],
    });
    const out = equalShares(e);
    expect(out.selected).toEqual(['Q', 'T', 'U']);
    expect(out.rounds[1]!.rho.toString()).toBe('10');
    expect(out.spending.map(String)).toEqual(['10', '7', '7', '10', '10', '10']);
  });

  it('drops a project for good once its supporters cannot pay for it, and says when (in tie order)', () => {
    // 3 voters × 100. C (150, everyone) ρ = 50, eff 3 is funded; then A (200, v1 v2) has 100 and
    // B (100, v3) has 50: both unaffordable in round 2.
    const e = makeElection({
      budget: 300,
      projects: [
        { id: 'A', cost: 200 },
        { id: 'B', cost: 100 },
        { id: 'C', cost: 150 },
        { id: 'Z', cost: 1 },
      ],
      ballots: [
        ['A', 'C'],
        ['A', 'C'],
        ['B', 'C'],
      ],
    });
    const out = equalShares(e);
    expect(out.selected).toEqual(['C']);
    expect(out.unaffordable.map((d) => [d.projectId, d.round, d.supportersMoney.toString()])).toEqual([
      ['B', 2, '50'],
      ['A', 2, '100'],
    ]);
    expect(out.unsupported).toEqual(['Z']);
  });

  it('is exact where floats are not: B/n with n = 3 and a project costing exactly what its supporters hold', () => {
    const e = makeElection({ budget: '0.3', projects: [{ id: 'X', cost: '0.3' }], ballots: [['X'], ['X'], ['X']] });
    const out = equalShares(e);
    expect(out.perVoterBudget.toString()).toBe('1/10');
    expect(out.selected).toEqual(['X']);
    expect(out.rounds[0]!.rho.toString()).toBe('1/10');
  });

  it('breaks equal effective vote counts by lower cost, then more votes, then the lot', () => {
    // Both eff 2 in round 1: C (6) is cheaper than A (10).
    const cost = makeElection({
      budget: 20,
      projects: [
        { id: 'A', cost: 10 },
        { id: 'C', cost: 6 },
      ],
      ballots: [
        ['A', 'C'],
        ['A', 'C'],
      ],
    });
    expect(equalShares(cost).selected).toEqual(['C', 'A']);
    expect(equalShares(cost).rounds[0]!.tiedWith).toEqual(['A']);
    // Same cost, same votes: the lot. Id order by default, or a drawn lot.
    const lot = makeElection({
      budget: 20,
      projects: [
        { id: 'B', cost: 10 },
        { id: 'A', cost: 10 },
      ],
      ballots: [['A'], ['B']],
    });
    expect(equalShares(lot).selected).toEqual(['A', 'B']);
    expect(equalShares(lot, { tieBreaking: { ...DEFAULT_TIE_BREAKING, lot: ['B', 'A'] } }).selected).toEqual(['B', 'A']);
  });

  it('refuses points ballots (it counts approvals)', () => {
    const e = makeElection({ budget: 1, projects: [{ id: 'A', cost: 1 }], ballots: [{ projects: ['A'], points: [3] }] });
    expect(() => equalShares(e)).toThrow(ElectionError);
  });

  it('funds nothing without voters', () => {
    expect(equalShares(makeElection({ budget: 10, projects: [{ id: 'A', cost: 1 }], ballots: [] })).selected).toEqual([]);
  });
});

describe('Method of Equal Shares: properties', () => {
  it('agrees with a plain independent implementation (every project every round, ρ by breakpoints)', () => {
    fc.assert(
      fc.property(electionArb, (e) => {
        expect(equalShares(e).selected).toEqual(naiveMes(e));
      }),
      { numRuns: 300 },
    );
  });

  it('pays exactly as the plain implementation, round by round (ρ) and ballot by ballot, with many classes of voters', () => {
    // Up to 10 projects and 60 ballots of 1–4 approvals, costs with cents: voters split into many
    // classes holding different amounts (the optimised run counts money per class, over one
    // common denominator), and the plain one keeps a reduced fraction per voter.
    const manyClasses = fc
      .record({
        budget: fc.integer({ min: 1, max: 50_000 }).map((c) => c / 100),
        costs: fc.array(
          fc.integer({ min: 1, max: 3_000 }).map((c) => c / 100),
          { minLength: 2, maxLength: 10 },
        ),
        ballots: fc.array(fc.uniqueArray(fc.nat(9), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 60 }),
      })
      .map(({ budget, costs, ballots }) =>
        makeElection({
          budget,
          projects: costs.map((cost, i) => ({ id: `p${i}`, cost })),
          ballots: ballots.map((b) => [...new Set(b.map((i) => `p${i % costs.length}`))]),
        }),
      );
    fc.assert(
      fc.property(manyClasses, (e) => {
        const out = equalShares(e);
        const plain = naiveMesTrail(e);
        expect(out.selected).toEqual(plain.selected);
        expect(out.rounds.map((r) => r.rho.toString())).toEqual(plain.rhos.map(String));
        expect(out.spending.map(String)).toEqual(plain.spending.map(String));
      }),
      { numRuns: 200 },
    );
  });

  it('the shortcut run (used by add1) gives the same outcome as the explained run', () => {
    fc.assert(
      fc.property(electionArb, (e) => {
        const prep = prepareMes(e, DEFAULT_TIE_BREAKING);
        expect(runMes(prep, e.budget, false).selected).toEqual(runMes(prep, e.budget, true).selected);
      }),
    );
  });

  it('stays within the budget; each voter pays at most B/n; each funded project is paid exactly by its supporters', () => {
    fc.assert(
      fc.property(electionArb, (e) => {
        const out = equalShares(e);
        expect(out.cost.lte(e.budget)).toBe(true);
        for (const s of out.spending) expect(s.lte(out.perVoterBudget)).toBe(true);
        expect(Fraction.sum(out.spending).eq(out.cost)).toBe(true);
        for (const r of out.rounds) {
          // Each supporter pays min(money, ρ) ≤ ρ, so effective votes ≤ supporters.
          expect(r.effectiveVotes.lte(Fraction.of(r.supporters))).toBe(true);
          expect(r.paidRho + r.paidAllTheyHad).toBe(r.supporters);
        }
      }),
    );
  });

  it('is deterministic and does not depend on the order of projects, ballots or names within a ballot', () => {
    fc.assert(
      fc.property(electionArb, fc.integer(), (e, seed) => {
        const { spending: _a, ...out } = equalShares(e);
        const { spending: _b, ...again } = equalShares(shuffled(e, seed));
        expect(JSON.stringify(again)).toBe(JSON.stringify(out));
        expect(JSON.stringify(equalShares(e))).toBe(JSON.stringify(equalShares(e)));
      }),
    );
  });
});
