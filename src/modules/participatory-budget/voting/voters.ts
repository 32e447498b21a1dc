import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor, Trx } from '../../../kernel/db/transaction.js';
import { newId, nowIso } from '../../../kernel/db/values.js';
import { type Attribute, attributesOf } from '../../../kernel/identity/citizens/attributes.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { CITY_ENVELOPE } from '../campaigns/definition.js';
import { ineligibility } from './eligibility.js';
import { voteError } from './errors.js';
import { recordHistory } from './history.js';
import type { VoteCampaign } from './open-vote.js';
import { campaignOpenForVote } from './open-vote.js';

export interface Person {
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD */
  birthdate: string;
}

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/**
 * The same person, whoever typed their names (an agent at a ballot box, the person in their
 * profile): accents, case, hyphens and spaces do not matter. Keyed with the server's secret so the
 * column does not list names and birth dates that anyone reading it could test guesses against.
 */
export function personKey(secret: Buffer, person: Person): string {
  const text = JSON.stringify([fold(person.familyName), fold(person.givenName), person.birthdate.trim()]);
  return createHmac('sha256', secret).update(`participatory-budget:person:${text}`).digest('base64url');
}

/** The key of an account's person, when its identity attributes name them fully. */
export function personKeyOf(secret: Buffer, attributes: Record<string, Attribute>): string | null {
  const [givenName, familyName, birthdate] = [attributes.given_name?.value, attributes.family_name?.value, attributes.birthdate?.value];
  return givenName && familyName && birthdate ? personKey(secret, { givenName, familyName, birthdate }) : null;
}

export interface Voter {
  id: string;
  districtCode: string | null;
  personKey: string | null;
  demandId: string | null;
}

export async function findVoter(db: Executor, campaignId: string, accountId: string): Promise<Voter | undefined> {
  const row = await db
    .selectFrom('pb_voters')
    .select(['id', 'district_code', 'person_key', 'demand_id'])
    .where('campaign_id', '=', campaignId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row && { id: row.id, districtCode: row.district_code, personKey: row.person_key, demandId: row.demand_id };
}

/**
 * The signed-in resident's right to vote now: the campaign open for vote, and eligible by its rules.
 * Returns the campaign and the resident's identity attributes.
 */
export async function eligibleResident(db: Executor, campaignCode: string, accountId: string, now: Date) {
  const campaign = await campaignOpenForVote(db, campaignCode, now);
  const { eligibility } = campaign;
  const attributes = await attributesOf(db, accountId);
  const reasons = ineligibility(eligibility, attributes, now);
  if (reasons.length) {
    throw voteError(
      'ineligible',
      `You may not vote in this campaign: ${reasons.map((r) => r.code).join(', ')}.`,
      reasons.map((r) => ({ field: 'identity', message: r.code })),
    );
  }
  return { campaign, eligibility, attributes };
}

/** The envelopes a voter may vote in: the city's and their district's. */
export function mayVoteIn(voter: Pick<Voter, 'districtCode'>, envelopeCode: string): boolean {
  return envelopeCode === CITY_ENVELOPE || envelopeCode === voter.districtCode;
}

/** True when one of the voter's ballots is confirmed: their district is then fixed. */
export async function hasConfirmedBallot(db: Executor, voterId: string): Promise<boolean> {
  const row = await db
    .selectFrom('pb_ballots')
    .select('id')
    .where('voter_id', '=', voterId)
    .where('status', '=', 'confirmed')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The resident chooses their district (Paris: an "arrondissement de cœur", any of them), stating
 * that they live in the city where the campaign requires it. They may change it until one of their
 * ballots is confirmed; their draft for the district they leave is discarded (kept in the history).
 * The UPDATE carries the condition, so a confirmation running at the same time cannot slip between
 * the check and the change.
 */
export async function chooseDistrict(
  trx: Trx,
  kernel: Kernel,
  input: { campaignCode: string; accountId: string; district: string; residenceStated: boolean; now: Date },
): Promise<Voter> {
  const { campaign, eligibility, attributes } = await eligibleResident(trx, input.campaignCode, input.accountId, input.now);
  const envelope = await trx
    .selectFrom('pb_envelopes')
    .select('id')
    .where('campaign_id', '=', campaign.id)
    .where('code', '=', input.district)
    .executeTakeFirst();
  if (input.district === CITY_ENVELOPE || !envelope) {
    throw voteError('district-unknown', `Campaign "${campaign.code}" has no district "${input.district}".`, [
      { field: 'district', message: 'district-unknown' },
    ]);
  }
  if (eligibility.residenceRequired && !input.residenceStated) {
    throw voteError('residence-statement-required', 'State that you live in the city to vote in this campaign.', [
      { field: 'residence', message: 'residence-statement-required' },
    ]);
  }
  const at = nowIso();
  await trx
    .insertInto('pb_voters')
    .values({
      id: newId(),
      campaign_id: campaign.id,
      account_id: input.accountId,
      district_code: null,
      person_key: null,
      residence_stated_at: null,
      demand_id: null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.columns(['campaign_id', 'account_id']).doNothing())
    .execute();
  const updated = await trx
    .updateTable('pb_voters')
    .set({
      district_code: input.district,
      person_key: personKeyOf(kernel.secret, attributes),
      residence_stated_at: input.residenceStated ? at : null,
      updated_at: at,
    })
    .where('campaign_id', '=', campaign.id)
    .where('account_id', '=', input.accountId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('pb_ballots')
            .select('pb_ballots.id')
            .whereRef('pb_ballots.voter_id', '=', 'pb_voters.id')
            .where('pb_ballots.status', '=', 'confirmed'),
        ),
      ),
    )
    .returning(['id', 'district_code', 'person_key', 'demand_id'])
    .executeTakeFirst();
  if (!updated) {
    throw voteError('district-locked', 'One of your ballots is confirmed: your district can no longer change.', [
      { field: 'district', message: 'district-locked' },
    ]);
  }
  await discardDraftsOutside(trx, campaign, updated.id, input.district, input.accountId);
  return { id: updated.id, districtCode: updated.district_code, personKey: updated.person_key, demandId: updated.demand_id };
}

/** Deletes the voter's drafts in district envelopes other than `district`, each recorded in the history. */
async function discardDraftsOutside(trx: Trx, campaign: VoteCampaign, voterId: string, district: string, accountId: string): Promise<void> {
  const stale = await trx
    .selectFrom('pb_ballots as b')
    .innerJoin('pb_envelopes as e', 'e.id', 'b.envelope_id')
    .select(['b.id', 'b.choices'])
    .where('b.voter_id', '=', voterId)
    .where('b.status', '=', 'draft')
    .where('e.campaign_id', '=', campaign.id)
    .where('e.code', 'not in', [CITY_ENVELOPE, district])
    .execute();
  for (const ballot of stale) {
    await recordHistory(trx, { ballotId: ballot.id, action: 'discard', actorKind: 'citizen', actorId: accountId, choices: ballot.choices });
    await trx.deleteFrom('pb_ballots').where('id', '=', ballot.id).where('status', '=', 'draft').execute();
  }
}

/** Counts, in SQL, a voter's confirmed ballots (the dashboard entry says how many were counted). */
export async function confirmedCount(db: Executor, voterId: string): Promise<number> {
  const row = await db
    .selectFrom('pb_ballots')
    .select(sql<number>`count(*)`.as('n'))
    .where('voter_id', '=', voterId)
    .where('status', '=', 'confirmed')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
