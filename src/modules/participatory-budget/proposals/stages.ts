import type { Executor } from '../../../kernel/db/transaction.js';
import { updateDemand } from '../../../kernel/demands/demands.js';
import type { Localized } from '../../../kernel/i18n/types.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { notify } from '../../../kernel/notifications/notify.js';
import type { GenericStatus } from '../../../kernel/workflow/definition.js';

/** Where a proposal stands, as its authors read it on their dashboard and in their messages. */
export const STAGES = ['submitted', 'published', 'removed', 'merged', 'feasible', 'not-feasible', 'ballot'] as const;
export type Stage = (typeof STAGES)[number];

/** The demand's generic status and step (of STEPS) at each stage: removal and infeasibility end it. */
const DEMAND: Record<Stage, { status: GenericStatus; step: number }> = {
  submitted: { status: 'ongoing', step: 1 },
  published: { status: 'ongoing', step: 2 },
  removed: { status: 'closed', step: 2 },
  merged: { status: 'ongoing', step: 3 },
  feasible: { status: 'ongoing', step: 4 },
  'not-feasible': { status: 'closed', step: 4 },
  ballot: { status: 'ongoing', step: 5 },
};
export const STEPS = 5;
export const NOTIFICATION_TEMPLATE = 'participatory-budget.proposal-stage';

/** What a stage change tells: the proposal and who wrote it. */
export interface ProposalToTell {
  id: string;
  demand_id: string;
  account_id: string;
  reference: string;
  title: string;
  /** Its public page ("/budget/paris-2027/proposals/…"). */
  link: string;
}

/** A message in both languages, for demand labels and notification values. */
export function bothLanguages(kernel: Pick<Kernel, 'i18n'>, key: string, params?: Record<string, string | number>): Localized {
  return { fr: kernel.i18n.t('fr', key, params), en: kernel.i18n.t('en', key, params) };
}

/**
 * Moves proposals to a stage, in the caller's transaction: each author's demand (status, step, the
 * label on their dashboard) and a notification to the author and every co-author, with the agent's
 * words (a removal's reason, the study's explanation) as they wrote them. `project` names the ballot
 * project in the label ("Merged into project 75111-004").
 */
export async function tellStage(
  trx: Executor,
  kernel: Kernel,
  proposals: readonly ProposalToTell[],
  stage: Stage,
  details: { project?: string; comment?: string } = {},
): Promise<void> {
  const label = bothLanguages(kernel, `participatory-budget.stage.${stage}`, { project: details.project ?? '' });
  const { status, step } = DEMAND[stage];
  const coauthors = proposals.length
    ? await trx
        .selectFrom('pb_proposal_coauthors')
        .select(['proposal_id', 'account_id'])
        .where(
          'proposal_id',
          'in',
          proposals.map((p) => p.id),
        )
        .execute()
    : [];
  for (const proposal of proposals) {
    await updateDemand(trx, proposal.demand_id, { status, stateLabel: label, step, nextAction: null });
    const recipients = [proposal.account_id, ...coauthors.filter((c) => c.proposal_id === proposal.id).map((c) => c.account_id)];
    for (const accountId of recipients) {
      await notify(trx, kernel, {
        accountId,
        template: NOTIFICATION_TEMPLATE,
        demandId: accountId === proposal.account_id ? proposal.demand_id : undefined,
        link: proposal.link,
        data: {
          reference: proposal.reference,
          title: proposal.title,
          state: label,
          comment: details.comment ?? '',
          link: `${kernel.config.publicUrl ?? ''}${proposal.link}`,
        },
      });
    }
  }
}
