import type { Executor } from '../../../kernel/db/transaction.js';
import type { Localized } from '../../../kernel/i18n/types.js';
import { campaignError } from '../campaigns/errors.js';
import { type Campaign, loadCampaign } from '../campaigns/store.js';
import { type Eligibility, eligibilityOf } from './eligibility.js';
import { voteError } from './errors.js';

export const campaignUnknown = (code: string) =>
  campaignError('campaign-unknown', `There is no campaign "${code}".`, [{ field: 'campaign', message: 'unknown' }]);

/** A published campaign by its code, with all its configuration (a draft one is nobody's business yet): 404 otherwise. */
export async function publishedCampaign(db: Executor, code: string): Promise<Campaign> {
  const campaign = await loadCampaign(db, code);
  if (!campaign || campaign.status === 'draft') throw campaignUnknown(code);
  return campaign;
}

/** What casting a ballot needs of its campaign, who may vote included: read in one statement, as every ballot reads it. */
export interface VoteCampaign {
  id: string;
  code: string;
  title: Localized;
  vote: { startsAt: string; endsAt: string | null };
  eligibility: Eligibility;
}

/** True while the vote phase is under way at `now` (start included, end excluded, as `currentPhase` says). */
export function voteIsOpen(campaign: Pick<VoteCampaign, 'vote'>, now: Date): boolean {
  const t = now.getTime();
  return Date.parse(campaign.vote.startsAt) <= t && (campaign.vote.endsAt === null || t < Date.parse(campaign.vote.endsAt));
}

export function assertVoteOpen(campaign: Pick<VoteCampaign, 'code' | 'vote'>, now: Date): void {
  if (!voteIsOpen(campaign, now)) {
    const { startsAt, endsAt } = campaign.vote;
    throw voteError('vote-closed', `The vote of campaign "${campaign.code}" is not open: it runs from ${startsAt} to ${endsAt ?? '—'}.`);
  }
}

/** A published campaign whose vote is under way at `now`; refused with `vote-closed` before and after. */
export async function campaignOpenForVote(db: Executor, code: string, now: Date): Promise<VoteCampaign> {
  const row = await db
    .selectFrom('pb_campaigns as c')
    .innerJoin('pb_phases as p', (j) => j.onRef('p.campaign_id', '=', 'c.id').on('p.phase', '=', 'vote'))
    .leftJoin('pb_eligibility as e', 'e.campaign_id', 'c.id')
    .select([
      'c.id',
      'c.code',
      'c.title_fr',
      'c.title_en',
      'c.status',
      'p.starts_at',
      'p.ends_at',
      'e.minimum_age',
      'e.residence_required',
      'e.assurance_level',
    ])
    .where('c.code', '=', code)
    .executeTakeFirst();
  if (!row || row.status === 'draft') throw campaignUnknown(code);
  const campaign = {
    id: row.id,
    code: row.code,
    title: { fr: row.title_fr, en: row.title_en },
    vote: { startsAt: row.starts_at, endsAt: row.ends_at },
    eligibility: eligibilityOf(row),
  };
  assertVoteOpen(campaign, now);
  return campaign;
}

/** The full campaign (for pages), when its vote is under way at `now`. */
export async function publishedCampaignOpenForVote(db: Executor, code: string, now: Date): Promise<Campaign> {
  const campaign = await publishedCampaign(db, code);
  const vote = campaign.phases.find((p) => p.phase === 'vote')!;
  assertVoteOpen({ code, vote }, now);
  return campaign;
}
