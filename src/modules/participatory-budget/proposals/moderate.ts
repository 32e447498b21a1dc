import type { Trx } from '../../../kernel/db/transaction.js';
import { nowIso } from '../../../kernel/db/values.js';
import { audit } from '../../../kernel/identity/audit.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { CampaignActing } from '../campaigns/access.js';
import { assertMayAct, MODERATE_PERMISSION } from './access.js';
import { proposalError } from './errors.js';
import { tellStage } from './stages.js';
import { findProposal, toTell } from './store.js';

export const REASON_MAX = 2000;

export type Moderation = { decision: 'publish' } | { decision: 'remove'; reason: string };

/**
 * An agent's moderation of a submitted proposal, in the caller's transaction: published (listed, open
 * to supports) or removed with a reason the author reads. Needs the moderation permission in the
 * envelope's unit; audited; the author and co-authors are told.
 */
export async function moderateProposal(
  trx: Trx,
  kernel: Kernel,
  acting: CampaignActing,
  id: string,
  moderation: Moderation,
): Promise<void> {
  const proposal = await findProposal(trx, id);
  if (!proposal) throw proposalError('proposal-unknown', `There is no proposal "${id}".`);
  await assertMayAct(trx, kernel, acting, MODERATE_PERMISSION, proposal.envelope_code);
  const reason = moderation.decision === 'remove' ? moderation.reason.trim() : '';
  if (moderation.decision === 'remove' && (!reason || reason.length > REASON_MAX)) {
    throw proposalError('reason-required', 'A removal needs a reason for the author.', [
      { field: 'reason', message: 'error.code.participatory-budget.reason-required' },
    ]);
  }
  // A moderated proposal may still be removed (a late complaint); nothing else goes back.
  const from = moderation.decision === 'publish' ? ['submitted'] : ['submitted', 'published'];
  const status = moderation.decision === 'publish' ? 'published' : 'removed';
  const updated = await trx
    .updateTable('pb_proposals')
    .set({ status, removal_reason: reason || null, updated_at: nowIso() })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    throw proposalError('proposal-not-pending', `Proposal ${proposal.reference} is ${proposal.status}: it cannot be ${status} now.`);
  }
  await audit(trx, {
    actor: acting.actor,
    action: `participatory-budget.proposal.${moderation.decision}`,
    resourceType: 'pb-proposal',
    resourceId: id,
    ip: acting.ip ?? null,
    details: { reference: proposal.reference, ...(reason ? { reason } : {}) },
  });
  await tellStage(trx, kernel, [toTell(proposal, proposal.campaign_code)], status, { comment: reason });
}
