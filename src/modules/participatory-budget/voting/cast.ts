import { sql } from 'kysely';
import type { Engine } from '../../../kernel/db/database.js';
import { hotQuery } from '../../../kernel/db/hot-query.js';
import type { Trx } from '../../../kernel/db/transaction.js';
import { newId, nowIso, toJson } from '../../../kernel/db/values.js';
import { type Attribute, IDENTITY_ATTRIBUTES } from '../../../kernel/identity/citizens/attributes.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { parseBallotRules } from '../ballots/rules.js';
import type { BallotEnvelope, VoterBallot } from '../ballots/validate.js';
import { campaignError } from '../campaigns/errors.js';
import { Fraction } from '../rules/fraction.js';
import { assertMayVote, checked, confirmedAlready, newReceipt, type Receipt, votedElsewhere } from './ballots.js';
import { createVoteDemand, updateVoteDemand } from './dashboard.js';
import { eligibilityOf, ineligibility } from './eligibility.js';
import { voteError } from './errors.js';
import { assertVoteOpen, campaignUnknown, type VoteCampaign } from './open-vote.js';
import { personKeyOf, type Voter } from './voters.js';

/*
 * The apps' one request — save and confirm a ballot — in as few statements as its guarantees allow
 * (issue #6: 200,000 ballots in under 10 minutes). On PostgreSQL, after the kernel's session and
 * rate-limit statements:
 *
 *   1. one read: the campaign, its vote phase and eligibility, the resident's identity attributes,
 *      their voter row taken FOR UPDATE (their confirmations and district changes run one after the
 *      other), whether a ballot of the same person is counted in the envelope from another voter
 *      record (paper), the envelope's frozen rules and the projects on its ballot;
 *   2. the voter's first ballot: their dashboard entry (the kernel's createDemand: 3 statements);
 *   3. one write: INSERT … ON CONFLICT of the ballot (confirmed, or the voter's draft confirmed; never
 *      a confirmed one), its two history entries, the voter's dashboard entry on their first ballot,
 *      and the count of their other confirmed ballots — data-modifying CTEs;
 *   4. a later ballot: the dashboard entry's count (the kernel's updateDemand: 2 statements).
 *
 * SQLite (no data-modifying CTE, no FOR UPDATE, statements in process) runs step 3 as three
 * statements; its one writer at a time orders the voter's transactions.
 */

/** The identity attributes the checks read (eligibility, person key): one outer join each. */
const ATTRIBUTE_COLUMNS = ['value', 'source', 'level', 'updated_at'] as const;

interface ContextRow {
  id: string;
  code: string;
  title_fr: string;
  title_en: string;
  status: string;
  starts_at: string;
  ends_at: string | null;
  minimum_age: number | null;
  residence_required: number | null;
  assurance_level: number | null;
  voter_id: string | null;
  district_code: string | null;
  person_key: string | null;
  demand_id: string | null;
  voted_elsewhere: number | boolean | null;
  envelope_id: string | null;
  amount: number | string | null;
  ballot_rules: string | null;
  project_code: string | null;
  project_cost: number | string | null;
  [attribute: `a${number}_${(typeof ATTRIBUTE_COLUMNS)[number]}`]: string | number | null;
}

/**
 * Step 1. Parameters in the order the text uses them: campaign code and account (voter row), the
 * account once per identity attribute, the envelope code, the campaign code.
 */
const selectContext = hotQuery('pb_cast_context', (engine: Engine, ...params: string[]) => {
  const [campaignCode, accountId, ...rest] = params;
  const attributeAccounts = rest.slice(0, IDENTITY_ATTRIBUTES.length);
  const [envelopeCode, campaignAgain] = rest.slice(IDENTITY_ATTRIBUTES.length);
  const attributeColumns = IDENTITY_ATTRIBUTES.flatMap((_, i) => ATTRIBUTE_COLUMNS.map((c) => sql.raw(`a${i}.${c} as a${i}_${c}`)));
  const attributeJoins = IDENTITY_ATTRIBUTES.map(
    (name, i) => sql`left join identity_attributes ${sql.raw(`a${i}`)}
      on ${sql.raw(`a${i}`)}.account_id = ${attributeAccounts[i]} and ${sql.raw(`a${i}`)}.name = ${sql.lit(name)}`,
  );
  return sql<ContextRow>`
    with v as (
      select id, district_code, person_key, demand_id from pb_voters
      where campaign_id = (select id from pb_campaigns where code = ${campaignCode}) and account_id = ${accountId}
      ${engine === 'postgres' ? sql`for update` : sql``}
    )
    select c.id, c.code, c.title_fr, c.title_en, c.status, p.starts_at, p.ends_at,
      e.minimum_age, e.residence_required, e.assurance_level,
      v.id as voter_id, v.district_code, v.person_key, v.demand_id,
      exists (
        select 1 from pb_voters o join pb_ballots ob on ob.voter_id = o.id
        where o.campaign_id = c.id and o.person_key = v.person_key and o.id <> v.id
          and ob.envelope_id = env.id and ob.status = 'confirmed'
      ) as voted_elsewhere,
      ${sql.join(attributeColumns)},
      env.id as envelope_id, env.amount, env.ballot_rules, pr.code as project_code, pr.cost as project_cost
    from pb_campaigns c
    join pb_phases p on p.campaign_id = c.id and p.phase = 'vote'
    left join pb_eligibility e on e.campaign_id = c.id
    left join v on true
    ${sql.join(attributeJoins, sql` `)}
    left join pb_envelopes env on env.campaign_id = c.id and env.code = ${envelopeCode}
    left join pb_projects pr on pr.envelope_id = env.id and pr.status = 'ballot'
    where c.code = ${campaignAgain}
    order by pr.position, pr.code`;
});

interface CastContext {
  campaign: VoteCampaign;
  attributes: Record<string, Attribute>;
  voter: (Voter & { votedElsewhere: boolean }) | undefined;
  envelope: { id: string; rules: ReturnType<typeof parseBallotRules>; forValidation: BallotEnvelope } | undefined;
}

async function castContext(trx: Trx, input: CastInput): Promise<CastContext> {
  const { rows } = await selectContext(
    trx,
    input.campaignCode,
    input.accountId,
    ...IDENTITY_ATTRIBUTES.map(() => input.accountId),
    input.envelopeCode,
    input.campaignCode,
  );
  const row = rows[0];
  if (!row || row.status === 'draft') throw campaignUnknown(input.campaignCode);
  const attributes: Record<string, Attribute> = {};
  IDENTITY_ATTRIBUTES.forEach((name, i) => {
    const value = row[`a${i}_value`];
    if (value === null) return;
    const level = row[`a${i}_level`];
    attributes[name] = {
      value: String(value),
      source: String(row[`a${i}_source`]),
      level: Number(level),
      updatedAt: String(row[`a${i}_updated_at`]),
    };
  });
  const voter = row.voter_id
    ? {
        id: row.voter_id,
        districtCode: row.district_code,
        personKey: row.person_key,
        demandId: row.demand_id,
        votedElsewhere: Boolean(Number(row.voted_elsewhere)),
      }
    : undefined;
  let envelope: CastContext['envelope'];
  if (row.envelope_id) {
    const amount = Number(row.amount);
    const projects = rows
      .filter((r) => r.project_code !== null)
      .map((r) => ({ id: r.project_code!, cost: Fraction.of(Number(r.project_cost)) }));
    envelope = {
      id: row.envelope_id,
      rules: parseBallotRules(JSON.parse(row.ballot_rules!), `envelope ${input.envelopeCode}`),
      forValidation: { budget: Fraction.of(amount), projects },
    };
  }
  return {
    campaign: {
      id: row.id,
      code: row.code,
      title: { fr: row.title_fr, en: row.title_en },
      vote: { startsAt: row.starts_at, endsAt: row.ends_at },
      eligibility: eligibilityOf(row),
    },
    attributes,
    voter,
    envelope,
  };
}

interface CastInput {
  campaignCode: string;
  accountId: string;
  envelopeCode: string;
  now: Date;
}

/** The ballot's INSERT … ON CONFLICT: confirmed, or the voter's draft confirmed; never a confirmed ballot (no row back). */
const upsertConfirmed = (p: WriteParams) => sql`
  insert into pb_ballots (id, envelope_id, voter_id, choices, status, channel, receipt_salt, receipt_code,
    confirmed_at, created_at, updated_at)
  values (${p.id}, ${p.envelopeId}, ${p.voterId}, ${p.choices}, 'confirmed', 'online', ${p.salt}, ${p.code}, ${p.at}, ${p.at2}, ${p.at3})
  on conflict (envelope_id, voter_id) do update set choices = excluded.choices, status = excluded.status,
    receipt_salt = excluded.receipt_salt, receipt_code = excluded.receipt_code, confirmed_at = excluded.confirmed_at,
    updated_at = excluded.updated_at
  where pb_ballots.status = 'draft'`;

interface WriteParams {
  id: string;
  envelopeId: string;
  voterId: string;
  choices: string;
  salt: string;
  code: string;
  at: string;
  at2: string;
  at3: string;
}

/**
 * Step 3 on PostgreSQL, one statement: the ballot, its history entries (a save and its
 * confirmation), on the voter's first ballot the dashboard entry's id on their row, and the count
 * of their other confirmed ballots (read after their row was taken, so none is missed).
 */
const pgWrite = (first: boolean) =>
  hotQuery(first ? 'pb_cast_write_first' : 'pb_cast_write', (_engine, ...values: (string | null)[]) => {
    const [id, envelopeId, voterId, choices, salt, code, at, at2, at3, actorId, saveId, confirmId, demandId] = values as string[];
    return sql<{ id: string; others: number }>`
      with b as (
        ${upsertConfirmed({ id, envelopeId, voterId, choices, salt, code, at, at2, at3 } as WriteParams)}
        returning id, voter_id, envelope_id, choices, updated_at
      ), h as (
        insert into pb_ballot_history (id, ballot_id, action, actor_kind, actor_id, choices, at)
        select x.id, b.id, x.action, 'citizen', ${actorId}, b.choices, b.updated_at
        from b cross join (values (${saveId}, 'save'), (${confirmId}, 'confirm')) as x (id, action)
      )${
        first
          ? sql`, d as (
        update pb_voters set demand_id = ${demandId}, updated_at = b.updated_at from b where pb_voters.id = b.voter_id
      )`
          : sql``
      }
      select b.id, (
        select count(*) from pb_ballots o where o.voter_id = b.voter_id and o.status = 'confirmed' and o.envelope_id <> b.envelope_id
      ) as others
      from b`;
  });
const writeFirstPg = pgWrite(true);
const writeNextPg = pgWrite(false);

/** Step 3 on SQLite: the ballot, with the count of the voter's other confirmed ballots. */
const upsertSqlite = hotQuery('pb_cast_upsert', (_engine, ...values: string[]) => {
  const [id, envelopeId, voterId, choices, salt, code, at, at2, at3, voterAgain, envelopeAgain] = values as [string, ...string[]];
  return sql<{ id: string; others: number }>`
    ${upsertConfirmed({ id, envelopeId, voterId, choices, salt, code, at, at2, at3 } as WriteParams)}
    returning id, (
      select count(*) from pb_ballots o where o.voter_id = ${voterAgain} and o.status = 'confirmed' and o.envelope_id <> ${envelopeAgain}
    ) as others`;
});

/**
 * Saves and confirms a ballot in one go (the apps' one request), in the caller's transaction, with
 * the checks of both made once: one INSERT … ON CONFLICT writes the ballot confirmed — or confirms
 * the voter's draft — only if no confirmed ballot is there, and the history gets both entries.
 * Refusals, in this order: campaign unknown, vote closed, ineligible, district required, envelope
 * not the voter's, envelope unknown, invalid ballot, voted on paper, ballot already confirmed.
 */
export async function castBallot(trx: Trx, kernel: Kernel, input: CastInput & { ballot: VoterBallot }): Promise<Receipt> {
  const { campaign, attributes, voter, envelope } = await castContext(trx, input);
  assertVoteOpen(campaign, input.now);
  const reasons = ineligibility(campaign.eligibility, attributes, input.now);
  if (reasons.length) {
    throw voteError(
      'ineligible',
      `You may not vote in this campaign: ${reasons.map((r) => r.code).join(', ')}.`,
      reasons.map((r) => ({ field: 'identity', message: r.code })),
    );
  }
  assertMayVote(campaign, voter, input.envelopeCode);
  if (!voter) throw new Error('unreachable: assertMayVote refuses a missing voter');
  if (!envelope) {
    throw campaignError('envelope-unknown', `Campaign "${campaign.code}" has no envelope "${input.envelopeCode}".`, [
      { field: 'envelope', message: 'unknown' },
    ]);
  }
  checked(envelope, input.ballot);
  // The person key follows the identity: refreshed when it changed (the read used the stored one).
  const personKey = personKeyOf(kernel.secret, attributes);
  if (personKey !== voter.personKey) {
    await trx.updateTable('pb_voters').set({ person_key: personKey, updated_at: nowIso() }).where('id', '=', voter.id).execute();
    voter.personKey = personKey;
    voter.votedElsewhere = personKey !== null && (await votedElsewhere(trx, envelope.id, personKey, voter.id));
  }
  if (voter.votedElsewhere) {
    throw voteError('already-voted', 'A ballot of yours is already counted in this envelope (on paper, at a ballot box).');
  }

  // Without a dashboard entry yet, this is the voter's first confirmed ballot: the entry is made first, so the write can name it.
  const newDemandId = voter.demandId ? null : await createVoteDemand(trx, kernel, campaign, voter.id, input.accountId);
  const choices = toJson(input.ballot);
  const at = nowIso();
  const id = newId();
  let receipt = newReceipt(kernel, campaign.code, id);
  const ballot = [id, envelope.id, voter.id, choices, receipt.salt, receipt.canonical, at, at, at] as const;
  const written =
    kernel.database.engine === 'postgres'
      ? (newDemandId
          ? await writeFirstPg(trx, ...ballot, input.accountId, newId(), newId(), newDemandId)
          : await writeNextPg(trx, ...ballot, input.accountId, newId(), newId())
        ).rows[0]
      : await writeSqlite(trx, ballot, input.accountId, newDemandId);
  if (!written) throw confirmedAlready(input.envelopeCode);
  if (written.id !== id) {
    // The voter's draft was confirmed: its code derives from its own id.
    receipt = newReceipt(kernel, campaign.code, written.id);
    await trx
      .updateTable('pb_ballots')
      .set({ receipt_salt: receipt.salt, receipt_code: receipt.canonical })
      .where('id', '=', written.id)
      .execute();
  }
  if (voter.demandId) await updateVoteDemand(trx, kernel, voter.demandId, Number(written.others) + 1);
  return { code: receipt.code, confirmedAt: at };
}

/** Step 3 on SQLite: the same writes, one statement each. */
async function writeSqlite(
  trx: Trx,
  ballot: readonly [string, string, string, string, string, string, string, string, string],
  actorId: string,
  newDemandId: string | null,
): Promise<{ id: string; others: number } | undefined> {
  const [, envelopeId, voterId, choices, , , at] = ballot;
  const row = (await upsertSqlite(trx, ...ballot, voterId, envelopeId)).rows[0];
  if (!row) return undefined;
  const entry = { ballot_id: row.id, actor_kind: 'citizen', actor_id: actorId, choices, at };
  await trx
    .insertInto('pb_ballot_history')
    .values([
      { id: newId(), action: 'save', ...entry },
      { id: newId(), action: 'confirm', ...entry },
    ])
    .execute();
  if (newDemandId) {
    await trx.updateTable('pb_voters').set({ demand_id: newDemandId, updated_at: at }).where('id', '=', voterId).execute();
  }
  return row;
}
