import type { Trx } from '../../../kernel/db/transaction.js';
import { newId, toJson } from '../../../kernel/db/values.js';
import type { CampaignDefinition, EnvelopeDefinition } from './definition.js';
import { campaignError } from './errors.js';
import { type Campaign, loadCampaign, lockCampaign } from './store.js';

/** Writing a campaign's rows, the same for a new campaign (create.ts) and a changed one (update.ts, envelope changes). */

const utc = (iso: string) => new Date(iso).toISOString();

/** A campaign's phases, in the order given, times in UTC. */
export async function insertPhases(trx: Trx, campaignId: string, phases: CampaignDefinition['phases']): Promise<void> {
  await trx
    .insertInto('pb_phases')
    .values(
      phases.map((p, position) => ({
        id: newId(),
        campaign_id: campaignId,
        phase: p.phase,
        position,
        starts_at: utc(p.startsAt),
        ends_at: p.endsAt === undefined ? null : utc(p.endsAt),
      })),
    )
    .execute();
}

/** A campaign's themes, in the order given. */
export async function insertThemes(trx: Trx, campaignId: string, themes: CampaignDefinition['themes']): Promise<void> {
  await trx
    .insertInto('pb_themes')
    .values(
      themes.map((t, position) => ({
        id: newId(),
        campaign_id: campaignId,
        code: t.code,
        label_fr: t.label.fr,
        label_en: t.label.en,
        position,
      })),
    )
    .execute();
}

/** An envelope's reserved amounts, in the order given. */
export async function insertReservedAmounts(trx: Trx, envelopeId: string, reserved: EnvelopeDefinition['reserved']): Promise<void> {
  if (reserved.length === 0) return;
  await trx
    .insertInto('pb_reserved_amounts')
    .values(
      reserved.map((r, position) => ({
        id: newId(),
        envelope_id: envelopeId,
        code: r.code,
        label_fr: r.label.fr,
        label_en: r.label.en,
        amount: r.amount,
        position,
      })),
    )
    .execute();
}

/** An envelope of a campaign with its reserved amounts; returns its id. */
export async function insertEnvelope(
  trx: Trx,
  campaignId: string,
  e: EnvelopeDefinition,
  row: { position: number; frozenAt: string | null; at: string },
): Promise<string> {
  const id = newId();
  await trx
    .insertInto('pb_envelopes')
    .values({
      id,
      campaign_id: campaignId,
      code: e.code,
      label_fr: e.label.fr,
      label_en: e.label.en,
      amount: e.amount,
      ballot_rules: toJson(e.ballotRules),
      winner_rule: e.winnerRule,
      frozen_at: row.frozenAt,
      position: row.position,
      created_at: row.at,
      updated_at: row.at,
    })
    .execute();
  await insertReservedAmounts(trx, id, e.reserved);
  return id;
}

/** The campaign, read after taking its row (`lockCampaign`), or 404 `campaign-unknown`. */
export async function lockedCampaign(trx: Trx, campaignCode: string): Promise<Campaign> {
  const campaign = (await lockCampaign(trx, campaignCode)) && (await loadCampaign(trx, campaignCode));
  if (!campaign) throw campaignError('campaign-unknown', `There is no campaign "${campaignCode}".`);
  return campaign;
}
