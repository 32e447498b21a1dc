import { z } from 'zod';
import { DEFAULT_GRADES } from '../rules/majority-judgement.js';

/**
 * The ballot rules of one envelope, as a city configures them (validated by `ballotRulesSchema`,
 * defaults filled in, then frozen with the campaign when voting opens: the design's pain point is
 * rules changed after voting started).
 *
 *   - 'approval': choose at most `maxProjects` projects (Paris until 2020: 8; CONSUL's
 *     max_ballot_lines), and at least `minProjects` (default 1: an empty ballot is no ballot).
 *   - 'knapsack': choose projects whose total cost fits in the envelope, optionally spending at
 *     least `minSpendPercent` % of it (Decidim's default is 70), with optional min/max numbers of
 *     projects (min default 1).
 *   - 'cumulative': spread `points` points over at least `minProjects` projects, at most
 *     `maxPointsPerProject` on one (Aarau: 10 points over ≥ 3 projects); whole points, at least 1
 *     on each project named; all points must be given unless `requireAllPoints` is false.
 *   - 'majority-judgement': a grade for every project of the envelope, from `grades`, best first
 *     (default DEFAULT_GRADES: excellent, very-good, good, fair, poor, reject). Grade codes are
 *     message keys: the city's messages give their labels.
 */

const required = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`);
const count = () =>
  z
    .number({ error: required('a number') })
    .int('must be a whole number')
    .min(1, 'must be at least 1');
/** Like z.strictObject, saying which keys are unknown in words a city's administrator reads. */
const rulesObject = <T extends z.core.$ZodLooseShape>(shape: T) =>
  z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown setting(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}` : undefined),
  });

const approval = rulesObject({
  type: z.literal('approval'),
  maxProjects: count(),
  minProjects: count().default(1),
});

const knapsack = rulesObject({
  type: z.literal('knapsack'),
  minSpendPercent: z
    .number({ error: required('a number') })
    .min(0, 'must be between 0 and 100')
    .max(100, 'must be between 0 and 100')
    .optional(),
  minProjects: count().default(1),
  maxProjects: count().optional(),
});

const cumulative = rulesObject({
  type: z.literal('cumulative'),
  points: count(),
  minProjects: count(),
  maxPointsPerProject: count(),
  requireAllPoints: z.boolean({ error: required('true or false') }).default(true),
});

const gradeCode = z
  .string({ error: 'a grade must be a text code' })
  .regex(
    /^[a-z][a-z0-9-]*$/,
    'a grade must be a code of lowercase letters, digits and "-" (e.g. "very-good"); its label comes from the messages',
  );

const majorityJudgement = rulesObject({
  type: z.literal('majority-judgement'),
  grades: z
    .array(gradeCode, { error: 'must be a list of grade codes, best first' })
    .min(2, 'must list at least 2 grades, best first')
    .max(10, 'must list at most 10 grades')
    .default([...DEFAULT_GRADES]),
});

const BALLOT_TYPES = ['approval', 'knapsack', 'cumulative', 'majority-judgement'] as const;

export const ballotRulesSchema = z
  .discriminatedUnion('type', [approval, knapsack, cumulative, majorityJudgement], {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `must be one of ${BALLOT_TYPES.map((t) => `"${t}"`).join(', ')}`
        : issue.code === 'invalid_type'
          ? 'ballot rules must be an object with a "type"'
          : undefined,
  })
  .superRefine((rules, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    switch (rules.type) {
      case 'approval':
        if (rules.minProjects > rules.maxProjects) {
          issue('minProjects', `${rules.minProjects} is more than maxProjects (${rules.maxProjects})`);
        }
        break;
      case 'knapsack':
        if (rules.maxProjects !== undefined && rules.minProjects > rules.maxProjects) {
          issue('minProjects', `${rules.minProjects} is more than maxProjects (${rules.maxProjects})`);
        }
        break;
      case 'cumulative':
        if (rules.minProjects > rules.points) {
          issue('minProjects', `${rules.minProjects} is more than points (${rules.points}): each project named needs at least 1 point`);
        }
        if (rules.maxPointsPerProject > rules.points) {
          issue('maxPointsPerProject', `${rules.maxPointsPerProject} is more than points (${rules.points})`);
        }
        break;
      case 'majority-judgement': {
        const seen = new Set<string>();
        for (const g of rules.grades) {
          if (seen.has(g)) issue('grades', `names "${g}" twice`);
          seen.add(g);
        }
        break;
      }
    }
  });

/** What a city writes (defaults may be left out). */
export type BallotRulesInput = z.input<typeof ballotRulesSchema>;
/** The rules with defaults filled in: what validation and the ballot page use. */
export type BallotRules = z.output<typeof ballotRulesSchema>;
export type BallotType = BallotRules['type'];
export type ApprovalRules = Extract<BallotRules, { type: 'approval' }>;
export type KnapsackRules = Extract<BallotRules, { type: 'knapsack' }>;
export type CumulativeRules = Extract<BallotRules, { type: 'cumulative' }>;
export type MajorityJudgementRules = Extract<BallotRules, { type: 'majority-judgement' }>;

export class InvalidBallotRules extends Error {
  override readonly name = 'InvalidBallotRules';
}

/**
 * Checks a city's ballot rules for one envelope and returns them with defaults filled in; bad rules
 * throw with every problem and its path ("envelope paris: maxProjects: must be at least 1").
 */
export function parseBallotRules(input: unknown, label?: string): BallotRules {
  const parsed = ballotRulesSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(rules)'}: ${i.message}`);
  throw new InvalidBallotRules(`Invalid ballot rules${label ? ` for ${label}` : ''}:\n${lines.join('\n')}`);
}
