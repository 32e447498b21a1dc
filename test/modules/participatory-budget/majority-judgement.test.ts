import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ElectionError } from '../../../src/modules/participatory-budget/rules/election.js';
import { Fraction } from '../../../src/modules/participatory-budget/rules/fraction.js';
import {
  compareMajority,
  DEFAULT_GRADES,
  type GradeBallot,
  majorityGradeIndex,
  majorityJudgement,
  majorityValue,
  runMajorityJudgement,
  tallyGrades,
} from '../../../src/modules/participatory-budget/rules/majority-judgement.js';

const money = (n: number) => Fraction.of(n);

/** Ballots from one column of grades per project: grades[projectId][voter]. */
function ballotsFrom(grades: Record<string, string[]>): GradeBallot[] {
  const ids = Object.keys(grades);
  const voters = grades[ids[0]!]!.length;
  return Array.from({ length: voters }, (_, v) => ({ grades: ids.map((projectId) => ({ projectId, grade: grades[projectId]![v]! })) }));
}

/** Grade counts (best first, DEFAULT_GRADES) from a list of grades. */
function counts(list: string[], scale: readonly string[] = DEFAULT_GRADES): number[] {
  return scale.map((g) => list.filter((x) => x === g).length);
}

describe('majority judgement by hand', () => {
  // 5 voters. Sorted worst → best:
  //   A: poor, fair, good, excellent, excellent  → median (3rd) good
  //   B: reject, reject, very-good ×3            → median very-good
  //   C: good ×5                                 → median good
  // A and C tie on "good"; removing one median "good" from each leaves A {poor, fair, exc, exc}
  // (lower median fair) and C {good ×4} (good): C ranks above A after 1 removal.
  const envelope = {
    budget: money(100),
    projects: [
      { id: 'A', cost: money(30) },
      { id: 'B', cost: money(60) },
      { id: 'C', cost: money(50) },
    ],
  };
  const ballots = ballotsFrom({
    A: ['excellent', 'excellent', 'good', 'fair', 'poor'],
    B: ['very-good', 'reject', 'very-good', 'reject', 'very-good'],
    C: ['good', 'good', 'good', 'good', 'good'],
  });

  it('ranks by majority grade, breaks the tie by removing medians, and funds greedily down the ranking', () => {
    const out = majorityJudgement(envelope, DEFAULT_GRADES, ballots);
    expect(out.ranking.map((r) => [r.rank, r.projectId, r.majorityGrade, r.decision, r.moneyLeft.toString()])).toEqual([
      [1, 'B', 'very-good', 'funded', '40'],
      [2, 'C', 'good', 'does-not-fit', '40'],
      [3, 'A', 'good', 'funded', '10'],
    ]);
    expect(out.selected).toEqual(['B', 'A']);
    expect(out.cost.toString()).toBe('90');
    expect(out.moneyLeft.toString()).toBe('10');
    expect(out.ranking.map((r) => r.versusNext)).toEqual([
      { projectId: 'C', decidedBy: 'majority-grade' },
      { projectId: 'A', decidedBy: 'median-removal', medianGradesRemoved: 1 },
      undefined,
    ]);
    expect(out.ranking[1]!.tiedWith).toEqual(['A']);
    expect(out.ranking[0]!.tiedWith).toEqual([]);
  });

  it('gives each project its grade distribution, voters, and grades above and below the majority grade', () => {
    const a = majorityJudgement(envelope, DEFAULT_GRADES, ballots).ranking.find((r) => r.projectId === 'A')!;
    expect(a.distribution).toEqual([
      { grade: 'excellent', count: 2 },
      { grade: 'very-good', count: 0 },
      { grade: 'good', count: 1 },
      { grade: 'fair', count: 1 },
      { grade: 'poor', count: 1 },
      { grade: 'reject', count: 0 },
    ]);
    expect([a.voters, a.above, a.below]).toEqual([5, 2, 2]);
    // Serialises for a results page with exact amounts.
    expect(JSON.parse(JSON.stringify(a)).cost).toBe('30');
  });

  it('takes the lower median with an even number of grades', () => {
    // excellent, excellent, poor, poor: the two middle grades are poor and excellent → poor.
    expect(DEFAULT_GRADES[majorityGradeIndex(counts(['excellent', 'excellent', 'poor', 'poor']))]).toBe('poor');
    expect(DEFAULT_GRADES[majorityGradeIndex(counts(['excellent', 'good', 'good', 'poor']))]).toBe('good');
    expect(DEFAULT_GRADES[majorityGradeIndex(counts(['very-good']))]).toBe('very-good');
  });

  it('with an even count, removes the upper middle grade next (Balinski–Laraki order)', () => {
    // Sorted worst → best. E: poor, good, good, excellent; F: fair, good, good, very-good.
    // E: median good → {poor, good, exc}: good → {poor, exc}: poor.
    // F: median good → {fair, good, vg}: good → {fair, vg}: fair.    F wins after 2 removals.
    const e = counts(['poor', 'good', 'good', 'excellent']);
    const f = counts(['fair', 'good', 'good', 'very-good']);
    expect(majorityValue(e).map((g) => DEFAULT_GRADES[g])).toEqual(['good', 'good', 'poor', 'excellent']);
    expect(compareMajority(f, e)).toBeLessThan(0);
    // G: fair, good, good, excellent vs F: equal until the 4th step, where excellent beats very-good.
    const g = counts(['fair', 'good', 'good', 'excellent']);
    expect(compareMajority(g, f)).toBeLessThan(0);
    const out = runMajorityJudgement({
      budget: money(10),
      grades: DEFAULT_GRADES,
      projects: [
        { id: 'E', cost: money(1), counts: e },
        { id: 'F', cost: money(1), counts: f },
        { id: 'G', cost: money(1), counts: g },
      ],
    });
    expect(out.ranking.map((r) => r.projectId)).toEqual(['G', 'F', 'E']);
    expect(out.ranking.map((r) => r.versusNext?.medianGradesRemoved)).toEqual([3, 2, undefined]);
  });

  it('sends identical grades to the lot: id order by default ("2" before "10"), or a drawn order', () => {
    const grades = ['good', 'fair', 'poor'];
    const same = [1, 2, 1];
    const input = {
      budget: money(5),
      grades,
      projects: [
        { id: '10', cost: money(5), counts: same },
        { id: '2', cost: money(5), counts: same },
        { id: 'X', cost: money(1), counts: [0, 1, 3] },
      ],
    };
    const byId = runMajorityJudgement(input);
    expect(byId.ranking.map((r) => r.projectId)).toEqual(['2', '10', 'X']);
    expect(byId.selected).toEqual(['2']);
    expect(byId.ranking[0]!.versusNext).toEqual({ projectId: '10', decidedBy: 'lot' });
    const drawn = runMajorityJudgement(input, { lot: ['10', '2'] });
    expect(drawn.ranking.map((r) => r.projectId)).toEqual(['10', '2', 'X']);
    expect(drawn.selected).toEqual(['10']);
    expect(drawn.lot).toEqual(['10', '2']);
  });

  it('funds nothing whose majority grade is below the minimum grade, but still ranks it', () => {
    const out = majorityJudgement(envelope, DEFAULT_GRADES, ballots, { minimumGrade: 'very-good' });
    expect(out.selected).toEqual(['B']);
    expect(out.ranking.map((r) => r.decision)).toEqual(['funded', 'below-minimum-grade', 'below-minimum-grade']);
    expect(() => majorityJudgement(envelope, DEFAULT_GRADES, ballots, { minimumGrade: 'superb' })).toThrow(/not on the scale/);
  });

  it('counts a blank as the lowest grade only when asked (paper ballots)', () => {
    const partial: GradeBallot[] = [{ grades: [{ projectId: 'A', grade: 'good' }] }, { grades: [{ projectId: 'A', grade: 'good' }] }];
    const envelope2 = {
      budget: money(10),
      projects: [
        { id: 'A', cost: money(1) },
        { id: 'B', cost: money(1) },
      ],
    };
    expect(() => tallyGrades(envelope2, ['good', 'poor'], partial)).toThrow(/Ballot 1 does not grade project "B"/);
    const tally = tallyGrades(envelope2, ['good', 'poor'], partial, { blank: 'lowest' });
    expect(tally.projects.map((p) => [p.id, p.counts])).toEqual([
      ['A', [2, 0]],
      ['B', [0, 2]],
    ]);
  });

  it('refuses what cannot be counted', () => {
    const env = { budget: money(10), projects: [{ id: 'A', cost: money(1) }] };
    expect(() => tallyGrades(env, ['good', 'poor'], [{ grades: [{ projectId: 'Z', grade: 'good' }] }])).toThrow(ElectionError);
    expect(() => tallyGrades(env, ['good', 'poor'], [{ grades: [{ projectId: 'A', grade: 'meh' }] }])).toThrow(/not on the scale/);
    expect(() =>
      tallyGrades(
        env,
        ['good', 'poor'],
        [
          {
            grades: [
              { projectId: 'A', grade: 'good' },
              { projectId: 'A', grade: 'poor' },
            ],
          },
        ],
      ),
    ).toThrow(/twice/);
    expect(() => tallyGrades(env, ['good', 'good'], [])).toThrow(/names a grade twice/);
    expect(() =>
      runMajorityJudgement({
        budget: money(10),
        grades: ['good', 'poor'],
        projects: [
          { id: 'A', cost: money(1), counts: [1, 1] },
          { id: 'B', cost: money(1), counts: [1, 2] },
        ],
      }),
    ).toThrow(/same number of voters/);
  });

  it('ranks an envelope with no ballot by the lot', () => {
    const out = majorityJudgement(
      {
        budget: money(3),
        projects: [
          { id: 'b', cost: money(2) },
          { id: 'a', cost: money(2) },
        ],
      },
      DEFAULT_GRADES,
      [],
    );
    expect(out.ranking.map((r) => [r.projectId, r.majorityGrade, r.decision])).toEqual([
      ['a', 'reject', 'funded'],
      ['b', 'reject', 'does-not-fit'],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const SCALE = ['a', 'b', 'c', 'd'];

/** Grade counts for 1–6 projects graded by the same 0–15 voters (few distinct grades: many ties). */
const mjArb = fc.integer({ min: 0, max: 15 }).chain((voters) =>
  fc
    .uniqueArray(fc.oneof(fc.integer({ min: 1, max: 20 }).map(String), fc.constantFrom('P', 'Q', 'r')), { minLength: 1, maxLength: 6 })
    .chain((ids) =>
      fc.record({
        budget: fc.integer({ min: 0, max: 30 }),
        ballots: fc.array(fc.array(fc.integer({ min: 0, max: SCALE.length - 1 }), { minLength: ids.length, maxLength: ids.length }), {
          minLength: voters,
          maxLength: voters,
        }),
        costs: fc.array(fc.integer({ min: 1, max: 10 }), { minLength: ids.length, maxLength: ids.length }),
        ids: fc.constant(ids),
      }),
    ),
);

function envelopeOf(x: { budget: number; costs: number[]; ids: string[] }) {
  return { budget: money(x.budget), projects: x.ids.map((id, i) => ({ id, cost: money(x.costs[i]!) })) };
}

function gradeBallots(x: { ballots: number[][]; ids: string[] }): GradeBallot[] {
  return x.ballots.map((b) => ({ grades: x.ids.map((projectId, i) => ({ projectId, grade: SCALE[b[i]!]! })) }));
}

function lexicographic(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function shuffledBy<T>(items: readonly T[], keys: number[]): T[] {
  return items
    .map((item, i) => ({ item, k: keys[i % Math.max(1, keys.length)] ?? 0, i }))
    .sort((x, y) => x.k - y.k || x.i - y.i)
    .map((x) => x.item);
}

describe('majority judgement properties', () => {
  it('the fast comparison equals the definition: majority values (medians removed one by one) compared lexicographically', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 25 })
          .chain((n) =>
            fc.tuple(
              fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
              fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
            ),
          ),
        ([xs, ys]) => {
          const ca = [0, 1, 2, 3, 4].map((g) => xs.filter((x) => x === g).length);
          const cb = [0, 1, 2, 3, 4].map((g) => ys.filter((y) => y === g).length);
          // Smaller index = better grade, so the lexicographically smaller majority value ranks first.
          expect(Math.sign(compareMajority(ca, cb))).toBe(Math.sign(lexicographic(majorityValue(ca), majorityValue(cb))));
          // The majority grade is the lower median of the sorted grades.
          const sorted = [...xs].sort((p, q) => q - p); // worst (largest index) first
          if (xs.length > 0) expect(majorityGradeIndex(ca)).toBe(sorted[Math.floor((xs.length - 1) / 2)]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("agrees with Balinski–Laraki's majority gauge whenever the gauge decides (the documented shortcut)", () => {
    // Gauge: same majority grade α; p = grades above α, q = grades below. "α+" (p > q) beats "α-";
    // among α+ the larger p wins, among α- the smaller q.
    const gauge = (a: number[], b: number[]) => {
      const facts = (c: number[]) => {
        const m = majorityGradeIndex(c);
        const p = c.slice(0, m).reduce((s, x) => s + x, 0);
        const q = c.slice(m + 1).reduce((s, x) => s + x, 0);
        return { m, p, q, plus: p > q };
      };
      const x = facts(a);
      const y = facts(b);
      if (x.m !== y.m) return x.m - y.m;
      if (x.plus !== y.plus) return x.plus ? -1 : 1;
      return x.plus ? y.p - x.p : x.q - y.q;
    };
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 30 })
          .chain((n) =>
            fc.tuple(
              fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
              fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
            ),
          ),
        ([xs, ys]) => {
          const ca = [0, 1, 2, 3].map((g) => xs.filter((x) => x === g).length);
          const cb = [0, 1, 2, 3].map((g) => ys.filter((y) => y === g).length);
          const g = Math.sign(gauge(ca, cb));
          if (g !== 0) expect(Math.sign(compareMajority(ca, cb))).toBe(g);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('is deterministic and independent of the order of projects, ballots and grades within a ballot', () => {
    fc.assert(
      fc.property(mjArb, fc.array(fc.integer(), { minLength: 1, maxLength: 20 }), (x, keys) => {
        const envelope = envelopeOf(x);
        const ballots = gradeBallots(x);
        const once = majorityJudgement(envelope, SCALE, ballots);
        const again = majorityJudgement(envelope, SCALE, ballots);
        expect(JSON.stringify(again)).toBe(JSON.stringify(once));
        const other = majorityJudgement(
          { budget: envelope.budget, projects: shuffledBy(envelope.projects, keys) },
          SCALE,
          shuffledBy(ballots, [...keys].reverse()).map((b) => ({ grades: shuffledBy(b.grades, keys) })),
        );
        expect(JSON.stringify(other)).toBe(JSON.stringify(once));
      }),
      { numRuns: 300 },
    );
  });

  it('a project that every voter grades at least as well as another (and someone better) ranks above it', () => {
    fc.assert(
      fc.property(
        mjArb.filter((x) => x.ids.length >= 2 && x.ballots.length > 0),
        fc.array(fc.integer({ min: 0, max: SCALE.length - 1 }), { minLength: 15, maxLength: 15 }),
        fc.nat(),
        (x, lift, who) => {
          // Project 0 gets, from each voter, project 1's grade raised by up to `lift` steps.
          const ballots = x.ballots.map((b, v) => {
            const copy = [...b];
            copy[0] = Math.max(0, b[1]! - lift[v]!);
            return copy;
          });
          const strict = ballots.findIndex((b) => b[0]! < b[1]!);
          const voter = who % ballots.length;
          if (strict < 0) ballots[voter]![1] = SCALE.length - 1; // make one voter strictly prefer project 0
          if (ballots.every((b) => b[0] === b[1])) return; // both already at the worst grade for everyone: skip
          const out = majorityJudgement(envelopeOf(x), SCALE, gradeBallots({ ballots, ids: x.ids }));
          const rank = (id: string) => out.ranking.find((r) => r.projectId === id)!.rank;
          expect(rank(x.ids[0]!)).toBeLessThan(rank(x.ids[1]!));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('funds down the ranking within the budget, never more', () => {
    fc.assert(
      fc.property(mjArb, (x) => {
        const out = majorityJudgement(envelopeOf(x), SCALE, gradeBallots(x));
        let left = money(x.budget);
        for (const r of out.ranking) {
          if (r.decision === 'funded') left = left.sub(r.cost);
          else expect(r.cost.gt(left)).toBe(true);
          expect(r.moneyLeft.eq(left)).toBe(true);
        }
        expect(left.num >= 0n).toBe(true);
        expect(out.selected).toEqual(out.ranking.filter((r) => r.decision === 'funded').map((r) => r.projectId));
      }),
    );
  });
});
