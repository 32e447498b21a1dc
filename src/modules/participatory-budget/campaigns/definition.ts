import { z } from 'zod';
import type { FieldProblem } from '../../../kernel/http/errors.js';
import { ballotRulesSchema } from '../ballots/rules.js';
import { isRuleName, RULES } from '../rules/run-rule.js';

/** The phases of a campaign, in the only order they may come in; a campaign may skip some but not `vote`. */
export const PHASES = ['proposals', 'co-construction', 'study', 'vote', 'results', 'execution'] as const;
export type PhaseCode = (typeof PHASES)[number];

export const CAMPAIGN_STATUSES = ['draft', 'published', 'archived'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** The code of the city-wide envelope; every other envelope is named by one of the city's district codes. */
export const CITY_ENVELOPE = 'city';

const CODE = /^[a-z0-9][a-z0-9-]*$/;
const code = (example: string) =>
  z
    .string({ error: 'is required' })
    .max(60, 'must be at most 60 characters')
    .regex(CODE, `must be a code of lowercase letters, digits and "-" (e.g. "${example}")`);

const text = z.string({ error: 'is required' }).trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
export const localizedSchema = z.strictObject(
  { fr: text, en: text },
  { error: (i) => (i.code === 'unrecognized_keys' ? 'only "fr" and "en" are allowed' : 'must give "fr" and "en"') },
);

/** Whole currency units (euros): no cents, as Pabulib and the city's published budgets count. */
export const amountSchema = z
  .number({ error: 'must be a whole number of currency units' })
  .int('must be a whole number of currency units (no cents)')
  .min(1, 'must be at least 1')
  .max(Number.MAX_SAFE_INTEGER, 'is too large');

/** A time with its offset ("2026-11-27T00:00:00+01:00" or "…Z"); stored as UTC. */
const instant = z.iso.datetime({ offset: true, error: 'must be a date and time with its offset, e.g. 2026-11-27T09:00:00+01:00' });

const phaseSchema = z
  .strictObject({
    phase: z.enum(PHASES, { error: `must be one of ${PHASES.map((p) => `"${p}"`).join(', ')}` }),
    startsAt: instant,
    /** Left out only on the last phase (execution lasts until the last project is delivered). */
    endsAt: instant.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.endsAt !== undefined && Date.parse(p.endsAt) <= Date.parse(p.startsAt)) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: `must be after startsAt (${p.startsAt})` });
    }
  });

/** Phases in the order of PHASES, each once, none overlapping the next, only the last left open; "vote" among them. */
const phasesSchema = z
  .array(phaseSchema, { error: 'must be a list' })
  .min(1, 'must list the campaign’s phases, at least "vote"')
  .superRefine((phases, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const seen = new Map<string, number>();
    phases.forEach((p, i) => {
      const first = seen.get(p.phase);
      if (first !== undefined) issue([i, 'phase'], `"${p.phase}" is already at phases.${first}`);
      seen.set(p.phase, i);
      const previous = phases[i - 1];
      if (previous && PHASES.indexOf(p.phase) < PHASES.indexOf(previous.phase)) {
        issue([i, 'phase'], `"${p.phase}" must come before "${previous.phase}" (order: ${PHASES.join(', ')})`);
      }
      if (p.endsAt === undefined && i < phases.length - 1) issue([i, 'endsAt'], 'is required (only the last phase may be left open)');
      if (previous?.endsAt !== undefined && Date.parse(p.startsAt) < Date.parse(previous.endsAt)) {
        issue([i, 'startsAt'], `overlaps "${previous.phase}", which ends at ${previous.endsAt}`);
      }
    });
    if (!seen.has('vote')) issue([], 'must include the "vote" phase');
  });

const reservedSchema = z.strictObject({ code: code('quartiers-populaires'), label: localizedSchema, amount: amountSchema });

/** Ballot rules, checked in full (ballots/rules.ts) and stored with their defaults filled in. */
export const ballotRulesJson = ballotRulesSchema;

export const winnerRuleSchema = z
  .string({ error: 'is required' })
  .refine(isRuleName, { message: `must be one of ${RULES.map((r) => `"${r}"`).join(', ')}` });

function duplicates(ctx: z.RefinementCtx, items: readonly { code: string }[], what: string, where: string) {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const first = seen.get(item.code);
    if (first !== undefined)
      ctx.addIssue({ code: 'custom', path: [i, 'code'], message: `${what} "${item.code}" is already at ${where}.${first}` });
    else seen.set(item.code, i);
  });
}

/** An envelope's reserved amounts: unique codes, none more than the envelope, all together no more either. */
export const reservedListSchema = z
  .array(reservedSchema, { error: 'must be a list' })
  .superRefine((list, ctx) => duplicates(ctx, list, 'reserved amount', 'reserved'));

/** Checks an envelope's reserved amounts against its amount; paths start at the envelope. */
export function reservedProblems(amount: number, reserved: readonly { amount: number }[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  let total = 0;
  reserved.forEach((r, i) => {
    total += r.amount;
    if (r.amount > amount)
      problems.push({ field: `reserved.${i}.amount`, message: `${r.amount} is more than the envelope’s amount (${amount})` });
  });
  if (problems.length === 0 && total > amount) {
    problems.push({ field: 'reserved', message: `the reserved amounts add up to ${total}, more than the envelope’s amount (${amount})` });
  }
  return problems;
}

const themeSchema = z.strictObject({ code: code('sport'), label: localizedSchema });

/**
 * A campaign as a city defines it (JSON from the back office, a file or the demo). `districts` are
 * the codes of the city's districts: besides the one city-wide envelope ("city"), each envelope is
 * named by one of them. Every problem is reported with its path; checks that compare several values
 * run wherever those values are themselves valid, so independent problems are all reported at once.
 */
export function campaignDefinitionSchema(districts: readonly string[]) {
  const known = new Set(districts);
  const envelopeCode = code(CITY_ENVELOPE).refine((c) => c === CITY_ENVELOPE || known.has(c), {
    error: (issue) =>
      known.size
        ? `"${issue.input}" is neither "${CITY_ENVELOPE}" nor one of the city’s districts (${[...known].join(', ')})`
        : `"${issue.input}" is not "${CITY_ENVELOPE}", and the city has no districts`,
  });
  const envelopeSchema = z
    .strictObject({
      code: envelopeCode,
      label: localizedSchema,
      amount: amountSchema,
      ballotRules: ballotRulesJson,
      winnerRule: winnerRuleSchema,
      reserved: reservedListSchema.default([]),
    })
    .superRefine((e, ctx) => {
      for (const p of reservedProblems(e.amount, e.reserved))
        ctx.addIssue({ code: 'custom', path: p.field.split('.'), message: p.message });
    });
  return z.strictObject({
    code: code('paris-2026'),
    title: localizedSchema,
    status: z.enum(CAMPAIGN_STATUSES, { error: `must be one of ${CAMPAIGN_STATUSES.map((s) => `"${s}"`).join(', ')}` }).default('draft'),
    phases: phasesSchema,
    envelopes: z
      .array(envelopeSchema, { error: 'must be a list' })
      .min(1, `must list at least the city-wide envelope ("${CITY_ENVELOPE}")`)
      .superRefine((list, ctx) => {
        duplicates(ctx, list, 'envelope', 'envelopes');
        if (!list.some((e) => e.code === CITY_ENVELOPE)) {
          ctx.addIssue({ code: 'custom', path: [], message: `must include the city-wide envelope ("${CITY_ENVELOPE}")` });
        }
      }),
    themes: z
      .array(themeSchema, { error: 'must be a list' })
      .min(1, 'must list at least one theme')
      .superRefine((list, ctx) => duplicates(ctx, list, 'theme', 'themes')),
  });
}

/** What a city writes (status and reserved amounts may be left out). */
export type CampaignDefinitionInput = z.input<ReturnType<typeof campaignDefinitionSchema>>;
export type CampaignDefinition = z.output<ReturnType<typeof campaignDefinitionSchema>>;
export type EnvelopeDefinition = CampaignDefinition['envelopes'][number];

/** Zod's issues as the kernel's field problems: dotted paths ("envelopes.2.reserved.0.amount"). */
export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message }));
}

/** One line per problem, for the error's message (shown as is to whoever sent the definition). */
export function describeProblems(problems: readonly FieldProblem[]): string {
  return problems.map((p) => `${p.field || '(definition)'}: ${p.message}`).join('; ');
}
