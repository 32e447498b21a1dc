import type { Trx } from '../../../kernel/db/transaction.js';
import { newId, nowIso, toJson } from '../../../kernel/db/values.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { newReceiptSalt, normalizeReceiptCode, receiptCode, receiptKey } from '../ballots/receipt.js';
import { type VoterBallot, validateBallot } from '../ballots/validate.js';
import { recordVoteCounted } from './dashboard.js';
import { type EnvelopeBallot, loadEnvelopeBallot } from './envelope-ballot.js';
import { InvalidBallot, voteError } from './errors.js';
import { recordHistory } from './history.js';
import type { VoteCampaign } from './open-vote.js';
import { eligibleResident, findVoter, mayVoteIn, personKeyOf, type Voter } from './voters.js';

interface CastInput {
  campaignCode: string;
  accountId: string;
  envelopeCode: string;
  now: Date;
}

/** The voter and the envelope, once the voter has chosen a district that lets them vote in it. */
export function assertMayVote(campaign: Pick<VoteCampaign, 'code'>, voter: Pick<Voter, 'districtCode'> | undefined, envelopeCode: string) {
  if (!voter?.districtCode) {
    throw voteError('district-required', `Choose your district in campaign "${campaign.code}" before voting.`, [
      { field: 'district', message: 'district-required' },
    ]);
  }
  if (!mayVoteIn(voter, envelopeCode)) {
    throw voteError(
      'envelope-not-yours',
      `You vote in the city's envelope and in that of your district (${voter.districtCode}), not in "${envelopeCode}".`,
      [{ field: 'envelope', message: 'envelope-not-yours' }],
    );
  }
}

/** Checks a ballot against the envelope's frozen rules and the projects on its ballot; refuses it with every problem. */
export function checked(envelope: Pick<EnvelopeBallot, 'rules' | 'forValidation'>, ballot: VoterBallot) {
  const check = validateBallot(envelope.rules, envelope.forValidation, ballot);
  if (!check.valid) throw new InvalidBallot(check);
  return check;
}

type Eligible = Awaited<ReturnType<typeof eligibleResident>>;

/**
 * Saves the resident's ballot in one envelope as a draft (creating it or replacing its choices), in
 * the caller's transaction, with a history entry. One statement does it — INSERT … ON CONFLICT on
 * the (envelope, voter) constraint, updating only a draft — so two saves at once, in one process or
 * several, leave one ballot, and a save never changes a confirmed ballot.
 */
export async function saveBallot(trx: Trx, input: CastInput & { ballot: VoterBallot }) {
  const resident = await eligibleResident(trx, input.campaignCode, input.accountId, input.now);
  const { voter, envelope } = await voterAndEnvelope(trx, resident, input);
  return save(trx, voter, envelope, input);
}

async function voterAndEnvelope(trx: Trx, { campaign }: Eligible, input: CastInput) {
  const voter = await findVoter(trx, campaign.id, input.accountId);
  assertMayVote(campaign, voter, input.envelopeCode);
  return { voter: voter!, envelope: await loadEnvelopeBallot(trx, campaign.id, campaign.code, input.envelopeCode) };
}

async function save(trx: Trx, voter: Voter, envelope: EnvelopeBallot, input: CastInput & { ballot: VoterBallot }) {
  const check = checked(envelope, input.ballot);
  const choices = toJson(input.ballot);
  const at = nowIso();
  const row = await trx
    .insertInto('pb_ballots')
    .values({
      id: newId(),
      envelope_id: envelope.id,
      voter_id: voter.id,
      choices,
      status: 'draft',
      channel: 'online',
      receipt_salt: null,
      receipt_code: null,
      confirmed_at: null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) =>
      oc.columns(['envelope_id', 'voter_id']).doUpdateSet({ choices, updated_at: at }).where('pb_ballots.status', '=', 'draft'),
    )
    .returning('id')
    .executeTakeFirst();
  if (!row) throw confirmedAlready(input.envelopeCode);
  await recordHistory(trx, { ballotId: row.id, action: 'save', actorKind: 'citizen', actorId: input.accountId, choices });
  return { ballotId: row.id, check };
}

export function confirmedAlready(envelopeCode: string) {
  return voteError('ballot-confirmed', `Your ballot in envelope "${envelopeCode}" is confirmed: it can no longer change.`);
}

/** A confirmed ballot's receipt: its code as the voter reads it, and when it was confirmed. */
export interface Receipt {
  code: string;
  confirmedAt: string;
}

/** Draws the salt and derives the receipt code of a ballot being confirmed. */
export function newReceipt(kernel: Kernel, campaignCode: string, ballotId: string) {
  const salt = newReceiptSalt();
  const code = receiptCode(receiptKey(kernel.secret), { campaign: campaignCode, ballotId, salt });
  return { salt, code, canonical: normalizeReceiptCode(code)! };
}

/**
 * Confirms the resident's draft in one envelope: checked again, locked for good, with its receipt
 * code, a history entry and the dashboard's "your vote counted". The voter's row is taken first (an
 * UPDATE), so their confirmations and district changes run one after the other, and the ballot's
 * row is read FOR UPDATE on PostgreSQL, so a save cannot change what is being confirmed; the final
 * UPDATE only moves a draft. Refused when a paper ballot of the same person is already counted there.
 */
export async function confirmBallot(trx: Trx, kernel: Kernel, input: CastInput): Promise<Receipt> {
  const resident = await eligibleResident(trx, input.campaignCode, input.accountId, input.now);
  return confirm(trx, kernel, resident, input);
}

/**
 * Takes the voter's row for the rest of the transaction (an UPDATE, which also refreshes their person
 * key from their identity): their confirmations and district changes run one after the other, and
 * the district read here is the one that holds.
 */
async function lockVoter(trx: Trx, kernel: Kernel, { campaign, attributes }: Eligible, input: CastInput): Promise<Voter> {
  const locked = await trx
    .updateTable('pb_voters')
    .set({ person_key: personKeyOf(kernel.secret, attributes), updated_at: nowIso() })
    .where('campaign_id', '=', campaign.id)
    .where('account_id', '=', input.accountId)
    .returning(['id', 'district_code', 'person_key', 'demand_id'])
    .executeTakeFirst();
  const voter = locked && { id: locked.id, districtCode: locked.district_code, personKey: locked.person_key, demandId: locked.demand_id };
  assertMayVote(campaign, voter, input.envelopeCode);
  return voter!;
}

async function assertNotVotedOnPaper(trx: Trx, envelope: EnvelopeBallot, voter: Voter): Promise<void> {
  if (voter.personKey && (await votedElsewhere(trx, envelope.id, voter.personKey, voter.id))) {
    throw voteError('already-voted', 'A ballot of yours is already counted in this envelope (on paper, at a ballot box).');
  }
}

async function confirm(trx: Trx, kernel: Kernel, resident: Eligible, input: CastInput) {
  const { campaign } = resident;
  const voter = await lockVoter(trx, kernel, resident, input);
  const envelope = await loadEnvelopeBallot(trx, campaign.id, campaign.code, input.envelopeCode);
  const ballot = await trx
    .selectFrom('pb_ballots')
    .select(['id', 'status', 'choices'])
    .where('envelope_id', '=', envelope.id)
    .where('voter_id', '=', voter.id)
    .$if(kernel.database.engine === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst();
  if (!ballot) throw voteError('no-ballot', `You have no ballot to confirm in envelope "${input.envelopeCode}".`);
  if (ballot.status !== 'draft') throw confirmedAlready(input.envelopeCode);
  checked(envelope, JSON.parse(ballot.choices) as VoterBallot);
  await assertNotVotedOnPaper(trx, envelope, voter);
  const at = nowIso();
  const receipt = newReceipt(kernel, campaign.code, ballot.id);
  const done = await trx
    .updateTable('pb_ballots')
    .set({ status: 'confirmed', receipt_salt: receipt.salt, receipt_code: receipt.canonical, confirmed_at: at, updated_at: at })
    .where('id', '=', ballot.id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) !== 1) throw confirmedAlready(input.envelopeCode);
  await recordHistory(trx, {
    ballotId: ballot.id,
    action: 'confirm',
    actorKind: 'citizen',
    actorId: input.accountId,
    choices: ballot.choices,
  });
  await recordVoteCounted(trx, kernel, campaign, voter, input.accountId);
  return { code: receipt.code, confirmedAt: at };
}

/** True when another voter record of the same person has a confirmed ballot in the envelope. */
export async function votedElsewhere(trx: Trx, envelopeId: string, personKey: string, exceptVoterId?: string): Promise<boolean> {
  const row = await trx
    .selectFrom('pb_ballots as b')
    .innerJoin('pb_voters as v', 'v.id', 'b.voter_id')
    .select('b.id')
    .where('b.envelope_id', '=', envelopeId)
    .where('b.status', '=', 'confirmed')
    .where('v.person_key', '=', personKey)
    .$if(exceptVoterId !== undefined, (q) => q.where('v.id', '!=', exceptVoterId!))
    .executeTakeFirst();
  return row !== undefined;
}
