import { createHash } from 'node:crypto';
import type { Trx } from '../../../kernel/db/transaction.js';
import { nowMs } from '../../../kernel/db/values.js';
import type { FieldProblem } from '../../../kernel/http/errors.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { type Eligibility, eligibilitySchema, loadEligibility, OPEN_ELIGIBILITY, setEligibility } from '../voting/eligibility.js';
import { assertMayManage, type CampaignActing } from './access.js';
import { createCampaign } from './create.js';
import { campaignDefinitionSchema, type EnvelopeDefinition, fieldProblems } from './definition.js';
import { addEnvelope, removeEnvelope } from './envelope-set.js';
import { type EnvelopeChanges, updateEnvelope } from './envelopes.js';
import { campaignError, invalid } from './errors.js';
import { lockedCampaign } from './rows.js';
import { type Campaign, type Envelope, loadCampaign } from './store.js';
import { updateCampaign } from './update.js';

/**
 * A whole campaign as the back office's form gives it: the definition (campaigns/definition.ts) and
 * who may vote (voting/eligibility.ts). The form is saved as one: every problem of both is reported
 * at once, then the domain functions write it in the caller's transaction, each with its own rules
 * (the freeze among them) — a refusal by any of them rolls the whole form back.
 */
export interface CampaignInput {
  definition: unknown;
  eligibility: unknown;
}

/** Every problem of a form at once, with the definition's paths; eligibility's under "eligibility.". */
export function campaignProblems(kernel: Kernel, input: CampaignInput): FieldProblem[] {
  const definition = campaignDefinitionSchema(kernel.districts.all.map((d) => d.code)).safeParse(input.definition);
  const eligibility = eligibilitySchema.safeParse(input.eligibility);
  return [
    ...(definition.success ? [] : fieldProblems(definition.error)),
    ...(eligibility.success ? [] : fieldProblems(eligibility.error).map((p) => ({ ...p, field: `eligibility.${p.field}` }))),
  ];
}

function assertValid(kernel: Kernel, input: CampaignInput) {
  const problems = campaignProblems(kernel, input);
  if (problems.length) throw invalid('invalid-campaign', 'The campaign', problems);
  return {
    definition: campaignDefinitionSchema(kernel.districts.all.map((d) => d.code)).parse(input.definition),
    eligibility: eligibilitySchema.parse(input.eligibility) as Eligibility,
  };
}

const sameEligibility = (a: Eligibility, b: Eligibility) =>
  a.minimumAge === b.minimumAge && a.residenceRequired === b.residenceRequired && a.assuranceLevel === b.assuranceLevel;

/** Creates a campaign and, unless anyone may vote, its eligibility rules. */
export async function createCampaignFromForm(
  trx: Trx,
  kernel: Kernel,
  acting: CampaignActing,
  input: CampaignInput,
  options: { now?: Date } = {},
): Promise<Campaign> {
  await assertMayManage(trx, kernel, acting);
  const { definition, eligibility } = assertValid(kernel, input);
  const campaign = await createCampaign(trx, kernel, acting, definition, options);
  if (!sameEligibility(eligibility, OPEN_ELIGIBILITY)) await setEligibility(trx, kernel, acting, campaign.code, eligibility, options);
  return campaign;
}

/** JSON with sorted keys: rules stored by older code or the demo may list their settings in another order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** What differs between an envelope as stored and as the form gives it, in `updateEnvelope`'s terms. */
export function envelopeChanges(stored: Envelope, wanted: EnvelopeDefinition): EnvelopeChanges {
  const changes: EnvelopeChanges = {};
  if (canonical(stored.label) !== canonical(wanted.label)) changes.label = wanted.label;
  if (stored.amount !== wanted.amount) changes.amount = wanted.amount;
  if (canonical(stored.reserved) !== canonical(wanted.reserved)) changes.reserved = wanted.reserved;
  if (canonical(stored.ballotRules) !== canonical(wanted.ballotRules)) changes.ballotRules = wanted.ballotRules;
  if (stored.winnerRule !== wanted.winnerRule) changes.winnerRule = wanted.winnerRule;
  return changes;
}

/**
 * What the agent saw of a campaign's configuration (not its revision, which every project decision
 * raises): the form carries it, and a campaign configured differently since is refused rather than
 * overwritten with what the agent never saw.
 */
export function campaignFingerprint(campaign: Campaign, eligibility: Eligibility): string {
  const { title, status, phases, envelopes, themes } = campaign;
  const config = canonical({ title, status, phases, envelopes: envelopes.map(({ frozenAt: _, ...e }) => e), themes, eligibility });
  return createHash('sha256').update(config).digest('hex').slice(0, 32);
}

/**
 * Saves the form of an existing campaign (its code cannot change: `input.definition.code` is
 * ignored). Only what differs is written, so a campaign whose vote has opened can still get a new
 * title or dated results, while any change to its envelopes, rules or eligibility is refused by the
 * domain (`frozen`). `fingerprint`, when given, is `campaignFingerprint` of the campaign the form
 * was filled in from (409 `campaign-changed` when it was configured differently since).
 */
export async function editCampaignFromForm(
  trx: Trx,
  kernel: Kernel,
  acting: CampaignActing,
  campaignCode: string,
  input: CampaignInput,
  options: { now?: Date; fingerprint?: string } = {},
): Promise<Campaign> {
  await assertMayManage(trx, kernel, acting);
  // Taken first, so that the campaign compared below is the one written.
  const stored = await lockedCampaign(trx, campaignCode);
  const storedEligibility = await loadEligibility(trx, stored.id);
  if (options.fingerprint !== undefined && options.fingerprint !== campaignFingerprint(stored, storedEligibility)) {
    throw campaignError('campaign-changed', `Campaign "${campaignCode}" was configured differently since the form was read.`, [
      { field: 'code', message: 'changed meanwhile' },
    ]);
  }
  const { definition, eligibility } = assertValid(kernel, {
    ...input,
    definition: { ...(input.definition as object), code: campaignCode },
  });
  const now = options.now ?? new Date(nowMs());
  const { title, status, phases, themes } = definition;
  await updateCampaign(trx, kernel, acting, campaignCode, { title, status, phases, themes }, { now });

  const wanted = new Set(definition.envelopes.map((e) => e.code));
  for (const envelope of stored.envelopes.filter((e) => !wanted.has(e.code))) {
    await removeEnvelope(trx, kernel, acting, campaignCode, envelope.code, { now });
  }
  for (const envelope of definition.envelopes) {
    const before = stored.envelopes.find((e) => e.code === envelope.code);
    if (!before) {
      await addEnvelope(trx, kernel, acting, campaignCode, envelope, { now });
      continue;
    }
    const changes = envelopeChanges(before, envelope);
    if (Object.keys(changes).length) await updateEnvelope(trx, kernel, acting, campaignCode, envelope.code, changes, { now });
  }
  if (!sameEligibility(eligibility, storedEligibility)) {
    await setEligibility(trx, kernel, acting, campaignCode, eligibility, { now });
  }
  return (await loadCampaign(trx, campaignCode))!;
}
