import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ElectionError, makeElection } from '../../../src/modules/participatory-budget/rules/election.js';
import { greedy, greedyNoSkip, greedyThreshold } from '../../../src/modules/participatory-budget/rules/greedy.js';
import { DEFAULT_TIE_BREAKING, tieOrder } from '../../../src/modules/participatory-budget/rules/tie-breaking.js';
import { electionArb, pointsElectionArb, shuffled } from './support.js';

// Budget 100. Votes: A 4, B 3, C 2, D 1. A (60) fits, B (50) does not, C (30) fits, D (20) does not.
const small = makeElection({
  budget: 100,
  projects: [
    { id: 'A', cost: 60 },
    { id: 'B', cost: 50 },
    { id: 'C', cost: 30 },
    { id: 'D', cost: 20 },
  ],
  ballots: [['A', 'B', 'C', 'D'], ['A', 'B', 'C'], ['A', 'B'], ['A']],
});

describe('greedy rules on small elections', () => {
  it('greedy skips what does not fit and goes on; the trail says why and what money is left', () => {
    const out = greedy(small);
    expect(out.selected).toEqual(['A', 'C']);
    expect(out.steps.map((s) => [s.projectId, s.decision, s.moneyLeft.toString()])).toEqual([
      ['A', 'funded', '40'],
      ['B', 'does-not-fit', '40'],
      ['C', 'funded', '10'],
      ['D', 'does-not-fit', '10'],
    ]);
    expect(out.cost.toString()).toBe('90');
  });

  it('greedy-no-skip stops at the first project that does not fit', () => {
    const out = greedyNoSkip(small);
    expect(out.selected).toEqual(['A']);
    expect(out.steps.map((s) => s.decision)).toEqual(['funded', 'does-not-fit', 'after-stop', 'after-stop']);
  });

  it('greedy-threshold ignores projects below the threshold; a project exactly at it is eligible', () => {
    expect(greedyThreshold(small, 2).selected).toEqual(['A', 'C']);
    const out = greedyThreshold(small, 3);
    expect(out.selected).toEqual(['A']);
    expect(out.steps.map((s) => s.decision)).toEqual(['funded', 'does-not-fit', 'below-threshold', 'below-threshold']);
  });

  it('ranks points ballots by the sum of their points (cumulative), keeping the vote count', () => {
    const e = makeElection({
      budget: 10,
      projects: [
        { id: 'A', cost: 10 },
        { id: 'B', cost: 10 },
      ],
      ballots: [
        { projects: ['A', 'B'], points: [1, 9] },
        { projects: ['A'], points: [10] },
        { projects: ['A'], points: [1] },
      ],
    });
    const out = greedy(e);
    expect(out.rankedBy).toBe('points');
    expect(out.selected).toEqual(['A']); // A: 12 points from 3 ballots, B: 9 from 1
    expect(out.steps.map((s) => [s.projectId, s.score.toString(), s.votes])).toEqual([
      ['A', '12', 3],
      ['B', '9', 1],
    ]);
  });

  it('breaks ties by lower cost, then more votes, then the lot; a drawn lot overrides id order', () => {
    const e = makeElection({
      budget: 100,
      projects: [
        { id: '10', cost: 50 },
        { id: '9', cost: 50 },
        { id: '2', cost: 60 },
      ],
      ballots: [['10', '9', '2']],
    });
    // Equal votes: "9" and "10" cost less than "2"; between them, numeric id order puts 9 first.
    expect(greedy(e).selected).toEqual(['9', '10']);
    expect(greedy(e).steps[0]!.tiedWith).toEqual(['10', '2']);
    expect(greedy(e, { tieBreaking: { criteria: ['lower-cost'], lot: ['10', '9'] } }).selected).toEqual(['10', '9']);
    expect(greedy(e, { tieBreaking: { criteria: [], lot: ['2'] } }).selected).toEqual(['2']);
  });

  it('refuses a project that costs nothing and a ballot naming an unknown project', () => {
    expect(() => greedy(makeElection({ budget: 1, projects: [{ id: 'A', cost: 0 }], ballots: [] }))).toThrow(ElectionError);
    expect(() => greedy(makeElection({ budget: 1, projects: [{ id: 'A', cost: 1 }], ballots: [['B']] }))).toThrow(/names project "B"/);
  });
});

describe('greedy rules: properties', () => {
  const anyElection = fc.oneof(electionArb, pointsElectionArb);

  it('never spend more than the budget; greedy leaves no skipped project that still fits', () => {
    fc.assert(
      fc.property(anyElection, (e) => {
        for (const out of [greedy(e), greedyNoSkip(e), greedyThreshold(e, 2)]) {
          expect(out.cost.lte(e.budget)).toBe(true);
          expect(out.cost.add(out.moneyLeft).eq(e.budget)).toBe(true);
        }
        const out = greedy(e);
        for (const step of out.steps) if (step.decision !== 'funded') expect(step.cost.gt(out.moneyLeft)).toBe(true);
      }),
    );
  });

  it('greedy-no-skip funds a prefix of the ranking (votes, then the tie-breaking)', () => {
    fc.assert(
      fc.property(anyElection, (e) => {
        const ranking = greedy(e).steps.map((s) => s.projectId);
        const out = greedyNoSkip(e);
        expect(ranking.slice(0, out.selected.length)).toEqual(out.selected);
        const next = out.steps[out.selected.length];
        if (next) expect(next.cost.gt(out.moneyLeft)).toBe(true);
      }),
    );
  });

  it('greedy-threshold is greedy over the projects that reach the threshold', () => {
    fc.assert(
      fc.property(electionArb, fc.integer({ min: 0, max: 6 }), (e, t) => {
        const out = greedyThreshold(e, t);
        const eligible = new Set(out.steps.filter((s) => s.score.toNumber() >= t).map((s) => s.projectId));
        const restricted = {
          ...e,
          projects: e.projects.filter((p) => eligible.has(p.id)),
          ballots: e.ballots.map((b) => ({ projects: b.projects.filter((id) => eligible.has(id)) })),
        };
        expect(out.selected).toEqual(greedy(restricted).selected);
      }),
    );
  });

  it('the ranking is votes descending, and equal votes follow the tie-breaking order', () => {
    fc.assert(
      fc.property(electionArb, (e) => {
        const steps = greedy(e).steps;
        const order = tieOrder(DEFAULT_TIE_BREAKING);
        for (let i = 1; i < steps.length; i++) {
          const [a, b] = [steps[i - 1]!, steps[i]!];
          const d = b.score.cmp(a.score);
          expect(d <= 0).toBe(true);
          if (d === 0)
            expect(
              order({ id: a.projectId, cost: a.cost, votes: a.votes }, { id: b.projectId, cost: b.cost, votes: b.votes }),
            ).toBeLessThan(0);
        }
      }),
    );
  });

  it('are deterministic and do not depend on the order of projects or ballots', () => {
    fc.assert(
      fc.property(electionArb, fc.integer(), (e, seed) => {
        const again = shuffled(e, seed);
        for (const rule of [greedy, greedyNoSkip] as const) {
          expect(JSON.stringify(rule(again))).toBe(JSON.stringify(rule(e)));
        }
        expect(JSON.stringify(greedy(e))).toBe(JSON.stringify(greedy(e)));
      }),
    );
  });
});
