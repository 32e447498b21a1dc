import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../src/kernel/db/transaction.js';
import type { Kernel } from '../../../src/kernel/kernel.js';
import { freezeOpenedVotes, updateEnvelope } from '../../../src/modules/participatory-budget/campaigns/envelopes.js';
import { loadCampaign } from '../../../src/modules/participatory-budget/campaigns/store.js';
import participatoryBudget, { FREEZE_JOB } from '../../../src/modules/participatory-budget/module.js';
import type { TestApp } from '../../support/app.js';
import {
  create,
  gate,
  goodDefinition,
  NOW,
  refusal,
  SYSTEM,
  sleep,
  startWithParticipatoryBudget,
  VOTE_OPENS,
} from './campaigns-support.js';

let t: TestApp;
let k: Kernel;
beforeAll(async () => {
  t = await startWithParticipatoryBudget();
  k = t.kernel;
});
afterAll(async () => t.close());

let counter = 0;
/** A fresh campaign (proposals open at NOW, vote opening at VOTE_OPENS) for each test. */
async function campaign(): Promise<string> {
  const code = `essai-${++counter}`;
  await create(k, { ...goodDefinition(), code });
  return code;
}
const update = (code: string, envelope: string, changes: unknown, now: Date = NOW) =>
  inTransaction(k.db, (trx) => updateEnvelope(trx, k, SYSTEM, code, envelope, changes, { now }));
const envelopeOf = async (code: string, envelope: string) => (await loadCampaign(k.db, code))!.envelopes.find((e) => e.code === envelope)!;
const JUST_BEFORE = new Date(Date.parse(VOTE_OPENS) - 1);

describe('changing an envelope before the vote', () => {
  it('changes the amount, reserved amounts, ballot rules and winner rule, with an audit entry', async () => {
    const code = await campaign();
    const updated = await update(code, '75111', {
      amount: 6_000_000,
      reserved: [
        { code: 'quartiers-populaires', label: { fr: 'Quartiers populaires', en: 'Working-class neighbourhoods' }, amount: 2_500_000 },
        { code: 'ecoles', label: { fr: 'Écoles', en: 'Schools' }, amount: 800_000 },
      ],
      ballotRules: { type: 'knapsack', minSpendPercent: 70 },
      winnerRule: 'equalshares/add1',
    });
    expect(updated).toMatchObject({ code: '75111', amount: 6_000_000, winnerRule: 'equalshares/add1', frozenAt: null });
    expect(updated.ballotRules).toEqual({ type: 'knapsack', minSpendPercent: 70, minProjects: 1 });
    expect(updated.reserved.map((r) => [r.code, r.amount])).toEqual([
      ['quartiers-populaires', 2_500_000],
      ['ecoles', 800_000],
    ]);
    expect(await envelopeOf(code, '75111')).toEqual(updated);
    const entry = await k.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'participatory-budget.envelope.update')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(entry.details)).toMatchObject({
      campaign: code,
      envelope: '75111',
      before: { amount: 5_000_000, winnerRule: 'greedy' },
      after: { amount: 6_000_000, winnerRule: 'equalshares/add1' },
    });
  });

  it('refuses an amount below the reserved amounts, a bad winner rule and unknown fields, naming them', async () => {
    const code = await campaign();
    const below = await refusal(update(code, '75111', { amount: 1_000_000 }), 'participatory-budget.invalid-envelope');
    expect(below.fields).toEqual([{ field: 'reserved.0.amount', message: '2000000 is more than the envelope’s amount (1000000)' }]);
    const bad = await refusal(update(code, '75111', { winnerRule: 'plurality', colour: 'red' }), 'participatory-budget.invalid-envelope');
    expect(bad.fields.map((f) => f.field).sort()).toEqual(['', 'winnerRule']);
    expect(bad.message).toMatch(/unknown field\(s\) "colour"/);
    const nothing = await refusal(update(code, '75111', {}), 'participatory-budget.invalid-envelope');
    expect(nothing.message).toMatch(/says nothing to change/);
    expect((await envelopeOf(code, '75111')).amount).toBe(5_000_000);
  });

  it('answers 404 for an unknown campaign or envelope', async () => {
    const code = await campaign();
    expect((await refusal(update('nope', 'city', { amount: 1 }), 'participatory-budget.campaign-unknown')).statusCode).toBe(404);
    expect((await refusal(update(code, '75112', { amount: 1 }), 'participatory-budget.envelope-unknown')).statusCode).toBe(404);
  });
});

describe('the freeze when the vote opens', () => {
  it('refuses every change from the vote’s first millisecond, by the dates alone, and changes nothing', async () => {
    const code = await campaign();
    for (const changes of [
      { amount: 6_000_000 },
      { reserved: [] },
      { ballotRules: { type: 'approval', maxProjects: 8 } },
      { winnerRule: 'equalshares' },
      { label: { fr: 'Onzième', en: 'Eleventh' } },
    ]) {
      const error = await refusal(update(code, '75111', changes, new Date(VOTE_OPENS)), 'participatory-budget.frozen');
      expect(error.statusCode).toBe(409);
      expect(error.message).toContain(`opened at ${VOTE_OPENS}`);
      expect(error.fields.map((f) => f.field)).toEqual(Object.keys(changes));
    }
    const envelope = await envelopeOf(code, '75111');
    expect(envelope).toMatchObject({
      amount: 5_000_000,
      winnerRule: 'greedy',
      ballotRules: { type: 'approval', maxProjects: 4, minProjects: 1 },
    });
    expect(envelope.reserved).toHaveLength(1);
    // A moment before, the same change goes through.
    expect((await update(code, '75111', { amount: 6_000_000 }, JUST_BEFORE)).amount).toBe(6_000_000);
  });

  it('records the freeze on every envelope (frozen_at = the vote’s opening), once, with an audit entry; frozen rows refuse even a clock that lags', async () => {
    const code = await campaign();
    const other = await campaign();
    const frozen = await inTransaction(k.db, (trx) => freezeOpenedVotes(trx, new Date(Date.parse(VOTE_OPENS) + 30_000)));
    expect(frozen).toEqual(expect.arrayContaining([code, other]));
    expect((await loadCampaign(k.db, code))!.envelopes.map((e) => e.frozenAt)).toEqual([VOTE_OPENS, VOTE_OPENS, VOTE_OPENS]);
    expect(await inTransaction(k.db, (trx) => freezeOpenedVotes(trx, new Date(Date.parse(VOTE_OPENS) + 90_000)))).toEqual([]);
    const entries = await k.db
      .selectFrom('audit_log')
      .select(['actor_label', 'details'])
      .where('action', '=', 'participatory-budget.envelopes.freeze')
      .execute();
    expect(entries.filter((e) => JSON.parse(e.details).campaign === code)).toEqual([
      { actor_label: 'participatory-budget:freeze', details: JSON.stringify({ campaign: code, voteOpenedAt: VOTE_OPENS, envelopes: 3 }) },
    ]);
    await refusal(update(code, 'city', { amount: 1 }, JUST_BEFORE), 'participatory-budget.frozen');
  });

  it('freezes nothing before the vote opens', async () => {
    const code = await campaign();
    const frozen = await inTransaction(k.db, (trx) => freezeOpenedVotes(trx, JUST_BEFORE));
    expect(frozen).not.toContain(code);
    expect((await loadCampaign(k.db, code))!.envelopes.every((e) => e.frozenAt === null)).toBe(true);
  });

  it('is run by the module’s job, scheduled every minute', async () => {
    // Created as if before its vote (2027), but the job runs at the real time: make the vote already open.
    const code = `essai-${++counter}`;
    const def = goodDefinition();
    const past = (iso: string) => new Date(Date.parse(iso) - 3 * 365 * 86_400_000).toISOString();
    await create(
      k,
      {
        ...def,
        code,
        phases: def.phases.map((p) => ({ ...p, startsAt: past(p.startsAt), ...(p.endsAt ? { endsAt: past(p.endsAt) } : {}) })),
      },
      { now: new Date('2020-01-01T00:00:00Z') },
    );
    expect(participatoryBudget.schedules).toEqual([{ name: FREEZE_JOB, cron: '* * * * *', job: FREEZE_JOB }]);
    await participatoryBudget.jobs![FREEZE_JOB]!(
      {},
      { kernel: k, log: k.log, job: { id: 'j', name: FREEZE_JOB, attempt: 1, maxAttempts: 1 }, signal: new AbortController().signal },
    );
    expect((await loadCampaign(k.db, code))!.envelopes.every((e) => e.frozenAt !== null)).toBe(true);
  });
});

describe('two agents at once', () => {
  it('a change that waits behind the freeze is refused once the freeze commits, and writes nothing', async () => {
    const code = await campaign();
    const hold = gate();
    let freezeDone = false;
    // The scheduled freeze takes the campaign and holds its transaction open…
    const freezing = inTransaction(k.db, async (trx) => {
      const frozen = await freezeOpenedVotes(trx, new Date(Date.parse(VOTE_OPENS) + 1000));
      await hold.wait;
      freezeDone = true;
      return frozen;
    });
    await sleep(50);
    // …while an agent, whose request started a moment before the vote opened, changes an amount.
    const changing = update(code, '75111', { amount: 9_000_000 }, JUST_BEFORE).then(
      () => 'applied',
      (e: { code?: string }) => (freezeDone ? e.code : `refused before the freeze committed: ${e.code}`),
    );
    await sleep(200);
    hold.open();
    expect(await freezing).toContain(code);
    expect(await changing).toBe('participatory-budget.frozen');
    expect(await envelopeOf(code, '75111')).toMatchObject({ amount: 5_000_000, frozenAt: VOTE_OPENS });
  });

  it('a change already under way when the vote opens commits first; the freeze then covers what it wrote', async () => {
    const code = await campaign();
    const hold = gate();
    const changing = inTransaction(k.db, async (trx) => {
      const envelope = await updateEnvelope(trx, k, SYSTEM, code, '75111', { amount: 7_000_000 }, { now: JUST_BEFORE });
      await hold.wait;
      return envelope;
    });
    await sleep(50);
    const freezing = inTransaction(k.db, (trx) => freezeOpenedVotes(trx, new Date(Date.parse(VOTE_OPENS) + 1000)));
    await sleep(200);
    hold.open();
    await changing;
    expect(await freezing).toContain(code);
    expect(await envelopeOf(code, '75111')).toMatchObject({ amount: 7_000_000, frozenAt: VOTE_OPENS });
  });

  it('two changes before the vote both apply, one after the other', async () => {
    const code = await campaign();
    const { revision } = (await loadCampaign(k.db, code))!;
    const results = await Promise.all([
      update(code, 'city', { amount: 31_000_000 }),
      update(code, 'city', { winnerRule: 'equalshares-comparison' }),
    ]);
    expect(results).toHaveLength(2);
    const after = await loadCampaign(k.db, code);
    expect(after!.revision).toBe(revision + 2);
    expect(after!.envelopes[0]).toMatchObject({ code: 'city', amount: 31_000_000, winnerRule: 'equalshares-comparison' });
  });
});
