import type { Trx } from '../../../kernel/db/transaction.js';
import { nowIso } from '../../../kernel/db/values.js';
import { createDemand, updateDemand } from '../../../kernel/demands/demands.js';
import type { DemandTypeDefinition } from '../../../kernel/demands/types.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { MANAGE_PERMISSION } from '../campaigns/access.js';
import type { VoteCampaign } from './open-vote.js';
import { confirmedCount, type Voter } from './voters.js';

export const VOTE_DEMAND_TYPE = 'participatory-budget:vote';

/**
 * Tells the voter, in their dashboard, that their vote counted (the design's "people are unsure
 * whether their vote counted"): one entry per campaign, made at their first confirmed ballot and
 * updated at the next, saying how many ballots were counted — never what they say.
 */
export async function recordVoteCounted(trx: Trx, kernel: Kernel, campaign: VoteCampaign, voter: Voter, accountId: string): Promise<void> {
  // Every confirmation of a voter with an account comes here: without an entry yet, this is their first.
  if (voter.demandId) {
    await updateVoteDemand(trx, kernel, voter.demandId, await confirmedCount(trx, voter.id));
    return;
  }
  const demandId = await createVoteDemand(trx, kernel, campaign, voter.id, accountId);
  await trx.updateTable('pb_voters').set({ demand_id: demandId, updated_at: nowIso() }).where('id', '=', voter.id).execute();
}

const countedLabel = (kernel: Kernel, count: number) => {
  const label = (lang: 'fr' | 'en') =>
    kernel.i18n.t(lang, `participatory-budget.vote.demand.counted-${count > 1 ? 'many' : 'one'}`, { count });
  return { fr: label('fr'), en: label('en') };
};

/** The voter's dashboard entry at their first confirmed ballot (the caller records its id on the voter's row); returns its id. */
export async function createVoteDemand(
  trx: Trx,
  kernel: Kernel,
  campaign: Pick<VoteCampaign, 'code' | 'title'>,
  voterId: string,
  accountId: string,
): Promise<string> {
  const demand = await createDemand(trx, kernel, {
    type: VOTE_DEMAND_TYPE,
    accountId,
    title: campaign.title.fr,
    subject: `participatory-budget:voter:${voterId}`,
    link: `/budget/${campaign.code}/vote`,
    unitPath: null,
    status: 'closed',
    stateLabel: countedLabel(kernel, 1),
  });
  return demand.id;
}

/** The dashboard entry once `count` ballots of the voter are confirmed. */
export async function updateVoteDemand(trx: Trx, kernel: Kernel, demandId: string, count: number): Promise<void> {
  await updateDemand(trx, demandId, { status: 'closed', stateLabel: countedLabel(kernel, count) });
}

/** The dashboard entry's type: agents who configure campaigns see it in a resident's 360° view. */
export const voteDemandType: DemandTypeDefinition = {
  code: 'vote',
  label: { fr: 'Vote au budget participatif', en: 'Participatory budget vote' },
  permission: MANAGE_PERMISSION,
  referencePrefix: 'VOTE',
};
