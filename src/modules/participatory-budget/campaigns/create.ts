import type { Trx } from '../../../kernel/db/transaction.js';
import { newId, nowIso, nowMs, toJson } from '../../../kernel/db/values.js';
import { audit } from '../../../kernel/identity/audit.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { assertMayManage, type CampaignActing } from './access.js';
import { type CampaignDefinition, CITY_ENVELOPE, campaignDefinitionSchema, fieldProblems } from './definition.js';
import { campaignError, invalid } from './errors.js';
import { type Campaign, loadCampaign } from './store.js';

const utc = (iso: string) => new Date(iso).toISOString();

/** Checks a definition against the city's districts; every problem at once, with its path. */
export function parseCampaignDefinition(kernel: Kernel, input: unknown): CampaignDefinition {
  const parsed = campaignDefinitionSchema(kernel.districts.all.map((d) => d.code)).safeParse(input);
  if (!parsed.success) throw invalid('invalid-campaign', 'The campaign definition', fieldProblems(parsed.error));
  return parsed.data;
}

/**
 * Creates a campaign from its definition, in the caller's transaction, with an audit entry: the
 * campaign, its phases, envelopes (the city-wide one first) with their reserved amounts, and themes.
 * Times are stored in UTC. A campaign whose vote has already opened (a past campaign imported) has
 * its envelopes frozen from the start.
 */
export async function createCampaign(
  trx: Trx,
  kernel: Kernel,
  acting: CampaignActing,
  input: unknown,
  options: { now?: Date } = {},
): Promise<Campaign> {
  await assertMayManage(trx, kernel, acting);
  const def = parseCampaignDefinition(kernel, input);
  const now = options.now ?? new Date(nowMs());
  if (await trx.selectFrom('pb_campaigns').select('id').where('code', '=', def.code).executeTakeFirst()) {
    throw campaignError('campaign-exists', `A campaign with code "${def.code}" already exists; codes are stable, choose another.`, [
      { field: 'code', message: `"${def.code}" is already used` },
    ]);
  }
  const id = newId();
  const at = nowIso();
  await trx
    .insertInto('pb_campaigns')
    .values({
      id,
      code: def.code,
      title_fr: def.title.fr,
      title_en: def.title.en,
      status: def.status,
      revision: 0,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await trx
    .insertInto('pb_phases')
    .values(
      def.phases.map((p, position) => ({
        id: newId(),
        campaign_id: id,
        phase: p.phase,
        position,
        starts_at: utc(p.startsAt),
        ends_at: p.endsAt === undefined ? null : utc(p.endsAt),
      })),
    )
    .execute();
  const voteStart = utc(def.phases.find((p) => p.phase === 'vote')!.startsAt);
  const frozenAt = Date.parse(voteStart) <= now.getTime() ? voteStart : null;
  const envelopes = [...def.envelopes.filter((e) => e.code === CITY_ENVELOPE), ...def.envelopes.filter((e) => e.code !== CITY_ENVELOPE)];
  for (const [position, e] of envelopes.entries()) {
    const envelopeId = newId();
    await trx
      .insertInto('pb_envelopes')
      .values({
        id: envelopeId,
        campaign_id: id,
        code: e.code,
        label_fr: e.label.fr,
        label_en: e.label.en,
        amount: e.amount,
        ballot_rules: toJson(e.ballotRules),
        winner_rule: e.winnerRule,
        frozen_at: frozenAt,
        position,
        created_at: at,
        updated_at: at,
      })
      .execute();
    if (e.reserved.length) {
      await trx
        .insertInto('pb_reserved_amounts')
        .values(
          e.reserved.map((r, i) => ({
            id: newId(),
            envelope_id: envelopeId,
            code: r.code,
            label_fr: r.label.fr,
            label_en: r.label.en,
            amount: r.amount,
            position: i,
          })),
        )
        .execute();
    }
  }
  await trx
    .insertInto('pb_themes')
    .values(
      def.themes.map((t, position) => ({
        id: newId(),
        campaign_id: id,
        code: t.code,
        label_fr: t.label.fr,
        label_en: t.label.en,
        position,
      })),
    )
    .execute();
  await audit(trx, {
    actor: acting.actor,
    action: 'participatory-budget.campaign.create',
    resourceType: 'pb-campaign',
    resourceId: id,
    ip: acting.ip ?? null,
    details: {
      code: def.code,
      phases: def.phases.map((p) => p.phase),
      envelopes: envelopes.map((e) => ({ code: e.code, amount: e.amount })),
      themes: def.themes.length,
      frozen: frozenAt !== null,
    },
  });
  return (await loadCampaign(trx, def.code))!;
}
