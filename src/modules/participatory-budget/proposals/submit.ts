import type { Trx } from '../../../kernel/db/transaction.js';
import { newId, nowIso, nowMs } from '../../../kernel/db/values.js';
import { createDemand } from '../../../kernel/demands/demands.js';
import type { FieldProblem } from '../../../kernel/http/errors.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { CITY_ENVELOPE } from '../campaigns/definition.js';
import { currentPhase } from '../campaigns/phases.js';
import { type Campaign, loadCampaign } from '../campaigns/store.js';
import { envelopeUnitPath } from './access.js';
import { proposalError } from './errors.js';
import { STEPS, tellStage } from './stages.js';

export const TITLE_MAX = 120;
export const DESCRIPTION_MAX = 4000;
export const IMAGES_MAX = 3;
export const COAUTHORS_MAX = 5;
/** A sanity bound on an estimate (a typo of many zeros), far above any envelope. */
export const COST_MAX = 1_000_000_000;
export const PROPOSAL_DEMAND_TYPE = 'participatory-budget:proposal';

export interface NewProposal {
  accountId: string;
  title: string;
  description: string;
  /** Whole euros. */
  cost: number;
  theme: string;
  /** "city" or a district code among the campaign's envelopes. */
  envelope: string;
  address?: string | null;
  point?: { lat: number; lng: number } | null;
  /** Uploaded image ids (pending in the files service). */
  imageIds?: readonly string[];
  /** E-mail addresses of other residents' accounts. */
  coauthorEmails?: readonly string[];
}

export const proposalLink = (campaignCode: string, id: string) => `/budget/${campaignCode}/proposals/${id}`;
export const filesOwner = (id: string) => `participatory-budget:proposal:${id}`;

/** The campaign, if its proposals are open at `now`; refusals say which of the two is wrong. */
export async function campaignTakingProposals(trx: Trx, campaignCode: string, now: Date): Promise<Campaign> {
  const campaign = await loadCampaign(trx, campaignCode);
  if (campaign?.status !== 'published') throw proposalError('proposal-unknown', `There is no campaign "${campaignCode}".`);
  if (currentPhase(campaign, now)?.phase !== 'proposals') {
    throw proposalError('not-proposals-phase', `Campaign "${campaignCode}" is not in its proposals phase.`);
  }
  return campaign;
}

async function problemsOf(trx: Trx, kernel: Kernel, campaign: Campaign, input: NewProposal) {
  const problems: FieldProblem[] = [];
  const key = (name: string) => `participatory-budget.proposal.errors.${name}`;
  const title = input.title.trim();
  const description = input.description.trim();
  if (!title) problems.push({ field: 'title', message: key('title-required') });
  else if (title.length > TITLE_MAX) problems.push({ field: 'title', message: key('title-too-long') });
  if (!description) problems.push({ field: 'description', message: key('description-required') });
  else if (description.length > DESCRIPTION_MAX) problems.push({ field: 'description', message: key('description-too-long') });
  if (!Number.isSafeInteger(input.cost) || input.cost < 1 || input.cost > COST_MAX) problems.push({ field: 'cost', message: key('cost') });
  if (!campaign.themes.some((t) => t.code === input.theme)) problems.push({ field: 'theme', message: key('theme') });
  if (!campaign.envelopes.some((e) => e.code === input.envelope)) problems.push({ field: 'envelope', message: key('envelope') });
  if (input.point) {
    const { lat, lng } = input.point;
    const district = Number.isFinite(lat) && Number.isFinite(lng) ? kernel.districts.locate([lng, lat]) : undefined;
    if (!district) problems.push({ field: 'place', message: key('point-outside') });
    // A district's proposal is placed in that district; a city-wide one anywhere in the city.
    else if (input.envelope !== CITY_ENVELOPE && district.code !== input.envelope) {
      problems.push({ field: 'place', message: key('point-other-district') });
    }
  }
  if ((input.imageIds?.length ?? 0) > IMAGES_MAX) problems.push({ field: 'images', message: key('too-many-images') });
  const emails = [...new Set((input.coauthorEmails ?? []).map((e) => e.trim().toLowerCase()).filter(Boolean))];
  let coauthors: string[] = [];
  if (emails.length > COAUTHORS_MAX) problems.push({ field: 'coauthors', message: key('too-many-coauthors') });
  else if (emails.length) {
    const found = await trx
      .selectFrom('accounts')
      .select(['id', 'email'])
      .where('kind', '=', 'citizen')
      .where('status', '=', 'active')
      .where((eb) => eb.fn('lower', ['email']), 'in', emails)
      .execute();
    const known = new Set(found.map((a) => a.email.toLowerCase()));
    if (emails.some((e) => !known.has(e))) problems.push({ field: 'coauthors', message: key('coauthor-unknown') });
    coauthors = found.map((a) => a.id).filter((id) => id !== input.accountId);
  }
  return { problems, title, description, coauthors };
}

/**
 * Files a resident's proposal during the campaign's proposals phase, in the caller's transaction:
 * the proposal (waiting for moderation), its images and co-authors, the author's demand and receipt.
 * Bad input is refused with every problem named (message keys) and nothing is stored.
 */
export async function submitProposal(
  trx: Trx,
  kernel: Kernel,
  campaignCode: string,
  input: NewProposal,
  options: { now?: Date } = {},
): Promise<{ id: string; reference: string }> {
  const campaign = await campaignTakingProposals(trx, campaignCode, options.now ?? new Date(nowMs()));
  const { problems, title, description, coauthors } = await problemsOf(trx, kernel, campaign, input);
  if (problems.length) throw proposalError('invalid-proposal', 'The proposal is incomplete or invalid.', problems);

  const id = newId();
  const now = nowIso();
  const link = proposalLink(campaign.code, id);
  const demand = await createDemand(trx, kernel, {
    type: PROPOSAL_DEMAND_TYPE,
    accountId: input.accountId,
    title,
    subject: `participatory-budget:proposal:${campaign.code}:${id}`,
    link,
    unitPath: await envelopeUnitPath(trx, kernel, input.envelope),
    steps: STEPS,
  });
  await trx
    .insertInto('pb_proposals')
    .values({
      id,
      campaign_id: campaign.id,
      envelope_code: input.envelope,
      reference: demand.reference,
      account_id: input.accountId,
      demand_id: demand.id,
      title,
      description,
      cost: input.cost,
      theme_code: input.theme,
      address: input.address?.trim() || null,
      lat: input.point?.lat ?? null,
      lng: input.point?.lng ?? null,
      status: 'submitted',
      removal_reason: null,
      project_id: null,
      supports: 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  if (input.imageIds?.length) await kernel.files.attach(trx, input.imageIds, filesOwner(id));
  if (coauthors.length) {
    await trx
      .insertInto('pb_proposal_coauthors')
      .values(coauthors.map((accountId) => ({ proposal_id: id, account_id: accountId })))
      .execute();
  }
  const told = { id, demand_id: demand.id, account_id: input.accountId, reference: demand.reference, title, link };
  await tellStage(trx, kernel, [told], 'submitted');
  return { id, reference: demand.reference };
}
