import type { Selectable } from 'kysely';
import type { Executor } from '../../../kernel/db/transaction.js';
import type { PbProposalsTable } from '../migrations/0003_proposals.js';
import type { ProposalToTell } from './stages.js';
import { proposalLink } from './submit.js';

export type ProposalRow = Selectable<PbProposalsTable>;

/** A proposal with its campaign's code (for links), by id; undefined when there is none. */
export async function findProposal(db: Executor, id: string): Promise<(ProposalRow & { campaign_code: string }) | undefined> {
  const row = await db
    .selectFrom('pb_proposals as p')
    .innerJoin('pb_campaigns as c', 'c.id', 'p.campaign_id')
    .selectAll('p')
    .select('c.code as campaign_code')
    .where('p.id', '=', id)
    .executeTakeFirst();
  return row && { ...row, cost: Number(row.cost) };
}

/** What `tellStage` needs of a proposal. */
export function toTell(row: ProposalRow, campaignCode: string): ProposalToTell {
  return { ...row, link: proposalLink(campaignCode, row.id) };
}

/** The proposals merged into a project, oldest first. */
export async function proposalsOfProject(db: Executor, projectId: string): Promise<ProposalRow[]> {
  const rows = await db.selectFrom('pb_proposals').selectAll().where('project_id', '=', projectId).orderBy('created_at').execute();
  return rows.map((r) => ({ ...r, cost: Number(r.cost) }));
}
