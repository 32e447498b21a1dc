import type { Executor, Trx } from '../../../kernel/db/transaction.js';
import { nowIso, nowMs } from '../../../kernel/db/values.js';
import { currentPhase } from '../campaigns/phases.js';
import { loadCampaign } from '../campaigns/store.js';
import { proposalError } from './errors.js';
import { findProposal } from './store.js';

/** A published proposal of a campaign whose proposals phase is open: the only kind residents support. */
async function supportable(trx: Trx, proposalId: string, now: Date) {
  const proposal = await findProposal(trx, proposalId);
  if (!proposal) throw proposalError('proposal-unknown', `There is no proposal "${proposalId}".`);
  const campaign = (await loadCampaign(trx, proposal.campaign_code))!;
  if (currentPhase(campaign, now)?.phase !== 'proposals') {
    throw proposalError('not-proposals-phase', 'Supports are given during the proposals phase only.');
  }
  if (proposal.status !== 'published') throw proposalError('proposal-not-published', `Proposal ${proposal.reference} is not published.`);
  return proposal;
}

const recount = (trx: Trx, proposalId: string) =>
  trx
    .updateTable('pb_proposals')
    .set((eb) => ({
      supports: eb.selectFrom('pb_supports').select(eb.fn.countAll<number>().as('n')).where('proposal_id', '=', proposalId),
    }))
    .where('id', '=', proposalId)
    .execute();

/**
 * A resident's "+1" on a published proposal, during the proposals phase, once per resident (the
 * primary key of pb_supports settles two clicks at once: the second is refused, not counted). One
 * may not support one's own proposal. Returns the new count.
 */
export async function supportProposal(trx: Trx, accountId: string, proposalId: string, options: { now?: Date } = {}): Promise<number> {
  const proposal = await supportable(trx, proposalId, options.now ?? new Date(nowMs()));
  if (proposal.account_id === accountId) throw proposalError('own-proposal', 'One does not support one’s own proposal.');
  const inserted = await trx
    .insertInto('pb_supports')
    .values({ proposal_id: proposalId, account_id: accountId, created_at: nowIso() })
    .onConflict((oc) => oc.columns(['proposal_id', 'account_id']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) throw proposalError('already-supported', 'You already support this proposal.');
  await recount(trx, proposalId);
  return (await findProposal(trx, proposalId))!.supports;
}

/** Withdraws one's "+1", under the same conditions as giving it; returns the new count. */
export async function withdrawSupport(trx: Trx, accountId: string, proposalId: string, options: { now?: Date } = {}): Promise<number> {
  await supportable(trx, proposalId, options.now ?? new Date(nowMs()));
  await trx.deleteFrom('pb_supports').where('proposal_id', '=', proposalId).where('account_id', '=', accountId).execute();
  await recount(trx, proposalId);
  return (await findProposal(trx, proposalId))!.supports;
}

/** Whether the resident supports the proposal. */
export async function supports(db: Executor, accountId: string, proposalId: string) {
  const row = await db
    .selectFrom('pb_supports')
    .select('account_id')
    .where('proposal_id', '=', proposalId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row !== undefined;
}
