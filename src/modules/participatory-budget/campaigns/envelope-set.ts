import type { Trx } from '../../../kernel/db/transaction.js';
import { nowIso, nowMs } from '../../../kernel/db/values.js';
import { audit } from '../../../kernel/identity/audit.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { assertMayManage, type CampaignActing } from './access.js';
import { CITY_ENVELOPE, campaignDefinitionSchema, fieldProblems } from './definition.js';
import { campaignError, invalid } from './errors.js';
import { isFrozen } from './phases.js';
import { insertEnvelope, lockedCampaign } from './rows.js';
import type { Campaign } from './store.js';

/**
 * Adding and removing a district's envelope before the vote (a city decides late that a district gets
 * its own money, or not). Changing an envelope is `updateEnvelope` (envelopes.ts). Both begin by
 * taking the campaign's row and are refused with `frozen` once the vote has opened, like every
 * change to the money and the rules.
 */

async function lockedOpenCampaign(trx: Trx, campaignCode: string, now: Date): Promise<Campaign> {
  const campaign = await lockedCampaign(trx, campaignCode);
  if (isFrozen(campaign, now)) {
    throw campaignError('frozen', `The vote of campaign "${campaignCode}" has opened: its envelopes can no longer change.`, [
      { field: 'envelopes', message: 'frozen since the vote opened' },
    ]);
  }
  return campaign;
}

/** Adds an envelope (checked as in a definition: a district of the city, reserved amounts within it) after the others. */
export async function addEnvelope(
  trx: Trx,
  kernel: Kernel,
  acting: CampaignActing,
  campaignCode: string,
  input: unknown,
  options: { now?: Date } = {},
): Promise<void> {
  await assertMayManage(trx, kernel, acting);
  const schema = campaignDefinitionSchema(kernel.districts.all.map((d) => d.code)).shape.envelopes.element;
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalid('invalid-envelope', 'The new envelope', fieldProblems(parsed.error));
  const e = parsed.data;
  const campaign = await lockedOpenCampaign(trx, campaignCode, options.now ?? new Date(nowMs()));
  if (campaign.envelopes.some((existing) => existing.code === e.code)) {
    throw invalid('invalid-envelope', 'The new envelope', [{ field: 'code', message: `envelope "${e.code}" already exists` }]);
  }
  const id = await insertEnvelope(trx, campaign.id, e, { position: campaign.envelopes.length, frozenAt: null, at: nowIso() });
  await audit(trx, {
    actor: acting.actor,
    action: 'participatory-budget.envelope.add',
    resourceType: 'pb-envelope',
    resourceId: id,
    ip: acting.ip ?? null,
    details: { campaign: campaignCode, envelope: e.code, amount: e.amount, ballotRules: e.ballotRules, winnerRule: e.winnerRule },
  });
}

/**
 * Removes a district's envelope with its reserved amounts. Refused for the city-wide envelope (every
 * campaign has one) and for an envelope that proposals or projects already belong to: they would
 * be left in no envelope.
 */
export async function removeEnvelope(
  trx: Trx,
  kernel: Kernel,
  acting: CampaignActing,
  campaignCode: string,
  envelopeCode: string,
  options: { now?: Date } = {},
): Promise<void> {
  await assertMayManage(trx, kernel, acting);
  if (envelopeCode === CITY_ENVELOPE) {
    throw invalid('invalid-envelope', 'The removal', [{ field: 'code', message: 'the city-wide envelope cannot be removed' }]);
  }
  const campaign = await lockedOpenCampaign(trx, campaignCode, options.now ?? new Date(nowMs()));
  const row = await trx
    .selectFrom('pb_envelopes')
    .select(['id', 'amount'])
    .where('campaign_id', '=', campaign.id)
    .where('code', '=', envelopeCode)
    .executeTakeFirst();
  if (!row) {
    throw campaignError('envelope-unknown', `Campaign "${campaignCode}" has no envelope "${envelopeCode}".`, [
      { field: 'envelope', message: 'unknown' },
    ]);
  }
  const proposal = await trx
    .selectFrom('pb_proposals')
    .select('id')
    .where('campaign_id', '=', campaign.id)
    .where('envelope_code', '=', envelopeCode)
    .executeTakeFirst();
  const project = await trx.selectFrom('pb_projects').select('id').where('envelope_id', '=', row.id).executeTakeFirst();
  if (proposal || project) {
    throw invalid('invalid-envelope', 'The removal', [
      { field: 'code', message: `envelope "${envelopeCode}" has proposals or projects and cannot be removed` },
    ]);
  }
  await trx.deleteFrom('pb_reserved_amounts').where('envelope_id', '=', row.id).execute();
  await trx.deleteFrom('pb_envelopes').where('id', '=', row.id).execute();
  await audit(trx, {
    actor: acting.actor,
    action: 'participatory-budget.envelope.remove',
    resourceType: 'pb-envelope',
    resourceId: row.id,
    ip: acting.ip ?? null,
    details: { campaign: campaignCode, envelope: envelopeCode, amount: Number(row.amount) },
  });
}
