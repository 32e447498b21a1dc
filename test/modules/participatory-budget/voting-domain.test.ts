import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/kernel/db/database.js';
import { inTransaction } from '../../../src/kernel/db/transaction.js';
import { LEVEL } from '../../../src/kernel/identity/citizens/attributes.js';
import type { Kernel } from '../../../src/kernel/kernel.js';
import { confirmBallot, saveBallot } from '../../../src/modules/participatory-budget/voting/ballots.js';
import type { InvalidBallot } from '../../../src/modules/participatory-budget/voting/errors.js';
import { checkReceipt } from '../../../src/modules/participatory-budget/voting/receipt-check.js';
import type { TestApp } from '../../support/app.js';
import { testEngine } from '../../support/database.js';
import { NOW, refusal, startWithParticipatoryBudget } from './campaigns-support.js';
import {
  AFTER_VOTE,
  approve,
  CAMPAIGN,
  choose,
  confirm,
  pick,
  resident,
  save,
  VOTE_DAY,
  voteTables,
  votingCampaign,
} from './voting-support.js';

let t: TestApp;
let kernel: Kernel;
beforeAll(async () => {
  t = await startWithParticipatoryBudget();
  kernel = t.kernel;
  await votingCampaign(kernel, {
    rules: {
      '75111': { type: 'knapsack', minSpendPercent: 50 },
      '75118': { type: 'majority-judgement', grades: ['good', 'fair', 'reject'] },
    },
  });
});
afterAll(async () => t.close());

/** Awaits a refusal that must leave the vote's tables as they were. */
async function refusedUnchanged(promise: () => Promise<unknown>, code: string) {
  const before = await voteTables(kernel);
  const error = await refusal(promise(), code);
  expect(await voteTables(kernel)).toEqual(before);
  return error;
}

describe('a resident votes online', () => {
  it('chooses a district, saves and changes a ballot, confirms it, gets a receipt and a dashboard entry', async () => {
    const id = await resident(kernel, 'alice@example.org');
    const voter = await choose(kernel, id, '75111');
    expect(voter.districtCode).toBe('75111');
    const first = await save(kernel, id, 'city', approve('city-001'));
    expect(first.check.valid).toBe(true);
    const second = await save(kernel, id, 'city', approve('city-002', 'city-005'));
    expect(second.ballotId).toBe(first.ballotId);
    expect(second.check.totalCost?.toString()).toBe('11000000');

    const receipt = await confirm(kernel, id, 'city');
    expect(receipt.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    const ballot = await kernel.db.selectFrom('pb_ballots').selectAll().where('id', '=', first.ballotId).executeTakeFirstOrThrow();
    expect(ballot).toMatchObject({ status: 'confirmed', channel: 'online', receipt_code: receipt.code.replaceAll('-', '') });
    expect(JSON.parse(ballot.choices)).toEqual(approve('city-002', 'city-005'));
    const history = await kernel.db.selectFrom('pb_ballot_history').selectAll().where('ballot_id', '=', ballot.id).orderBy('id').execute();
    expect(history.map((h) => [h.action, h.actor_id, JSON.parse(h.choices).projects])).toEqual([
      ['save', id, ['city-001']],
      ['save', id, ['city-002', 'city-005']],
      ['confirm', id, ['city-002', 'city-005']],
    ]);

    // The dashboard says the vote counted, and nothing of what it says.
    const demands = await kernel.db.selectFrom('demands').selectAll().where('account_id', '=', id).execute();
    expect(demands).toHaveLength(1);
    expect(demands[0]).toMatchObject({ type: 'participatory-budget:vote', status: 'closed', link: `/budget/${CAMPAIGN}/vote` });
    expect(JSON.parse(demands[0]!.state_label!)).toEqual({ fr: 'Votre vote a été compté', en: 'Your vote counted' });
    expect(JSON.stringify(demands)).not.toMatch(/city-00/);

    // The district's ballot too: the same dashboard entry counts two ballots.
    await save(kernel, id, '75111', pick('11-001', '11-002', '11-004'));
    await confirm(kernel, id, '75111');
    const entry = await kernel.db.selectFrom('demands').select('state_label').where('account_id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.parse(entry.state_label!).en).toBe('Your 2 ballots counted');

    // The public check: typed loosely, it is found; it tells the campaign and the time, not the ballot.
    const check = await checkReceipt(kernel.db, kernel, ` ${receipt.code.toLowerCase().replaceAll('-', ' ')} `);
    expect(check).toEqual({
      status: 'counted',
      campaign: { fr: 'Budget participatif 2027', en: 'Participatory budget 2027' },
      confirmedAt: ballot.confirmed_at,
    });
    expect(await checkReceipt(kernel.db, kernel, '0000-0000-0000-0000')).toEqual({ status: 'unknown' });
    expect(await checkReceipt(kernel.db, kernel, 'not a code')).toEqual({ status: 'malformed' });
  });

  it('fills each ballot type: knapsack within the envelope, a grade for every project in majority judgement', async () => {
    const id = await resident(kernel, 'bob@example.org');
    await choose(kernel, id, '75118');
    const graded = await save(kernel, id, '75118', {
      type: 'majority-judgement',
      grades: [
        { projectId: '18-001', grade: 'good' },
        { projectId: '18-002', grade: 'reject' },
      ],
    });
    expect(graded.check.valid).toBe(true);
    await confirm(kernel, id, '75118');
  });
});

describe('bad input is refused with a clear code and changes nothing', () => {
  it('outside the vote phase', async () => {
    const id = await resident(kernel, 'early@example.org');
    await refusedUnchanged(() => choose(kernel, id, '75111', { now: NOW }), 'participatory-budget.vote-closed');
    await choose(kernel, id, '75111');
    await refusedUnchanged(() => save(kernel, id, 'city', approve('city-001'), NOW), 'participatory-budget.vote-closed');
    await save(kernel, id, 'city', approve('city-001'));
    await refusedUnchanged(() => confirm(kernel, id, 'city', AFTER_VOTE), 'participatory-budget.vote-closed');
  });

  it('before choosing a district, in another district’s envelope, for a project of another district', async () => {
    const id = await resident(kernel, 'wanderer@example.org');
    await refusedUnchanged(() => save(kernel, id, 'city', approve('city-001')), 'participatory-budget.district-required');
    await refusedUnchanged(() => choose(kernel, id, 'city'), 'participatory-budget.district-unknown');
    await refusedUnchanged(() => choose(kernel, id, '75101'), 'participatory-budget.district-unknown');
    await choose(kernel, id, '75111');
    await refusedUnchanged(() => save(kernel, id, '75118', approve('18-001')), 'participatory-budget.envelope-not-yours');
    const error = await refusedUnchanged(
      () => save(kernel, id, '75111', pick('11-001', '18-001', '11-002', '11-004')),
      'participatory-budget.invalid-ballot',
    );
    expect((error as InvalidBallot).check.problems).toEqual([{ code: 'unknown-project', projectId: '18-001' }]);
  });

  it('over the limit of each ballot type', async () => {
    const id = await resident(kernel, 'greedy@example.org');
    await choose(kernel, id, '75111');
    const codes = async (envelope: string, ballot: Parameters<typeof save>[3]) =>
      (
        (await refusedUnchanged(() => save(kernel, id, envelope, ballot), 'participatory-budget.invalid-ballot')) as InvalidBallot
      ).check.problems.map((p) => p.code);
    expect(await codes('city', approve('city-001', 'city-002', 'city-003', 'city-004', 'city-005'))).toEqual(['too-many-projects']);
    expect(await codes('city', approve())).toEqual(['too-few-projects']);
    expect(await codes('75111', pick('11-001', '11-002', '11-003', '11-004', '11-005'))).toEqual(['over-budget']);
    expect(await codes('75111', pick('11-005'))).toEqual(['under-minimum-spend']);
    expect(await codes('city', { type: 'cumulative', points: [{ projectId: 'city-001', points: 3 }] })).toEqual(['wrong-ballot-type']);
  });

  it('after confirmation: no change of ballot or district, no second confirmation', async () => {
    const id = await resident(kernel, 'decided@example.org');
    await choose(kernel, id, '75111');
    await save(kernel, id, 'city', approve('city-003'));
    await confirm(kernel, id, 'city');
    await refusedUnchanged(() => save(kernel, id, 'city', approve('city-004')), 'participatory-budget.ballot-confirmed');
    await refusedUnchanged(() => confirm(kernel, id, 'city'), 'participatory-budget.ballot-confirmed');
    await refusedUnchanged(() => choose(kernel, id, '75118'), 'participatory-budget.district-locked');
    await refusedUnchanged(() => confirm(kernel, id, '75111'), 'participatory-budget.no-ballot');
  });

  it('a change of district before confirming discards the draft of the district left, in the history', async () => {
    const id = await resident(kernel, 'mover@example.org');
    await choose(kernel, id, '75111');
    const draft = await save(kernel, id, '75111', pick('11-001', '11-002'));
    await choose(kernel, id, '75118');
    expect(await kernel.db.selectFrom('pb_ballots').select('id').where('id', '=', draft.ballotId).execute()).toEqual([]);
    const history = await kernel.db
      .selectFrom('pb_ballot_history')
      .select('action')
      .where('ballot_id', '=', draft.ballotId)
      .orderBy('id')
      .execute();
    expect(history.map((h) => h.action)).toEqual(['save', 'discard']);
    await refusedUnchanged(() => confirm(kernel, id, '75111'), 'participatory-budget.envelope-not-yours');
  });
});

describe('eligibility', () => {
  let e: TestApp;
  beforeAll(async () => {
    e = await startWithParticipatoryBudget();
    await votingCampaign(e.kernel, { eligibility: { minimumAge: 16, residenceRequired: true, assuranceLevel: LEVEL.identityProvider } });
  });
  afterAll(async () => e.close());

  it('refuses a voter without the identity level, too young or without a birth date, or who does not state residence', async () => {
    const k = e.kernel;
    const reasons = async (accountId: string) =>
      (await refusal(choose(k, accountId, '75111', { residenceStated: true }), 'participatory-budget.ineligible')).fields.map(
        (f) => f.message,
      );
    const typed = await resident(k, 'typed@example.org', { given_name: 'Léa', family_name: 'Roux', birthdate: '1990-01-01' });
    expect(await reasons(typed)).toEqual(['assurance-level']);
    const young = await resident(k, 'young@example.org', {
      given_name: 'Tom',
      family_name: 'Roux',
      birthdate: '2011-09-11',
      level: LEVEL.identityProvider,
    });
    expect(await reasons(young)).toEqual(['too-young']);
    const nobody = await resident(k, 'nobody@example.org');
    expect(await reasons(nobody)).toEqual(['assurance-level', 'birthdate-missing']);

    const sixteen = await resident(k, 'sixteen@example.org', {
      given_name: 'Inès',
      family_name: 'Roux',
      birthdate: '2011-09-10',
      level: LEVEL.identityProvider,
    });
    await refusal(choose(k, sixteen, '75111'), 'participatory-budget.residence-statement-required');
    expect((await choose(k, sixteen, '75111', { residenceStated: true })).districtCode).toBe('75111');
  });

  it('cannot change once the vote has opened', async () => {
    const { setEligibility } = await import('../../../src/modules/participatory-budget/voting/eligibility.js');
    const { SYSTEM } = await import('./campaigns-support.js');
    const change = (now: Date, input: unknown) =>
      inTransaction(e.kernel.db, (trx) => setEligibility(trx, e.kernel, SYSTEM, CAMPAIGN, input, { now }));
    await refusal(
      change(NOW, { minimumAge: -1, residenceRequired: true, assuranceLevel: 300 }),
      'participatory-budget.invalid-eligibility',
    );
    await refusal(change(VOTE_DAY, { minimumAge: null, residenceRequired: false, assuranceLevel: 0 }), 'participatory-budget.frozen');
  });
});

describe('one ballot per voter and envelope, even in parallel', () => {
  it('two first saves at once make one ballot; two confirmations at once, one receipt', async () => {
    const id = await resident(kernel, 'twice@example.org');
    await choose(kernel, id, '75111');
    const saves = await Promise.all([save(kernel, id, 'city', approve('city-001')), save(kernel, id, 'city', approve('city-002'))]);
    expect(saves[0].ballotId).toBe(saves[1].ballotId);
    const confirmations = await Promise.allSettled([confirm(kernel, id, 'city'), confirm(kernel, id, 'city')]);
    expect(confirmations.map((c) => c.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = confirmations.find((c) => c.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason.code).toBe('participatory-budget.ballot-confirmed');
    const rows = await kernel.db.selectFrom('pb_ballots').select(['status']).where('id', '=', saves[0].ballotId).execute();
    expect(rows).toEqual([{ status: 'confirmed' }]);
  });

  // Two processes on one SQLite file wait for each other's write lock (busy_timeout); in one test
  // process that wait would block the other connection, so this runs where several processes share a server.
  it.runIf(testEngine === 'postgres')('holds across two connections to the database, as two app processes would have', async () => {
    const other = openDatabase({ url: t.testDb.url, sqliteFile: t.testDb.sqliteFile, schema: t.testDb.schema });
    try {
      const second: Kernel = { ...kernel, db: other.db, database: other };
      const id = await resident(kernel, 'two-processes@example.org');
      await choose(kernel, id, '75111');
      await Promise.all(
        [kernel, second, kernel, second].map((k, i) =>
          inTransaction(k.db, (trx) =>
            saveBallot(trx, {
              campaignCode: CAMPAIGN,
              accountId: id,
              envelopeCode: 'city',
              ballot: approve(`city-00${i + 1}`),
              now: VOTE_DAY,
            }),
          ),
        ),
      );
      const ballots = await kernel.db
        .selectFrom('pb_ballots as b')
        .innerJoin('pb_voters as v', 'v.id', 'b.voter_id')
        .select('b.id')
        .where('v.account_id', '=', id)
        .execute();
      expect(ballots).toHaveLength(1);
      const results = await Promise.allSettled(
        [kernel, second].map((k) =>
          inTransaction(k.db, (trx) =>
            confirmBallot(trx, k, { campaignCode: CAMPAIGN, accountId: id, envelopeCode: 'city', now: VOTE_DAY }),
          ),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const history = await kernel.db.selectFrom('pb_ballot_history').select('action').where('ballot_id', '=', ballots[0]!.id).execute();
      expect(history.filter((h) => h.action === 'confirm')).toHaveLength(1);
    } finally {
      await other.close();
    }
  });
});
