import type { Trx } from '../../../kernel/db/transaction.js';
import { nowIso, nowMs } from '../../../kernel/db/values.js';
import { audit } from '../../../kernel/identity/audit.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { CampaignActing } from '../campaigns/access.js';
import { assertMayAct, PROJECTS_PERMISSION } from '../proposals/access.js';
import { proposalError } from '../proposals/errors.js';
import { tellStage } from '../proposals/stages.js';
import { proposalsOfProject, toTell } from '../proposals/store.js';
import { campaignOpenForProjects, findProject } from './store.js';

/**
 * Puts feasible projects on the ballot, in the caller's transaction, before the vote opens (refused
 * after: the ballot must not change under voters). Every project must be feasible (or already on
 * it) and in a unit where the agent holds the projects permission; otherwise nothing changes. The
 * authors of their proposals are told; each project is audited.
 */
export async function putOnBallot(
  trx: Trx,
  kernel: Kernel,
  acting: CampaignActing,
  campaignCode: string,
  projectCodes: readonly string[],
  options: { now?: Date } = {},
): Promise<number> {
  const campaign = await campaignOpenForProjects(trx, campaignCode, options.now ?? new Date(nowMs()));
  const projects = [];
  for (const code of new Set(projectCodes)) {
    const project = await findProject(trx, campaign.id, code);
    if (!project) throw proposalError('project-unknown', `Campaign "${campaignCode}" has no project "${code}".`);
    await assertMayAct(trx, kernel, acting, PROJECTS_PERMISSION, project.envelope_code);
    if (project.status !== 'feasible' && project.status !== 'ballot') {
      throw proposalError('not-feasible-for-ballot', `Project ${code} is ${project.status}: only feasible projects go on the ballot.`, [
        { field: code, message: 'error.code.participatory-budget.not-feasible-for-ballot' },
      ]);
    }
    projects.push(project);
  }
  const moving = projects.filter((p) => p.status === 'feasible');
  for (const project of moving) {
    await trx.updateTable('pb_projects').set({ status: 'ballot', updated_at: nowIso() }).where('id', '=', project.id).execute();
    await audit(trx, {
      actor: acting.actor,
      action: 'participatory-budget.project.ballot',
      resourceType: 'pb-project',
      resourceId: project.id,
      ip: acting.ip ?? null,
      details: { campaign: campaign.code, code: project.code },
    });
    const proposals = await proposalsOfProject(trx, project.id);
    await tellStage(
      trx,
      kernel,
      proposals.map((p) => toTell(p, campaign.code)),
      'ballot',
      { project: project.code },
    );
  }
  return moving.length;
}
