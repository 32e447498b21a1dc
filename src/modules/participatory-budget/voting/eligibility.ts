import { z } from 'zod';
import type { Executor, Trx } from '../../../kernel/db/transaction.js';
import { nowIso, nowMs } from '../../../kernel/db/values.js';
import { audit } from '../../../kernel/identity/audit.js';
import { type Attribute, LEVEL, levelOf } from '../../../kernel/identity/citizens/attributes.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { assertMayManage, type CampaignActing } from '../campaigns/access.js';
import { fieldProblems } from '../campaigns/definition.js';
import { campaignError } from '../campaigns/errors.js';
import { isFrozen } from '../campaigns/phases.js';
import { loadCampaign, lockCampaign } from '../campaigns/store.js';
import { voteError } from './errors.js';

/** Who may vote in a campaign (Paris: any age, residence stated, no identity check). */
export interface Eligibility {
  /** Years on the day of the vote; null: none. */
  minimumAge: number | null;
  /** The voter states that they live in the city when choosing their district. */
  residenceRequired: boolean;
  /** The level the voter's names and birth date need (0: none; LEVEL.self; LEVEL.identityProvider). */
  assuranceLevel: number;
}

/** A campaign without eligibility rules: any signed-in resident (whose e-mail address was verified). */
export const OPEN_ELIGIBILITY: Eligibility = { minimumAge: null, residenceRequired: false, assuranceLevel: 0 };

export const eligibilitySchema = z.strictObject({
  minimumAge: z.number().int('must be a whole number').min(1, 'must be at least 1').max(120, 'must be at most 120').nullable(),
  residenceRequired: z.boolean(),
  assuranceLevel: z.union([z.literal(0), z.literal(LEVEL.self), z.literal(LEVEL.identityProvider)], {
    error: `must be 0 (none), ${LEVEL.self} (typed by the person) or ${LEVEL.identityProvider} (an identity provider)`,
  }),
});

export async function loadEligibility(db: Executor, campaignId: string): Promise<Eligibility> {
  const row = await db
    .selectFrom('pb_eligibility')
    .select(['minimum_age', 'residence_required', 'assurance_level'])
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst();
  return eligibilityOf(row);
}

/** The rules of a `pb_eligibility` row (columns possibly null from an outer join); no row: OPEN_ELIGIBILITY. */
export function eligibilityOf(
  row: { minimum_age: number | null; residence_required: number | null; assurance_level: number | null } | undefined,
): Eligibility {
  if (!row || row.residence_required === null) return OPEN_ELIGIBILITY;
  return { minimumAge: row.minimum_age, residenceRequired: row.residence_required === 1, assuranceLevel: Number(row.assurance_level) };
}

/**
 * Sets who may vote, in the caller's transaction, with an audit entry; like the envelopes, refused
 * once the vote has opened (after taking the campaign's row, so the freeze cannot overtake it).
 */
export async function setEligibility(
  trx: Trx,
  kernel: Kernel,
  acting: CampaignActing,
  campaignCode: string,
  input: unknown,
  options: { now?: Date } = {},
): Promise<Eligibility> {
  await assertMayManage(trx, kernel, acting);
  const parsed = eligibilitySchema.safeParse(input);
  if (!parsed.success) throw voteError('invalid-eligibility', 'The eligibility rules are invalid.', fieldProblems(parsed.error));
  const locked = await lockCampaign(trx, campaignCode);
  const campaign = locked && (await loadCampaign(trx, campaignCode));
  if (!campaign) throw campaignError('campaign-unknown', `There is no campaign "${campaignCode}".`);
  if (isFrozen(campaign, options.now ?? new Date(nowMs()))) {
    throw campaignError('frozen', `The vote of campaign "${campaignCode}" has opened: who may vote can no longer change.`);
  }
  const e = parsed.data;
  const row = {
    minimum_age: e.minimumAge,
    residence_required: e.residenceRequired ? 1 : 0,
    assurance_level: e.assuranceLevel,
    updated_at: nowIso(),
  };
  await trx
    .insertInto('pb_eligibility')
    .values({ campaign_id: campaign.id, ...row })
    .onConflict((oc) => oc.column('campaign_id').doUpdateSet(row))
    .execute();
  await audit(trx, {
    actor: acting.actor,
    action: 'participatory-budget.eligibility.set',
    resourceType: 'pb-campaign',
    resourceId: campaign.id,
    ip: acting.ip ?? null,
    details: { campaign: campaignCode, ...e },
  });
  return e;
}

/** Why a person may not vote: each reason has a message saying what to do about it. */
export type IneligibleReason =
  | { code: 'assurance-level'; required: number; has: number }
  | { code: 'birthdate-missing' }
  | { code: 'too-young'; minimumAge: number };

/** Age in whole years on `day` (YYYY-MM-DD) of someone born on `birthdate` (YYYY-MM-DD). */
export function ageOn(birthdate: string, day: string): number {
  const [by, bm, bd] = birthdate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * What keeps a person from voting, from their identity attributes (empty: eligible). Residence is
 * not here: it is stated when choosing a district (see voters.ts).
 */
export function ineligibility(eligibility: Eligibility, attributes: Record<string, Attribute>, now: Date): IneligibleReason[] {
  const reasons: IneligibleReason[] = [];
  const level = levelOf(attributes);
  if (level < eligibility.assuranceLevel) reasons.push({ code: 'assurance-level', required: eligibility.assuranceLevel, has: level });
  if (eligibility.minimumAge !== null) {
    const birthdate = attributes.birthdate?.value;
    if (!birthdate) reasons.push({ code: 'birthdate-missing' });
    else if (ageOn(birthdate, now.toISOString().slice(0, 10)) < eligibility.minimumAge) {
      reasons.push({ code: 'too-young', minimumAge: eligibility.minimumAge });
    }
  }
  return reasons;
}
