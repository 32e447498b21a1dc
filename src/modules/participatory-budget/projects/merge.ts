import type { Trx } from '../../../kernel/db/transaction.js';
import { newId, nowIso, nowMs } from '../../../kernel/db/values.js';
import type { FieldProblem } from '../../../kernel/http/errors.js';
import { audit } from '../../../kernel/identity/audit.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { CampaignActing } from '../campaigns/access.js';
import type { Campaign } from '../campaigns/store.js';
import { assertMayAct, PROJECTS_PERMISSION } from '../proposals/access.js';
import { proposalError } from '../proposals/errors.js';
import { tellStage } from '../proposals/stages.js';
import { type ProposalRow, toTell } from '../proposals/store.js';
import { COST_MAX } from '../proposals/submit.js';
import { campaignOpenForProjects, findProject } from './store.js';

export const PROJECT_CODE = /^[a-z0-9][a-z0-9-]{0,39}$/;

export interface NewProject {
  envelope: string;
  /** Stable and unique in the campaign; made from the envelope ("75111-004") when left out. */
  code?: string;
  title: { fr: string; en?: string };
  description: { fr: string; en?: string };
  /** Whole euros; by default the sum of its proposals' estimates. */
  cost?: number;
  /** By default the first proposal's theme and point. */
  theme?: string | null;
  point?: { lat: number; lng: number } | null;
  proposalIds: readonly string[];
}

/** The proposals to merge: published ones of this campaign, none merged yet; otherwise every reason at once. */
async function mergeable(trx: Trx, campaign: Campaign, ids: readonly string[]): Promise<ProposalRow[]> {
  const unique = [...new Set(ids)];
  if (!unique.length) {
    throw proposalError('proposals-not-mergeable', 'Choose at least one proposal.', [
      { field: 'proposals', message: 'participatory-budget.merge.errors.none' },
    ]);
  }
  const rows = await trx.selectFrom('pb_proposals').selectAll().where('id', 'in', unique).where('campaign_id', '=', campaign.id).execute();
  const problems: FieldProblem[] = unique
    .filter((id) => !rows.some((r) => r.id === id && r.status === 'published'))
    .map((id) => ({ field: `proposals.${id}`, message: 'participatory-budget.merge.errors.not-published' }));
  if (problems.length) throw proposalError('proposals-not-mergeable', 'Only published proposals not merged yet can be merged.', problems);
  return rows.map((r) => ({ ...r, cost: Number(r.cost) }));
}

async function nextCode(
  trx: Trx,
  campaignId: string,
  envelopeId: string,
  envelopeCode: string,
): Promise<{ code: string; position: number }> {
  const last = await trx
    .selectFrom('pb_projects')
    .select((eb) => eb.fn.max<number>('position').as('position'))
    .where('envelope_id', '=', envelopeId)
    .executeTakeFirst();
  let position = Number(last?.position ?? 0) + 1;
  // A code chosen by hand may already hold the next number.
  while (await findProject(trx, campaignId, `${envelopeCode}-${String(position).padStart(3, '0')}`)) position++;
  return { code: `${envelopeCode}-${String(position).padStart(3, '0')}`, position };
}

async function linkProposals(trx: Trx, kernel: Kernel, campaign: Campaign, projectId: string, code: string, proposals: ProposalRow[]) {
  await trx
    .updateTable('pb_proposals')
    .set({ status: 'merged', project_id: projectId, updated_at: nowIso() })
    .where(
      'id',
      'in',
      proposals.map((p) => p.id),
    )
    .execute();
  await tellStage(
    trx,
    kernel,
    proposals.map((p) => toTell(p, campaign.code)),
    'merged',
    { project: code },
  );
}

/**
 * An agent makes a ballot project (status "study") from one or several published proposals, in the
 * caller's transaction: the proposals become "merged" with a link to it, their authors are told.
 * Needs the projects permission in the envelope's unit; refused once the vote has opened; audited.
 */
export async function createProjectFromProposals(
  trx: Trx,
  kernel: Kernel,
  acting: CampaignActing,
  campaignCode: string,
  input: NewProject,
  options: { now?: Date } = {},
): Promise<{ id: string; code: string }> {
  const campaign = await campaignOpenForProjects(trx, campaignCode, options.now ?? new Date(nowMs()));
  const envelope = await trx
    .selectFrom('pb_envelopes')
    .select(['id', 'code'])
    .where('campaign_id', '=', campaign.id)
    .where('code', '=', input.envelope)
    .executeTakeFirst();
  if (!envelope) {
    throw proposalError('invalid-project', `No envelope "${input.envelope}".`, [
      { field: 'envelope', message: 'participatory-budget.proposal.errors.envelope' },
    ]);
  }
  await assertMayAct(trx, kernel, acting, PROJECTS_PERMISSION, envelope.code);
  // In the agent's order (the database gives no order): the first proposal lends its theme and place.
  const proposals = (await mergeable(trx, campaign, input.proposalIds)).sort(
    (x, y) => input.proposalIds.indexOf(x.id) - input.proposalIds.indexOf(y.id),
  );
  const first = proposals[0]!;
  const title = { fr: input.title.fr.trim(), en: input.title.en?.trim() || input.title.fr.trim() };
  const description = { fr: input.description.fr.trim(), en: input.description.en?.trim() || input.description.fr.trim() };
  const cost = input.cost ?? proposals.reduce((sum, p) => sum + p.cost, 0);
  const theme = input.theme === undefined ? first.theme_code : input.theme;
  const problems: FieldProblem[] = [];
  if (!title.fr || title.fr.length > 200) problems.push({ field: 'title', message: 'participatory-budget.proposal.errors.title-required' });
  if (!description.fr) problems.push({ field: 'description', message: 'participatory-budget.proposal.errors.description-required' });
  if (!Number.isSafeInteger(cost) || cost < 1 || cost > COST_MAX)
    problems.push({ field: 'cost', message: 'participatory-budget.proposal.errors.cost' });
  if (theme !== null && !campaign.themes.some((t) => t.code === theme)) {
    problems.push({ field: 'theme', message: 'participatory-budget.proposal.errors.theme' });
  }
  if (input.code !== undefined && !PROJECT_CODE.test(input.code))
    problems.push({ field: 'code', message: 'participatory-budget.merge.errors.code' });
  else if (input.code !== undefined && (await findProject(trx, campaign.id, input.code))) {
    problems.push({ field: 'code', message: 'participatory-budget.merge.errors.code-taken' });
  }
  if (problems.length) throw proposalError('invalid-project', 'The project is incomplete or invalid.', problems);

  const numbered = await nextCode(trx, campaign.id, envelope.id, envelope.code);
  const code = input.code ?? numbered.code;
  const point =
    input.point === undefined ? (first.lat !== null && first.lng !== null ? { lat: first.lat, lng: first.lng } : null) : input.point;
  const id = newId();
  const now = nowIso();
  await trx
    .insertInto('pb_projects')
    .values({
      id,
      campaign_id: campaign.id,
      envelope_id: envelope.id,
      code,
      title_fr: title.fr,
      title_en: title.en,
      description_fr: description.fr,
      description_en: description.en,
      theme_code: theme,
      cost,
      lat: point?.lat ?? null,
      lng: point?.lng ?? null,
      reserved_code: null,
      status: 'study',
      study_explanation: null,
      execution_months: null,
      position: numbered.position,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await linkProposals(trx, kernel, campaign, id, code, proposals);
  await audit(trx, {
    actor: acting.actor,
    action: 'participatory-budget.project.create',
    resourceType: 'pb-project',
    resourceId: id,
    ip: acting.ip ?? null,
    details: { campaign: campaign.code, code, envelope: envelope.code, cost, proposals: proposals.map((p) => p.reference) },
  });
  return { id, code };
}

/** Merges more published proposals into a project still under study; the same checks and messages as creating it. */
export async function addProposalsToProject(
  trx: Trx,
  kernel: Kernel,
  acting: CampaignActing,
  campaignCode: string,
  projectCode: string,
  proposalIds: readonly string[],
  options: { now?: Date } = {},
): Promise<void> {
  const campaign = await campaignOpenForProjects(trx, campaignCode, options.now ?? new Date(nowMs()));
  const project = await findProject(trx, campaign.id, projectCode);
  if (!project) throw proposalError('project-unknown', `Campaign "${campaignCode}" has no project "${projectCode}".`);
  await assertMayAct(trx, kernel, acting, PROJECTS_PERMISSION, project.envelope_code);
  if (project.status !== 'study') {
    throw proposalError('invalid-project', `Project ${projectCode} has been studied: proposals are merged into projects under study.`, [
      { field: 'project', message: 'participatory-budget.merge.errors.studied' },
    ]);
  }
  const proposals = await mergeable(trx, campaign, proposalIds);
  await linkProposals(trx, kernel, campaign, project.id, project.code, proposals);
  await audit(trx, {
    actor: acting.actor,
    action: 'participatory-budget.project.merge',
    resourceType: 'pb-project',
    resourceId: project.id,
    ip: acting.ip ?? null,
    details: { campaign: campaign.code, code: project.code, proposals: proposals.map((p) => p.reference) },
  });
}
