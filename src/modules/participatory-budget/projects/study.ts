import type { Trx } from '../../../kernel/db/transaction.js';
import { nowIso, nowMs } from '../../../kernel/db/values.js';
import type { FieldProblem } from '../../../kernel/http/errors.js';
import { audit } from '../../../kernel/identity/audit.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { CampaignActing } from '../campaigns/access.js';
import type { Campaign } from '../campaigns/store.js';
import { assertMayAct, EVALUATE_PERMISSION } from '../proposals/access.js';
import { proposalError } from '../proposals/errors.js';
import { tellStage } from '../proposals/stages.js';
import { proposalsOfProject, toTell } from '../proposals/store.js';
import { COST_MAX } from '../proposals/submit.js';
import { campaignOpenForProjects, findProject, type Project } from './store.js';

export const EXPLANATION_MAX = 4000;
export const MONTHS_MAX = 120;

/** An evaluator's answer on a project. */
export interface Evaluation {
  feasible: boolean;
  /** The studied cost, whole euros: required when feasible. */
  cost?: number | null;
  /** The execution period in months: required when feasible. */
  months?: number | null;
  /** Required when not feasible (the authors and the public read it). */
  explanation?: string | null;
}

/** What is wrong with an evaluation, as message keys (field "cost", "months", "explanation"). */
export function evaluationProblems(evaluation: Evaluation): FieldProblem[] {
  const key = (name: string) => `participatory-budget.study.errors.${name}`;
  const problems: FieldProblem[] = [];
  const { cost, months } = evaluation;
  const explanation = evaluation.explanation?.trim() ?? '';
  if (cost != null ? !Number.isSafeInteger(cost) || cost < 1 || cost > COST_MAX : evaluation.feasible) {
    problems.push({ field: 'cost', message: key('cost') });
  }
  if (months != null ? !Number.isInteger(months) || months < 1 || months > MONTHS_MAX : evaluation.feasible) {
    problems.push({ field: 'months', message: key('months') });
  }
  if (!evaluation.feasible && !explanation) problems.push({ field: 'explanation', message: key('explanation-required') });
  if (explanation.length > EXPLANATION_MAX) problems.push({ field: 'explanation', message: key('explanation-too-long') });
  return problems;
}

/** Projects are studied before they are on the ballot (a studied one may be studied again). */
export const STUDIABLE: ReadonlySet<string> = new Set(['study', 'feasible', 'not-feasible']);

/**
 * Writes a checked evaluation: the project's status, studied cost and period, the explanation; the
 * authors of its proposals told; an audit entry. The caller has checked the campaign, the permission
 * and the evaluation (see `recordEvaluation` and the CSV import).
 */
export async function applyEvaluation(
  trx: Trx,
  kernel: Kernel,
  acting: CampaignActing,
  campaign: Campaign,
  project: Project,
  evaluation: Evaluation,
  via: 'form' | 'csv',
): Promise<void> {
  const status = evaluation.feasible ? 'feasible' : 'not-feasible';
  const explanation = evaluation.explanation?.trim() || null;
  await trx
    .updateTable('pb_projects')
    .set({
      status,
      ...(evaluation.cost != null ? { cost: evaluation.cost } : {}),
      execution_months: evaluation.months ?? null,
      study_explanation: explanation,
      updated_at: nowIso(),
    })
    .where('id', '=', project.id)
    .execute();
  await audit(trx, {
    actor: acting.actor,
    action: 'participatory-budget.project.evaluate',
    resourceType: 'pb-project',
    resourceId: project.id,
    ip: acting.ip ?? null,
    details: { campaign: campaign.code, code: project.code, status, cost: evaluation.cost ?? null, months: evaluation.months ?? null, via },
  });
  const proposals = await proposalsOfProject(trx, project.id);
  await tellStage(
    trx,
    kernel,
    proposals.map((p) => toTell(p, campaign.code)),
    status,
    { project: project.code, comment: explanation ?? '' },
  );
}

/**
 * An evaluator records the study of one project, in the caller's transaction: feasible (with the
 * studied cost and execution period) or not feasible (with a mandatory explanation). Needs the
 * evaluation permission in the envelope's unit; refused once the vote has opened.
 */
export async function recordEvaluation(
  trx: Trx,
  kernel: Kernel,
  acting: CampaignActing,
  campaignCode: string,
  projectCode: string,
  evaluation: Evaluation,
  options: { now?: Date } = {},
): Promise<void> {
  const campaign = await campaignOpenForProjects(trx, campaignCode, options.now ?? new Date(nowMs()));
  const project = await findProject(trx, campaign.id, projectCode);
  if (!project) throw proposalError('project-unknown', `Campaign "${campaignCode}" has no project "${projectCode}".`);
  await assertMayAct(trx, kernel, acting, EVALUATE_PERMISSION, project.envelope_code);
  if (!STUDIABLE.has(project.status)) {
    throw proposalError('invalid-evaluation', `Project ${projectCode} is ${project.status}: it is no longer studied.`, [
      { field: 'project', message: 'participatory-budget.study.errors.not-studiable' },
    ]);
  }
  const problems = evaluationProblems(evaluation);
  if (problems.length) throw proposalError('invalid-evaluation', 'The evaluation is incomplete or invalid.', problems);
  await applyEvaluation(trx, kernel, acting, campaign, project, evaluation, 'form');
}
