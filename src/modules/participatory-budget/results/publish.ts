import type { Trx } from '../../../kernel/db/transaction.js';
import { fromJson, newId, nowIso, toJson } from '../../../kernel/db/values.js';
import { audit } from '../../../kernel/identity/audit.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { CampaignActing } from '../campaigns/access.js';
import { startTracking } from '../tracking/start.js';
import { assertMayPublishResults } from './access.js';
import { campaignOrFail, overridesOf, storedOutcome, withOverrides } from './compute.js';
import { resultsError } from './errors.js';

export interface OverrideInput {
  envelopeCode: string;
  projectCode: string;
  /** fund: funded although the rule did not; exclude: not funded although the rule did. */
  decision: 'fund' | 'exclude';
  reason: string;
}

/** The envelope's computed, unpublished result, or the refusal that says why not. */
async function openResult(trx: Trx, campaignId: string, envelopeCode: string) {
  const envelope = await trx
    .selectFrom('pb_envelopes')
    .select(['id', 'code'])
    .where('campaign_id', '=', campaignId)
    .where('code', '=', envelopeCode)
    .executeTakeFirst();
  if (!envelope) throw resultsError('envelope-unknown', `This campaign has no envelope "${envelopeCode}".`);
  const result = await trx.selectFrom('pb_results').selectAll().where('envelope_id', '=', envelope.id).executeTakeFirst();
  if (!result) throw resultsError('results-not-computed', 'Compute the results first: an override corrects a computed result.');
  if (result.published_at) throw resultsError('results-published', 'The results of this campaign are published: they are final.');
  return { envelope, result };
}

/**
 * An authorised agent's correction of a computed result (a project found unbuildable after the
 * vote, a legal obligation…): the reason is mandatory and published next to the result. One
 * override per project; a new one replaces it. The funded list is recomputed at once.
 */
export async function overrideResult(
  trx: Trx,
  kernel: Kernel,
  acting: CampaignActing & { actor: { kind: 'agent' } },
  campaignCode: string,
  input: OverrideInput,
): Promise<string[]> {
  await assertMayPublishResults(trx, kernel, acting);
  const campaign = await campaignOrFail(trx, campaignCode);
  const reason = input.reason.trim();
  if (reason.length < 10) {
    throw resultsError(
      'invalid-override',
      'Give the reason for this correction (at least 10 characters): it is published with the results.',
      [{ field: 'reason', message: 'is required (at least 10 characters)' }],
    );
  }
  if (input.decision !== 'fund' && input.decision !== 'exclude') {
    throw resultsError('invalid-override', 'The decision must be "fund" or "exclude".', [
      { field: 'decision', message: 'must be fund or exclude' },
    ]);
  }
  const { envelope, result } = await openResult(trx, campaign.id, input.envelopeCode);
  const outcome = storedOutcome(result.outcome);
  const project = outcome.projects.find((p) => p.code === input.projectCode);
  const row = await trx
    .selectFrom('pb_projects')
    .select('id')
    .where('campaign_id', '=', campaign.id)
    .where('code', '=', input.projectCode)
    .executeTakeFirst();
  if (!project || !row)
    throw resultsError('project-unknown', `The envelope "${envelope.code}" has no project "${input.projectCode}" on its ballot.`);
  if (project.fundedByRule === (input.decision === 'fund')) {
    throw resultsError(
      'invalid-override',
      `The rule already ${input.decision === 'fund' ? 'funds' : 'leaves out'} project "${input.projectCode}": there is nothing to correct.`,
      [{ field: 'decision', message: 'is what the rule decided' }],
    );
  }
  const values = { decision: input.decision, reason, agent_id: acting.actor.account.id, at: nowIso() };
  await trx
    .insertInto('pb_result_overrides')
    .values({ id: newId(), envelope_id: envelope.id, project_id: row.id, ...values })
    .onConflict((oc) => oc.columns(['envelope_id', 'project_id']).doUpdateSet(values))
    .execute();
  const selected = withOverrides(outcome, await overridesOf(trx, envelope.id));
  await trx
    .updateTable('pb_results')
    .set({ selected: toJson(selected) })
    .where('envelope_id', '=', envelope.id)
    .execute();
  await audit(trx, {
    actor: acting.actor,
    ip: acting.ip ?? null,
    action: 'participatory-budget.results.override',
    resourceType: 'participatory-budget:project',
    resourceId: input.projectCode,
    details: { campaign: campaign.code, envelope: envelope.code, decision: input.decision, reason },
  });
  return selected;
}

/**
 * Publishes every envelope's result at once (the public pages show them from then on, and they are
 * final) and makes the funded projects tracked results, in the same transaction.
 */
export async function publishResults(trx: Trx, kernel: Kernel, acting: CampaignActing, campaignCode: string): Promise<number> {
  await assertMayPublishResults(trx, kernel, acting);
  const campaign = await campaignOrFail(trx, campaignCode);
  const envelopes = await trx.selectFrom('pb_envelopes').select(['id']).where('campaign_id', '=', campaign.id).execute();
  const results = await trx
    .selectFrom('pb_results')
    .selectAll()
    .where(
      'envelope_id',
      'in',
      envelopes.map((e) => e.id),
    )
    .execute();
  if (results.length < envelopes.length)
    throw resultsError('results-not-computed', 'Compute the results of every envelope before publishing them.');
  if (results.some((r) => r.published_at))
    throw resultsError('results-published', 'The results of this campaign are published: they are final.');
  await trx
    .updateTable('pb_results')
    .set({ published_at: nowIso() })
    .where(
      'envelope_id',
      'in',
      envelopes.map((e) => e.id),
    )
    .execute();
  const codes = results.flatMap((r) => fromJson<string[]>(r.selected, []));
  const funded = codes.length
    ? await trx.selectFrom('pb_projects').select('id').where('campaign_id', '=', campaign.id).where('code', 'in', codes).execute()
    : [];
  await startTracking(
    trx,
    kernel,
    funded.map((p) => p.id),
  );
  await audit(trx, {
    actor: acting.actor,
    ip: acting.ip ?? null,
    action: 'participatory-budget.results.publish',
    resourceType: 'participatory-budget:campaign',
    resourceId: campaign.code,
    details: { funded: codes },
  });
  return codes.length;
}
