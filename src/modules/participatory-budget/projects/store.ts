import type { Selectable } from 'kysely';
import type { Executor, Trx } from '../../../kernel/db/transaction.js';
import { isFrozen } from '../campaigns/phases.js';
import { type Campaign, loadCampaign, lockCampaign } from '../campaigns/store.js';
import type { PbProjectsTable } from '../migrations/0002_projects.js';
import { proposalError } from '../proposals/errors.js';

/** study (being studied) | feasible | not-feasible | ballot | withdrawn: see migrations/0002_projects.ts. */
export type ProjectStatus = 'study' | 'feasible' | 'not-feasible' | 'ballot' | 'withdrawn';
export type Project = Selectable<PbProjectsTable> & { envelope_code: string };

/** A campaign's project by its code, with its envelope's code; undefined when there is none. */
export async function findProject(db: Executor, campaignId: string, code: string): Promise<Project | undefined> {
  const row = await db
    .selectFrom('pb_projects as p')
    .innerJoin('pb_envelopes as e', 'e.id', 'p.envelope_id')
    .selectAll('p')
    .select('e.code as envelope_code')
    .where('p.campaign_id', '=', campaignId)
    .where('p.code', '=', code)
    .executeTakeFirst();
  return row && { ...row, cost: Number(row.cost) };
}

/** A campaign's projects, by envelope then ballot order, optionally of some statuses only. */
export async function listProjects(db: Executor, campaignId: string, statuses?: readonly ProjectStatus[]): Promise<Project[]> {
  let query = db
    .selectFrom('pb_projects as p')
    .innerJoin('pb_envelopes as e', 'e.id', 'p.envelope_id')
    .selectAll('p')
    .select('e.code as envelope_code')
    .where('p.campaign_id', '=', campaignId);
  if (statuses?.length) query = query.where('p.status', 'in', statuses);
  const rows = await query.orderBy('e.position').orderBy('p.position').execute();
  return rows.map((r) => ({ ...r, cost: Number(r.cost) }));
}

/**
 * The campaign whose projects an agent changes, refused once its vote has opened (by the dates or
 * the freeze): the ballot must not change under voters. Takes the campaign's row first
 * (`lockCampaign`), so the change and the freeze when the vote opens cannot interleave.
 */
export async function campaignOpenForProjects(trx: Trx, campaignCode: string, now: Date): Promise<Campaign> {
  if (!(await lockCampaign(trx, campaignCode))) throw proposalError('project-unknown', `There is no campaign "${campaignCode}".`);
  const campaign = (await loadCampaign(trx, campaignCode))!;
  if (isFrozen(campaign, now)) {
    throw proposalError('vote-opened', `The vote of "${campaignCode}" has opened: its projects and ballot can no longer change.`);
  }
  return campaign;
}
