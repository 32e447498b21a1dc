import type { Trx } from '../../../kernel/db/transaction.js';
import { newId, nowIso, nowMs } from '../../../kernel/db/values.js';
import { audit } from '../../../kernel/identity/audit.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { assertMayManage, type CampaignActing } from './access.js';
import { type CampaignDefinition, CITY_ENVELOPE, campaignDefinitionSchema, fieldProblems } from './definition.js';
import { campaignError, invalid } from './errors.js';
import { insertEnvelope, insertPhases, insertThemes } from './rows.js';
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
  await insertPhases(trx, id, def.phases);
  const voteStart = utc(def.phases.find((p) => p.phase === 'vote')!.startsAt);
  const frozenAt = Date.parse(voteStart) <= now.getTime() ? voteStart : null;
  const envelopes = [...def.envelopes.filter((e) => e.code === CITY_ENVELOPE), ...def.envelopes.filter((e) => e.code !== CITY_ENVELOPE)];
  for (const [position, e] of envelopes.entries()) await insertEnvelope(trx, id, e, { position, frozenAt, at });
  await insertThemes(trx, id, def.themes);
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
