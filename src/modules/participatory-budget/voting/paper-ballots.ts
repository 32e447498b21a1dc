import type { Trx } from '../../../kernel/db/transaction.js';
import { newId, nowIso, toJson } from '../../../kernel/db/values.js';
import type { AgentActor } from '../../../kernel/identity/agents/acting.js';
import { audit } from '../../../kernel/identity/audit.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { type VoterBallot, validateBallot } from '../ballots/validate.js';
import { CITY_ENVELOPE } from '../campaigns/definition.js';
import { newReceipt, type Receipt, votedElsewhere } from './ballots.js';
import { recordVoteCounted } from './dashboard.js';
import { loadEnvelopeBallot } from './envelope-ballot.js';
import { InvalidBallot, voteError } from './errors.js';
import { recordHistory } from './history.js';
import type { VoteCampaign } from './open-vote.js';
import { campaignOpenForVote } from './open-vote.js';
import { assertMayEnterPaper } from './paper-access.js';
import { type Person, personKey } from './voters.js';

/** How the agent identified the voter: the e-mail address of their account, or names and birth date on an identity document. */
export type PaperVoterId = { email: string } | Person;

interface PaperVoter {
  id: string;
  accountId: string | null;
  districtCode: string | null;
  personKey: string | null;
  demandId: string | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * An agent at a ballot box enters a voter's paper ballot: checked against the envelope's rules,
 * then against every ballot of the same person — by their account, or by their names and birth
 * date among online voters who gave them — so nobody votes twice. It is recorded confirmed (a
 * paper ballot cast is final), replacing an online draft of the same voter, with its receipt code
 * for the voter, a history entry and an audit entry. The (envelope, voter) constraint holds
 * against a concurrent online confirmation.
 */
export async function enterPaperBallot(
  trx: Trx,
  kernel: Kernel,
  input: {
    actor: AgentActor;
    ip?: string | null;
    campaignCode: string;
    envelopeCode: string;
    voter: PaperVoterId;
    ballot: VoterBallot;
    now: Date;
  },
): Promise<Receipt> {
  const campaign = await campaignOpenForVote(trx, input.campaignCode, input.now);
  await assertMayEnterPaper(trx, kernel, input.actor, input.envelopeCode);
  const envelope = await loadEnvelopeBallot(trx, campaign.id, campaign.code, input.envelopeCode);
  const check = validateBallot(envelope.rules, envelope.forValidation, input.ballot);
  if (!check.valid) throw new InvalidBallot(check);
  const voter = await paperVoter(trx, kernel, campaign, input.voter, input.envelopeCode);
  if (input.envelopeCode !== CITY_ENVELOPE && voter.districtCode !== input.envelopeCode) {
    throw voteError('envelope-not-yours', `This voter chose district "${voter.districtCode}", not "${input.envelopeCode}".`, [
      { field: 'envelope', message: 'envelope-not-yours' },
    ]);
  }
  if (voter.personKey && (await votedElsewhere(trx, envelope.id, voter.personKey, voter.id))) throw alreadyVoted();

  const existing = await trx
    .selectFrom('pb_ballots')
    .select(['id', 'status'])
    .where('envelope_id', '=', envelope.id)
    .where('voter_id', '=', voter.id)
    .executeTakeFirst();
  if (existing?.status === 'confirmed') throw alreadyVoted();
  const ballotId = existing?.id ?? newId();
  const receipt = newReceipt(kernel, campaign.code, ballotId);
  const choices = toJson(input.ballot);
  const at = nowIso();
  const confirmed = {
    choices,
    status: 'confirmed',
    channel: 'paper',
    receipt_salt: receipt.salt,
    receipt_code: receipt.canonical,
    confirmed_at: at,
    updated_at: at,
  };
  const written = existing
    ? await trx
        .updateTable('pb_ballots')
        .set(confirmed)
        .where('id', '=', ballotId)
        .where('status', '=', 'draft')
        .returning('id')
        .executeTakeFirst()
    : await trx
        .insertInto('pb_ballots')
        .values({ id: ballotId, envelope_id: envelope.id, voter_id: voter.id, created_at: at, ...confirmed })
        .onConflict((oc) => oc.columns(['envelope_id', 'voter_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
  // Nothing written: an online confirmation of the same voter committed in between.
  if (!written) throw alreadyVoted();
  await recordHistory(trx, { ballotId, action: 'paper', actorKind: 'agent', actorId: input.actor.account.id, choices });
  if (voter.accountId) {
    await recordVoteCounted(
      trx,
      kernel,
      campaign,
      { id: voter.id, districtCode: voter.districtCode, personKey: voter.personKey, demandId: voter.demandId },
      voter.accountId,
    );
  }
  await audit(trx, {
    actor: input.actor,
    action: 'participatory-budget.paper-ballot.enter',
    resourceType: 'pb-ballot',
    resourceId: ballotId,
    ip: input.ip ?? null,
    details: {
      campaign: campaign.code,
      envelope: input.envelopeCode,
      identifiedBy: 'email' in input.voter ? 'account' : 'identity-document',
    },
  });
  return { code: receipt.code, confirmedAt: at };
}

function alreadyVoted() {
  return voteError('already-voted', 'This voter already has a ballot counted in this envelope (online or on paper).');
}

/**
 * The voter record of the person the agent identified: their account's (made if they never voted
 * online), or an online voter with the same names and birth date, or a new paper voter. A new
 * record takes the ballot box's district.
 */
async function paperVoter(trx: Trx, kernel: Kernel, campaign: VoteCampaign, id: PaperVoterId, envelopeCode: string): Promise<PaperVoter> {
  const district = envelopeCode === CITY_ENVELOPE ? null : envelopeCode;
  const select = trx
    .selectFrom('pb_voters')
    .select(['id', 'account_id', 'district_code', 'person_key', 'demand_id'])
    .where('campaign_id', '=', campaign.id);
  const at = nowIso();
  const fresh = {
    campaign_id: campaign.id,
    district_code: district,
    residence_stated_at: null,
    demand_id: null,
    created_at: at,
    updated_at: at,
  };
  let row: Awaited<ReturnType<typeof select.executeTakeFirst>>;
  if ('email' in id) {
    const account = await trx
      .selectFrom('accounts')
      .select('id')
      .where('kind', '=', 'citizen')
      .where('email', '=', id.email.trim().toLowerCase())
      .executeTakeFirst();
    if (!account)
      throw voteError('voter-unknown', 'No resident has an account with this e-mail address.', [
        { field: 'email', message: 'voter-unknown' },
      ]);
    await trx
      .insertInto('pb_voters')
      .values({ id: newId(), account_id: account.id, person_key: null, ...fresh })
      .onConflict((oc) => oc.columns(['campaign_id', 'account_id']).doNothing())
      .execute();
    row = await select.where('account_id', '=', account.id).executeTakeFirstOrThrow();
  } else {
    const problems = [
      ...(id.givenName.trim() ? [] : [{ field: 'givenName', message: 'invalid-voter' }]),
      ...(id.familyName.trim() ? [] : [{ field: 'familyName', message: 'invalid-voter' }]),
      ...(DATE.test(id.birthdate.trim()) && !Number.isNaN(Date.parse(id.birthdate.trim()))
        ? []
        : [{ field: 'birthdate', message: 'invalid-voter' }]),
    ];
    if (problems.length)
      throw voteError('invalid-voter', 'Give the voter’s given name, family name and birth date (YYYY-MM-DD).', problems);
    const key = personKey(kernel.secret, id);
    // An online voter of the same person first: their draft, if any, becomes this paper ballot.
    row = await select.where('person_key', '=', key).orderBy('account_id', 'desc').executeTakeFirst();
    if (!row) {
      const voterId = newId();
      await trx
        .insertInto('pb_voters')
        .values({ id: voterId, account_id: null, person_key: key, ...fresh })
        .execute();
      row = await select.where('id', '=', voterId).executeTakeFirstOrThrow();
    }
  }
  // A voter who never chose a district takes the ballot box's.
  if (!row!.district_code && district) {
    await trx.updateTable('pb_voters').set({ district_code: district, updated_at: at }).where('id', '=', row!.id).execute();
  }
  return {
    id: row!.id,
    accountId: row!.account_id,
    districtCode: row!.district_code ?? district,
    personKey: row!.person_key,
    demandId: row!.demand_id,
  };
}
