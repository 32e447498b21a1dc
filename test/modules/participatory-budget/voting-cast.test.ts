import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/kernel/db/database.js';
import { inTransaction } from '../../../src/kernel/db/transaction.js';
import type { HttpError } from '../../../src/kernel/http/errors.js';
import type { AgentActor } from '../../../src/kernel/identity/agents/acting.js';
import { LEVEL, recordAttributes } from '../../../src/kernel/identity/citizens/attributes.js';
import type { Kernel } from '../../../src/kernel/kernel.js';
import type { VoterBallot } from '../../../src/modules/participatory-budget/ballots/validate.js';
import { castBallot } from '../../../src/modules/participatory-budget/voting/cast.js';
import type { InvalidBallot } from '../../../src/modules/participatory-budget/voting/errors.js';
import { enterPaperBallot } from '../../../src/modules/participatory-budget/voting/paper-ballots.js';
import { checkReceipt } from '../../../src/modules/participatory-budget/voting/receipt-check.js';
import { chooseDistrict } from '../../../src/modules/participatory-budget/voting/voters.js';
import { agentActor, createTestAdmin } from '../../identity/agents-fixtures.js';
import type { TestApp } from '../../support/app.js';
import { testEngine } from '../../support/database.js';
import { NOW, refusal, startWithParticipatoryBudget } from './campaigns-support.js';
import {
  AFTER_VOTE,
  approve,
  CAMPAIGN,
  choose,
  pick,
  resident,
  save,
  setEligibilityRules,
  VOTE_DAY,
  voteTables,
  votingCampaign,
} from './voting-support.js';

// castBallot: the apps' one request (save and confirm), in a handful of statements (see cast.ts).

let t: TestApp;
let kernel: Kernel;
beforeAll(async () => {
  t = await startWithParticipatoryBudget();
  kernel = t.kernel;
  await votingCampaign(kernel, { rules: { '75111': { type: 'knapsack', minSpendPercent: 50 } } });
});
afterAll(async () => t.close());

const cast = (
  accountId: string,
  envelopeCode: string,
  ballot: VoterBallot,
  options: { now?: Date; k?: Kernel; campaign?: string } = {},
) => {
  const k = options.k ?? kernel;
  return inTransaction(k.db, (trx) =>
    castBallot(trx, k, { campaignCode: options.campaign ?? CAMPAIGN, accountId, envelopeCode, ballot, now: options.now ?? VOTE_DAY }),
  );
};

/** Awaits a refusal that must leave the vote's tables and the dashboard as they were. */
async function refusedUnchanged(promise: () => Promise<unknown>, code: string) {
  const tables = async () => ({
    vote: await voteTables(kernel),
    demands: await kernel.db.selectFrom('demands').selectAll().orderBy('id').execute(),
    counters: await kernel.db.selectFrom('reference_counters').selectAll().orderBy('key').execute(),
  });
  const before = await tables();
  const error = await refusal(promise(), code);
  expect(await tables()).toEqual(before);
  return error;
}

const ballotsOf = (accountId: string) =>
  kernel.db
    .selectFrom('pb_ballots as b')
    .innerJoin('pb_voters as v', 'v.id', 'b.voter_id')
    .innerJoin('pb_envelopes as e', 'e.id', 'b.envelope_id')
    .select(['b.id', 'e.code', 'b.status', 'b.choices', 'b.receipt_code', 'b.confirmed_at'])
    .where('v.account_id', '=', accountId)
    .orderBy('e.code')
    .execute();

/** A ballot's history, oldest first (a save and its confirmation share their time: the save first). */
const historyOf = async (ballotId: string) =>
  (await kernel.db.selectFrom('pb_ballot_history').selectAll().where('ballot_id', '=', ballotId).execute())
    .sort((a, b) => a.at.localeCompare(b.at) || (a.action === 'save' ? -1 : 1) - (b.action === 'save' ? -1 : 1))
    .map((h) => [h.action, h.actor_kind, h.actor_id, JSON.parse(h.choices)]);

const dashboardOf = (accountId: string) => kernel.db.selectFrom('demands').selectAll().where('account_id', '=', accountId).execute();

describe('a ballot cast and confirmed in one request', () => {
  it('is confirmed with its receipt, both history entries and the dashboard entry, which the next ballot updates', async () => {
    const id = await resident(kernel, 'caster@example.org');
    const voter = await choose(kernel, id, '75111');
    const receipt = await cast(id, 'city', approve('city-002', 'city-005'));
    const [city] = await ballotsOf(id);
    expect(city).toMatchObject({
      code: 'city',
      status: 'confirmed',
      receipt_code: receipt.code.replaceAll('-', ''),
      confirmed_at: receipt.confirmedAt,
    });
    expect(JSON.parse(city!.choices)).toEqual(approve('city-002', 'city-005'));
    expect(await historyOf(city!.id)).toEqual([
      ['save', 'citizen', id, approve('city-002', 'city-005')],
      ['confirm', 'citizen', id, approve('city-002', 'city-005')],
    ]);
    expect((await checkReceipt(kernel.db, kernel, receipt.code)).status).toBe('counted');

    const [entry] = await dashboardOf(id);
    expect(entry).toMatchObject({ type: 'participatory-budget:vote', status: 'closed', subject: `participatory-budget:voter:${voter.id}` });
    expect(JSON.parse(entry!.state_label!).en).toBe('Your vote counted');
    const row = await kernel.db.selectFrom('pb_voters').select('demand_id').where('id', '=', voter.id).executeTakeFirstOrThrow();
    expect(row.demand_id).toBe(entry!.id);

    await cast(id, '75111', pick('11-001', '11-002', '11-004'));
    const dashboard = await dashboardOf(id);
    expect(dashboard).toHaveLength(1);
    expect(JSON.parse(dashboard[0]!.state_label!).en).toBe('Your 2 ballots counted');
    const events = await kernel.db.selectFrom('demand_events').select('kind').where('demand_id', '=', entry!.id).orderBy('id').execute();
    expect(events.map((e) => e.kind).sort()).toEqual(['created', 'status']);
    expect((await ballotsOf(id)).map((b) => [b.code, b.status])).toEqual([
      ['75111', 'confirmed'],
      ['city', 'confirmed'],
    ]);
  });

  it('confirms a draft saved before, with the new choices and a receipt code of the draft’s own id', async () => {
    const id = await resident(kernel, 'drafter@example.org');
    await choose(kernel, id, '75111');
    const draft = await save(kernel, id, 'city', approve('city-001'));
    const receipt = await cast(id, 'city', approve('city-003'));
    const ballots = await ballotsOf(id);
    expect(ballots).toHaveLength(1);
    expect(ballots[0]).toMatchObject({ id: draft.ballotId, status: 'confirmed', receipt_code: receipt.code.replaceAll('-', '') });
    expect(JSON.parse(ballots[0]!.choices)).toEqual(approve('city-003'));
    expect((await historyOf(draft.ballotId)).map((h) => [h[0], h[3]])).toEqual([
      ['save', approve('city-001')],
      ['save', approve('city-003')],
      ['confirm', approve('city-003')],
    ]);
    expect((await checkReceipt(kernel.db, kernel, receipt.code)).status).toBe('counted');
  });
});

describe('refusals, in order, change nothing (the dashboard entry made for a first ballot included)', () => {
  it('campaign, vote phase, district, envelope, ballot, second confirmation', async () => {
    const id = await resident(kernel, 'refused@example.org');
    await refusedUnchanged(() => cast(id, 'city', approve('city-001'), { campaign: 'nowhere' }), 'participatory-budget.campaign-unknown');
    await refusedUnchanged(() => cast(id, 'city', approve('city-001'), { now: NOW }), 'participatory-budget.vote-closed');
    await refusedUnchanged(() => cast(id, 'city', approve('city-001'), { now: AFTER_VOTE }), 'participatory-budget.vote-closed');
    await refusedUnchanged(() => cast(id, 'city', approve('city-001')), 'participatory-budget.district-required');
    await choose(kernel, id, '75111');
    await refusedUnchanged(() => cast(id, '75118', approve('18-001')), 'participatory-budget.envelope-not-yours');
    await refusedUnchanged(() => cast(id, 'nowhere', approve('18-001')), 'participatory-budget.envelope-not-yours');
    const error = await refusedUnchanged(
      () => cast(id, '75111', pick('11-001', '18-001', '11-002', '11-004')),
      'participatory-budget.invalid-ballot',
    );
    expect((error as InvalidBallot).check.problems).toEqual([{ code: 'unknown-project', projectId: '18-001' }]);
    await refusedUnchanged(
      () => cast(id, 'city', approve('city-001', 'city-002', 'city-003', 'city-004', 'city-005')),
      'participatory-budget.invalid-ballot',
    );
    await cast(id, 'city', approve('city-001'));
    await refusedUnchanged(() => cast(id, 'city', approve('city-002')), 'participatory-budget.ballot-confirmed');
    // A first ballot refused at the last step (a confirmed ballot already there): its dashboard entry goes too.
    await kernel.db.updateTable('pb_voters').set({ demand_id: null }).where('account_id', '=', id).execute();
    await refusedUnchanged(() => cast(id, 'city', approve('city-002')), 'participatory-budget.ballot-confirmed');
  });

  it('a person whose paper ballot is counted, their identity typed after choosing a district (their key follows it)', async () => {
    const agent: AgentActor = await agentActor(kernel, await createTestAdmin(kernel));
    const identity = { given_name: 'Zoé', family_name: 'Bernard-Petit', birthdate: '1979-06-30' };
    const id = await resident(kernel, 'paper-then-online@example.org');
    await choose(kernel, id, '75111');
    await inTransaction(kernel.db, (trx) =>
      enterPaperBallot(trx, kernel, {
        actor: agent,
        campaignCode: CAMPAIGN,
        envelopeCode: 'city',
        voter: { givenName: 'zoe', familyName: 'BERNARD PETIT', birthdate: '1979-06-30' },
        ballot: approve('city-004'),
        now: VOTE_DAY,
      }),
    );
    await recordAttributes(kernel.db, id, identity, { source: 'self', level: LEVEL.self });
    await refusal(cast(id, 'city', approve('city-001')), 'participatory-budget.already-voted');
    expect(await ballotsOf(id)).toEqual([]);
    // The key is refreshed in the voter's row once it is written (here a district ballot, not refused).
    await cast(id, '75111', pick('11-001', '11-002', '11-004'));
    const voter = await kernel.db.selectFrom('pb_voters').select('person_key').where('account_id', '=', id).executeTakeFirstOrThrow();
    expect(voter.person_key).toEqual(expect.any(String));
    // Read from the row from now on.
    await refusedUnchanged(() => cast(id, 'city', approve('city-001')), 'participatory-budget.already-voted');
  });
});

describe('eligibility', () => {
  let e: TestApp;
  beforeAll(async () => {
    e = await startWithParticipatoryBudget();
    await votingCampaign(e.kernel, { openNow: true });
  });
  afterAll(async () => e.close());

  it('reads the identity attributes: level and age', async () => {
    const k = e.kernel;
    const typed = await resident(k, 'typed@example.org', { given_name: 'Léa', family_name: 'Roux', birthdate: '2012-01-01' });
    const vouched = await resident(k, 'vouched@example.org', {
      given_name: 'Noé',
      family_name: 'Roux',
      birthdate: '1990-01-01',
      level: LEVEL.identityProvider,
    });
    const now = new Date();
    for (const id of [typed, vouched]) {
      await inTransaction(k.db, (trx) =>
        chooseDistrict(trx, k, { campaignCode: CAMPAIGN, accountId: id, district: '75111', residenceStated: true, now }),
      );
    }
    await setEligibilityRules(
      k,
      { minimumAge: 16, residenceRequired: false, assuranceLevel: LEVEL.identityProvider },
      { beforeTheVote: false },
    );
    const refused = await refusal(cast(typed, 'city', approve('city-001'), { k, now }), 'participatory-budget.ineligible');
    expect(refused.fields.map((f) => f.message)).toEqual(['assurance-level', 'too-young']);
    await cast(vouched, 'city', approve('city-001'), { k, now });
  });
});

describe('one ballot per voter and envelope, and one dashboard entry, even in parallel', () => {
  it('two casts at once in one envelope: one is counted', async () => {
    const id = await resident(kernel, 'both-at-once@example.org');
    await choose(kernel, id, '75111');
    const results = await Promise.allSettled([cast(id, 'city', approve('city-001')), cast(id, 'city', approve('city-002'))]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as { code: string }).code).toBe(
      'participatory-budget.ballot-confirmed',
    );
    const ballots = await ballotsOf(id);
    expect(ballots).toHaveLength(1);
    expect((await historyOf(ballots[0]!.id)).map((h) => h[0])).toEqual(['save', 'confirm']);
    expect(await dashboardOf(id)).toHaveLength(1);
  });

  // A district change that waits on a confirmation holding the voter's row must then see that ballot:
  // PostgreSQL re-checks the row an UPDATE waited for, not the subquery of its WHERE.
  it.runIf(testEngine === 'postgres')('refuses a district change that waited on a confirmation, once it commits', async () => {
    const other = openDatabase({ url: t.testDb.url, sqliteFile: t.testDb.sqliteFile, schema: t.testDb.schema });
    try {
      const second: Kernel = { ...kernel, db: other.db, database: other };
      const id = await resident(kernel, 'late-district-change@example.org');
      await choose(kernel, id, '75111');
      let change: Promise<HttpError> | undefined;
      await inTransaction(other.db, async (trx) => {
        await castBallot(trx, second, {
          campaignCode: CAMPAIGN,
          accountId: id,
          envelopeCode: '75111',
          ballot: pick('11-001', '11-002', '11-004'),
          now: VOTE_DAY,
        });
        change = refusal(choose(kernel, id, '75118'), 'participatory-budget.district-locked');
        await new Promise((resolve) => setTimeout(resolve, 300));
      });
      await change;
      expect(
        await kernel.db.selectFrom('pb_voters').select('district_code').where('account_id', '=', id).executeTakeFirstOrThrow(),
      ).toEqual({ district_code: '75111' });
    } finally {
      await other.close();
    }
  });

  // Two first ballots (the city's and the district's) from two app processes: the voter's row, taken
  // by the read, orders them, so the second sees the dashboard entry the first made and counts two.
  it.runIf(testEngine === 'postgres')(
    'first ballots in two envelopes from two connections: one dashboard entry counting both',
    async () => {
      const other = openDatabase({ url: t.testDb.url, sqliteFile: t.testDb.sqliteFile, schema: t.testDb.schema });
      try {
        const second: Kernel = { ...kernel, db: other.db, database: other };
        for (let round = 0; round < 3; round++) {
          const id = await resident(kernel, `two-envelopes-${round}@example.org`);
          await choose(kernel, id, '75111');
          await Promise.all([cast(id, 'city', approve('city-001')), cast(id, '75111', pick('11-001', '11-002', '11-004'), { k: second })]);
          const dashboard = await dashboardOf(id);
          expect(dashboard).toHaveLength(1);
          expect(JSON.parse(dashboard[0]!.state_label!).en).toBe('Your 2 ballots counted');
          expect((await ballotsOf(id)).map((b) => b.status)).toEqual(['confirmed', 'confirmed']);
        }
      } finally {
        await other.close();
      }
    },
  );
});
