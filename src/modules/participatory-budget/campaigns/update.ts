import type { z } from 'zod';
import type { Trx } from '../../../kernel/db/transaction.js';
import { nowIso, nowMs } from '../../../kernel/db/values.js';
import type { FieldProblem } from '../../../kernel/http/errors.js';
import { audit } from '../../../kernel/identity/audit.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { assertMayManage, type CampaignActing } from './access.js';
import { campaignDefinitionSchema, fieldProblems } from './definition.js';
import { campaignError, invalid } from './errors.js';
import { isFrozen } from './phases.js';
import { insertPhases, insertThemes, lockedCampaign } from './rows.js';
import { type Campaign, loadCampaign, type Phase } from './store.js';

/** What `updateCampaign` changes: everything of a campaign but its code (stable) and its envelopes (envelopes.ts). */
export type CampaignChanges = z.input<ReturnType<typeof campaignChangesSchema>>;

/** The definition's own checks for these parts (phases in order, themes unique…), so both paths agree. */
function campaignChangesSchema(districts: readonly string[]) {
  return campaignDefinitionSchema(districts).pick({ title: true, status: true, phases: true, themes: true });
}

const utc = (iso: string) => new Date(iso).toISOString();

/** The phases up to the vote, in UTC: what residents were told before voting and must not move under them. */
function phasesUpToVote(phases: readonly Pick<Phase, 'phase' | 'startsAt' | 'endsAt'>[]): string {
  const end = phases.findIndex((p) => p.phase === 'vote');
  return JSON.stringify(phases.slice(0, end + 1).map((p) => [p.phase, utc(p.startsAt), p.endsAt === null ? null : utc(p.endsAt)]));
}

/**
 * Changes a campaign's title, status, phases and themes, in the caller's transaction, with an audit
 * entry. After taking the campaign's row (`lockCampaign`, so the freeze or another agent's change
 * cannot interleave):
 *   - once the vote has opened, the phases up to and including the vote stay as they were (409
 *     `frozen`): moving the vote under voters' feet is the pain point this module exists to avoid;
 *     later phases (results, execution) may still be dated;
 *   - a theme that a proposal or a project uses may not be removed (its label may change).
 */
export async function updateCampaign(
  trx: Trx,
  kernel: Kernel,
  acting: CampaignActing,
  campaignCode: string,
  input: unknown,
  options: { now?: Date } = {},
): Promise<Campaign> {
  await assertMayManage(trx, kernel, acting);
  const parsed = campaignChangesSchema(kernel.districts.all.map((d) => d.code)).safeParse(input);
  if (!parsed.success) throw invalid('invalid-campaign', 'The campaign change', fieldProblems(parsed.error));
  const changes = parsed.data;
  const now = options.now ?? new Date(nowMs());

  const before = await lockedCampaign(trx, campaignCode);
  const newPhases = changes.phases.map((p) => ({ phase: p.phase, startsAt: p.startsAt, endsAt: p.endsAt ?? null }));
  if (isFrozen(before, now) && phasesUpToVote(newPhases) !== phasesUpToVote(before.phases)) {
    throw campaignError('frozen', `The vote of campaign "${campaignCode}" has opened: the phases up to the vote can no longer change.`, [
      { field: 'phases', message: 'frozen since the vote opened' },
    ]);
  }
  const problems = await themesInUse(trx, before, new Set(changes.themes.map((t) => t.code)));
  if (problems.length) throw invalid('invalid-campaign', 'The campaign change', problems);

  await trx
    .updateTable('pb_campaigns')
    .set({ title_fr: changes.title.fr, title_en: changes.title.en, status: changes.status, updated_at: nowIso() })
    .where('id', '=', before.id)
    .execute();
  await trx.deleteFrom('pb_phases').where('campaign_id', '=', before.id).execute();
  await insertPhases(trx, before.id, changes.phases);
  // Proposals and projects name themes by code, never by row id: the rows may be written afresh.
  await trx.deleteFrom('pb_themes').where('campaign_id', '=', before.id).execute();
  await insertThemes(trx, before.id, changes.themes);
  await audit(trx, {
    actor: acting.actor,
    action: 'participatory-budget.campaign.update',
    resourceType: 'pb-campaign',
    resourceId: before.id,
    ip: acting.ip ?? null,
    details: {
      code: campaignCode,
      before: { title: before.title, status: before.status, phases: before.phases, themes: before.themes.map((t) => t.code) },
      after: { title: changes.title, status: changes.status, phases: newPhases, themes: changes.themes.map((t) => t.code) },
    },
  });
  return (await loadCampaign(trx, campaignCode))!;
}

/** A problem for each theme left out of the list while a proposal or a project still uses it. */
async function themesInUse(trx: Trx, campaign: Campaign, kept: ReadonlySet<string>): Promise<FieldProblem[]> {
  const removed = campaign.themes.map((t) => t.code).filter((code) => !kept.has(code));
  if (removed.length === 0) return [];
  const used = new Set<string | null>();
  for (const table of ['pb_proposals', 'pb_projects'] as const) {
    const rows = await trx
      .selectFrom(table)
      .select('theme_code')
      .distinct()
      .where('campaign_id', '=', campaign.id)
      .where('theme_code', 'in', removed)
      .execute();
    for (const row of rows) used.add(row.theme_code);
  }
  return removed
    .filter((code) => used.has(code))
    .map((code) => ({ field: 'themes', message: `theme "${code}" is used by proposals or projects and cannot be removed` }));
}
