import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BallotRules,
  ballotRulesSchema,
  InvalidBallotRules,
  type KnapsackRules,
  parseBallotRules,
} from '../../../src/modules/participatory-budget/ballots/rules.js';
import {
  BALLOT_PROBLEM_CODES,
  type BallotEnvelope,
  envelopeRulesProblems,
  validateBallot,
} from '../../../src/modules/participatory-budget/ballots/validate.js';
import { Fraction } from '../../../src/modules/participatory-budget/rules/fraction.js';
import { DEFAULT_GRADES } from '../../../src/modules/participatory-budget/rules/majority-judgement.js';

const money = (v: number | string) => (typeof v === 'number' ? Fraction.fromNumber(v) : Fraction.fromDecimal(v));

/** Budget 1000; costs 100, 200, 300, 400, 500 (ids P1…P5). */
const envelope: BallotEnvelope = {
  budget: money(1000),
  projects: [100, 200, 300, 400, 500].map((cost, i) => ({ id: `P${i + 1}`, cost: money(cost) })),
};

const rules = (input: unknown): BallotRules => parseBallotRules(input);
const codes = (check: { problems: { code: string; projectId?: string }[] }) =>
  check.problems.map((p) => (p.projectId ? `${p.code}:${p.projectId}` : p.code));

describe('ballot rules configuration (ballotRulesSchema)', () => {
  it('fills in defaults: at least 1 project, all points required, the default grade scale', () => {
    expect(rules({ type: 'approval', maxProjects: 8 })).toEqual({ type: 'approval', maxProjects: 8, minProjects: 1 });
    expect(rules({ type: 'knapsack', minSpendPercent: 70 })).toEqual({ type: 'knapsack', minSpendPercent: 70, minProjects: 1 });
    expect(rules({ type: 'cumulative', points: 10, minProjects: 3, maxPointsPerProject: 5 })).toMatchObject({ requireAllPoints: true });
    expect(rules({ type: 'majority-judgement' })).toEqual({ type: 'majority-judgement', grades: [...DEFAULT_GRADES] });
  });

  it('says what is wrong, with the path, for every problem at once', () => {
    const message = (input: unknown) => {
      try {
        parseBallotRules(input, 'envelope "paris"');
        return '';
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidBallotRules);
        return (e as Error).message;
      }
    };
    expect(message({ type: 'approval' })).toBe('Invalid ballot rules for envelope "paris":\n  - maxProjects: is required');
    expect(message({ type: 'approvals', maxProjects: 8 })).toContain(
      'type: must be one of "approval", "knapsack", "cumulative", "majority-judgement"',
    );
    expect(message('approval')).toContain('(rules): ballot rules must be an object with a "type"');
    const many = message({ type: 'approval', maxProjects: 2.5, minProjects: 0, maxProject: 3 });
    expect(many).toContain('maxProjects: must be a whole number');
    expect(many).toContain('minProjects: must be at least 1');
    expect(many).toContain('unknown setting(s) "maxProject"');
    expect(message({ type: 'approval', maxProjects: 2, minProjects: 3 })).toContain('minProjects: 3 is more than maxProjects (2)');
    expect(message({ type: 'knapsack', minSpendPercent: 170 })).toContain('minSpendPercent: must be between 0 and 100');
    expect(message({ type: 'knapsack', minProjects: 4, maxProjects: 3 })).toContain('minProjects: 4 is more than maxProjects (3)');
    const cumulative = message({ type: 'cumulative', points: 10, minProjects: 11, maxPointsPerProject: 12 });
    expect(cumulative).toContain('minProjects: 11 is more than points (10)');
    expect(cumulative).toContain('maxPointsPerProject: 12 is more than points (10)');
    expect(message({ type: 'cumulative', points: 10, minProjects: 3, maxPointsPerProject: 4, requireAllPoints: 'yes' })).toContain(
      'requireAllPoints: must be true or false',
    );
    const grades = message({ type: 'majority-judgement', grades: ['good', 'good', 'Bad'] });
    expect(grades).toContain('grades.2: a grade must be a code');
    expect(grades).toContain('grades: names "good" twice');
    expect(message({ type: 'majority-judgement', grades: ['only'] })).toContain('grades: must list at least 2 grades');
  });

  it('is a zod schema a module settings schema can embed (e.g. one entry per envelope)', () => {
    expect(ballotRulesSchema.safeParse({ type: 'approval', maxProjects: 8 }).success).toBe(true);
  });

  it('flags rules that no ballot in the envelope could satisfy', () => {
    expect(envelopeRulesProblems(rules({ type: 'approval', maxProjects: 8, minProjects: 6 }), envelope)).toEqual([
      'minProjects is 6 but the envelope has 5 project(s)',
    ]);
    expect(envelopeRulesProblems(rules({ type: 'knapsack', minProjects: 5 }), envelope)).toEqual([
      'the 5 cheapest project(s) cost 1500.00, more than the budget 1000.00',
    ]);
    // At most 1 project: the dearest one that fits spends 500, under 70 % of 1000.
    expect(envelopeRulesProblems(rules({ type: 'knapsack', maxProjects: 1, minSpendPercent: 70 }), envelope)).toEqual([
      'no ballot can spend the minimum of 700.00 (70 % of 1000.00)',
    ]);
    expect(envelopeRulesProblems(rules({ type: 'knapsack', maxProjects: 2, minSpendPercent: 70 }), envelope)).toEqual([]);
    expect(envelopeRulesProblems(rules({ type: 'cumulative', points: 30, minProjects: 3, maxPointsPerProject: 5 }), envelope)).toEqual([
      '5 project(s) at 5 point(s) each cannot take all 30 points',
    ]);
    expect(envelopeRulesProblems(rules({ type: 'majority-judgement' }), { budget: money(1), projects: [] })).toEqual([
      'the envelope has no project on its ballot',
    ]);
  });
});

describe('approval ballots', () => {
  const approval = rules({ type: 'approval', maxProjects: 3, minProjects: 2 });

  it('accepts between min and max projects of the envelope', () => {
    const check = validateBallot(approval, envelope, { type: 'approval', projects: ['P1', 'P5'] });
    expect(check).toMatchObject({ valid: true, problems: [], projects: 2 });
    expect(check.totalCost?.toString()).toBe('600');
  });

  it('reports every problem with a stable code: unknown, duplicate, too many, too few', () => {
    const check = validateBallot(approval, envelope, { type: 'approval', projects: ['P1', 'P9', 'P2', 'P1', 'P3', 'P4'] });
    expect(check.valid).toBe(false);
    expect(codes(check)).toEqual(['unknown-project:P9', 'duplicate-project:P1', 'too-many-projects']);
    expect(check.problems.at(-1)).toEqual({ code: 'too-many-projects', params: { max: 3, count: 4 } });
    expect(validateBallot(approval, envelope, { type: 'approval', projects: ['P1'] }).problems).toEqual([
      { code: 'too-few-projects', params: { min: 2, count: 1 } },
    ]);
    // An empty ballot is not a ballot (minProjects defaults to 1).
    expect(codes(validateBallot(rules({ type: 'approval', maxProjects: 8 }), envelope, { type: 'approval', projects: [] }))).toEqual([
      'too-few-projects',
    ]);
  });

  it('refuses a ballot of another type', () => {
    expect(validateBallot(approval, envelope, { type: 'knapsack', projects: ['P1', 'P2'] }).problems).toEqual([
      { code: 'wrong-ballot-type', params: { expected: 'approval', got: 'knapsack' } },
    ]);
  });
});

describe('knapsack ballots', () => {
  const knapsack = rules({ type: 'knapsack', minSpendPercent: 70, minProjects: 2, maxProjects: 3 });
  const check = (...projects: string[]) => validateBallot(knapsack, envelope, { type: 'knapsack', projects });

  it('accepts a total between 70 % of the envelope and the envelope, boundaries included', () => {
    expect(check('P2', 'P5')).toMatchObject({ valid: true, projects: 2 }); // 700: exactly 70 %
    expect(check('P2', 'P5').totalCost?.toString()).toBe('700');
    expect(check('P1', 'P4', 'P5').valid).toBe(true); // 1000: all of it
  });

  it('refuses over the envelope and under the minimum spend, with exact amounts', () => {
    expect(check('P3', 'P4', 'P5').problems).toEqual([{ code: 'over-budget', params: { budget: '1000', total: '1200' } }]);
    expect(check('P1', 'P2').problems).toEqual([{ code: 'under-minimum-spend', params: { minimum: '700', total: '300', percent: 70 } }]);
    expect(codes(check('P5'))).toEqual(['too-few-projects', 'under-minimum-spend']);
    expect(codes(check('P1', 'P2', 'P3', 'P4'))).toEqual(['too-many-projects']);
    expect(codes(check('P1', 'P1', 'X'))).toEqual(['duplicate-project:P1', 'unknown-project:X', 'too-few-projects', 'under-minimum-spend']);
  });

  it('computes the minimum spend exactly, with cents and a decimal percentage', () => {
    // 66.5 % of 1000.01 = 665.006650: 665.00 is under it, 665.01 reaches it.
    const r = rules({ type: 'knapsack', minSpendPercent: 66.5 }) as KnapsackRules;
    const env = {
      budget: money('1000.01'),
      projects: [
        { id: 'a', cost: money('665.00') },
        { id: 'b', cost: money('665.01') },
      ],
    };
    expect(codes(validateBallot(r, env, { type: 'knapsack', projects: ['a'] }))).toEqual(['under-minimum-spend']);
    expect(validateBallot(r, env, { type: 'knapsack', projects: ['a'] }).problems[0]!.params!.minimum).toBe('13300133/20000');
    expect(validateBallot(r, env, { type: 'knapsack', projects: ['b'] }).valid).toBe(true);
  });

  it('has no minimum spend and no maximum count unless configured', () => {
    const free = rules({ type: 'knapsack' });
    expect(validateBallot(free, envelope, { type: 'knapsack', projects: ['P1'] }).valid).toBe(true);
    expect(validateBallot(free, envelope, { type: 'knapsack', projects: ['P1', 'P2', 'P3', 'P4'] }).valid).toBe(true);
  });
});

describe('cumulative ballots (10 points over at least 3 projects, at most 5 on one)', () => {
  const cumulative = rules({ type: 'cumulative', points: 10, minProjects: 3, maxPointsPerProject: 5 });
  const check = (...entries: [string, number][]) =>
    validateBallot(cumulative, envelope, { type: 'cumulative', points: entries.map(([projectId, points]) => ({ projectId, points })) });

  it('accepts all 10 points over 3 or more projects', () => {
    expect(check(['P1', 5], ['P2', 3], ['P3', 2])).toMatchObject({ valid: true, projects: 3, totalPoints: 10 });
    expect(check(['P1', 1], ['P2', 2], ['P3', 3], ['P4', 4]).valid).toBe(true);
  });

  it('refuses too many points on one project, in all, too few projects, and unspent points', () => {
    expect(check(['P1', 6], ['P2', 4]).problems).toEqual([
      { code: 'too-many-points-for-project', projectId: 'P1', params: { points: 6, max: 5 } },
      { code: 'too-few-projects', params: { min: 3, count: 2 } },
    ]);
    expect(check(['P1', 5], ['P2', 5], ['P3', 5]).problems).toEqual([{ code: 'too-many-points', params: { total: 15, max: 10 } }]);
    expect(check(['P1', 2], ['P2', 2], ['P3', 2]).problems).toEqual([{ code: 'too-few-points', params: { total: 6, required: 10 } }]);
    const partial = rules({ type: 'cumulative', points: 10, minProjects: 3, maxPointsPerProject: 5, requireAllPoints: false });
    expect(
      validateBallot(partial, envelope, {
        type: 'cumulative',
        points: [
          { projectId: 'P1', points: 2 },
          { projectId: 'P2', points: 2 },
          { projectId: 'P3', points: 2 },
        ],
      }).valid,
    ).toBe(true);
  });

  it('wants whole points, at least 1 on each project named', () => {
    expect(codes(check(['P1', 0], ['P2', 1.5], ['P3', -1], ['P4', Number.NaN], ['P5', 10]))).toEqual([
      'invalid-points:P1',
      'invalid-points:P2',
      'invalid-points:P3',
      'invalid-points:P4',
      'too-many-points-for-project:P5',
      'too-few-projects',
    ]);
    expect(codes(check(['P1', 4], ['P1', 3], ['P9', 3]))).toEqual([
      'duplicate-project:P1',
      'unknown-project:P9',
      'too-few-projects',
      'too-few-points',
    ]);
  });
});

describe('majority judgement ballots', () => {
  const mj = rules({ type: 'majority-judgement' });
  const all = (grade: string) => envelope.projects.map((p) => ({ projectId: p.id, grade }));

  it('accepts a grade from the scale for every project of the envelope', () => {
    expect(validateBallot(mj, envelope, { type: 'majority-judgement', grades: all('good') })).toMatchObject({ valid: true, projects: 5 });
    const custom = rules({ type: 'majority-judgement', grades: ['for', 'against'] });
    expect(validateBallot(custom, envelope, { type: 'majority-judgement', grades: all('against') }).valid).toBe(true);
    expect(codes(validateBallot(custom, envelope, { type: 'majority-judgement', grades: all('good') }))).toEqual(
      envelope.projects.map((p) => `unknown-grade:${p.id}`),
    );
  });

  it('reports grades off the scale, projects not in the envelope, duplicates and missing grades', () => {
    const check = validateBallot(mj, envelope, {
      type: 'majority-judgement',
      grades: [
        { projectId: 'P1', grade: 'good' },
        { projectId: 'P2', grade: 'superb' },
        { projectId: 'P9', grade: 'good' },
        { projectId: 'P1', grade: 'fair' },
        { projectId: 'P3', grade: 'reject' },
        { projectId: 'P4', grade: 'excellent' },
      ],
    });
    expect(check.problems).toEqual([
      { code: 'unknown-grade', projectId: 'P2', params: { grade: 'superb' } },
      { code: 'unknown-project', projectId: 'P9' },
      { code: 'duplicate-project', projectId: 'P1' },
      { code: 'missing-grade', projectId: 'P5' },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: a ballot found valid never breaks its rules, and a ballot within them is valid.

const idArb = fc.oneof(
  fc.integer({ min: 1, max: 12 }).map((n) => `p${n}`),
  fc.constantFrom('zz', 'x-1'),
);

/** An envelope of 1–8 projects (costs with cents) and a ballot naming any ids, some repeated or foreign. */
const envelopeAndPicks = fc
  .record({
    ids: fc.uniqueArray(
      fc.integer({ min: 1, max: 12 }).map((n) => `p${n}`),
      { minLength: 1, maxLength: 8 },
    ),
    budget: fc.integer({ min: 0, max: 400_000 }),
  })
  .chain(({ ids, budget }) =>
    fc.record({
      envelope: fc.array(fc.integer({ min: 1, max: 150_000 }), { minLength: ids.length, maxLength: ids.length }).map(
        (cents): BallotEnvelope => ({
          budget: Fraction.of(budget, 100),
          projects: ids.map((id, i) => ({ id, cost: Fraction.of(cents[i]!, 100) })),
        }),
      ),
      picks: fc.oneof(fc.subarray(ids), fc.array(fc.oneof(fc.constantFrom(...ids), idArb), { maxLength: 10 })),
    }),
  );

const countLimits = fc.integer({ min: 1, max: 6 }).chain((max) => fc.record({ max: fc.constant(max), min: fc.integer({ min: 1, max }) }));

function distinctKnown(envelope: BallotEnvelope, picks: readonly string[]): boolean {
  return new Set(picks).size === picks.length && picks.every((id) => envelope.projects.some((p) => p.id === id));
}

function costOf(envelope: BallotEnvelope, picks: readonly string[]): Fraction {
  return Fraction.sum(picks.map((id) => envelope.projects.find((p) => p.id === id)!.cost));
}

describe('ballot validation properties', () => {
  it('approval: a valid ballot names distinct projects of the envelope, between min and max of them; and conversely', () => {
    fc.assert(
      fc.property(envelopeAndPicks, countLimits, ({ envelope, picks }, { min, max }) => {
        const check = validateBallot(rules({ type: 'approval', maxProjects: max, minProjects: min }), envelope, {
          type: 'approval',
          projects: picks,
        });
        const within = distinctKnown(envelope, picks) && picks.length >= min && picks.length <= max;
        expect(check.valid).toBe(within);
        expect(check.valid).toBe(check.problems.length === 0);
        for (const p of check.problems) expect(BALLOT_PROBLEM_CODES).toContain(p.code);
      }),
      { numRuns: 500 },
    );
  });

  it('knapsack: a valid ballot never exceeds the envelope nor spends under its minimum; and conversely', () => {
    fc.assert(
      fc.property(
        envelopeAndPicks,
        fc.option(countLimits, { nil: undefined }),
        fc.option(
          fc.oneof(
            fc.integer({ min: 0, max: 100 }),
            fc.integer({ min: 0, max: 1000 }).map((x) => x / 10),
          ),
          { nil: undefined },
        ),
        ({ envelope, picks }, limits, percent) => {
          const r = rules({
            type: 'knapsack',
            ...(percent === undefined ? {} : { minSpendPercent: percent }),
            ...(limits ? { minProjects: limits.min, maxProjects: limits.max } : {}),
          }) as KnapsackRules;
          const check = validateBallot(r, envelope, { type: 'knapsack', projects: picks });
          const known = distinctKnown(envelope, picks);
          const total = known ? costOf(envelope, picks) : undefined;
          const minimum = envelope.budget.mul(Fraction.fromNumber(percent ?? 0)).div(Fraction.of(100));
          const within =
            known &&
            total!.lte(envelope.budget) &&
            total!.gte(minimum) &&
            picks.length >= (limits?.min ?? 1) &&
            (limits === undefined || picks.length <= limits.max);
          expect(check.valid).toBe(within);
          if (check.valid) expect(check.totalCost!.eq(total!)).toBe(true);
          for (const p of check.problems) expect(BALLOT_PROBLEM_CODES).toContain(p.code);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('cumulative: a valid ballot gives whole points within every limit; and conversely', () => {
    fc.assert(
      fc.property(
        envelopeAndPicks,
        fc.array(fc.oneof(fc.integer({ min: -1, max: 7 }), fc.constant(2.5)), { minLength: 10, maxLength: 10 }),
        fc.record({
          points: fc.integer({ min: 3, max: 12 }),
          minProjects: fc.integer({ min: 1, max: 3 }),
          maxPointsPerProject: fc.integer({ min: 1, max: 3 }),
        }),
        fc.boolean(),
        ({ envelope, picks }, points, limits, requireAllPoints) => {
          const r = rules({ type: 'cumulative', ...limits, requireAllPoints });
          const entries = picks.map((projectId, i) => ({ projectId, points: points[i]! }));
          const check = validateBallot(r, envelope, { type: 'cumulative', points: entries });
          const total = entries.reduce((s, e) => s + e.points, 0);
          const within =
            distinctKnown(envelope, picks) &&
            entries.every((e) => Number.isInteger(e.points) && e.points >= 1 && e.points <= limits.maxPointsPerProject) &&
            entries.length >= limits.minProjects &&
            total <= limits.points &&
            (!requireAllPoints || total === limits.points);
          expect(check.valid).toBe(within);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('majority judgement: a valid ballot grades every project of the envelope exactly once, from the scale', () => {
    fc.assert(
      fc.property(
        envelopeAndPicks,
        fc.array(fc.constantFrom('good', 'poor', 'meh'), { minLength: 10, maxLength: 10 }),
        ({ envelope, picks }, grades) => {
          const r = rules({ type: 'majority-judgement', grades: ['good', 'poor'] });
          const entries = picks.map((projectId, i) => ({ projectId, grade: grades[i]! }));
          const check = validateBallot(r, envelope, { type: 'majority-judgement', grades: entries });
          const within =
            distinctKnown(envelope, picks) && picks.length === envelope.projects.length && entries.every((e) => e.grade !== 'meh');
          expect(check.valid).toBe(within);
        },
      ),
      { numRuns: 500 },
    );
  });
});
