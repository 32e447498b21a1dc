import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, nowIso } from '../../../src/kernel/db/values.js';
import type { AgentActor } from '../../../src/kernel/identity/agents/acting.js';
import { actorByEmail } from '../../../src/kernel/identity/seeding-actor.js';
import { currentPhase, isFrozen, nextPhase } from '../../../src/modules/participatory-budget/campaigns/phases.js';
import { loadCampaign } from '../../../src/modules/participatory-budget/campaigns/store.js';
import type { TestApp } from '../../support/app.js';
import { create, goodDefinition, NOW, refusal, startWithParticipatoryBudget, VOTE_OPENS } from './campaigns-support.js';

let t: TestApp;
beforeAll(async () => {
  // The demo gives the city's units, roles built from the enabled modules' permissions, and agents.
  t = await startWithParticipatoryBudget({ demo: true });
});
afterAll(async () => t.close());

// Spoiling a copy goes beyond the definition’s type on purpose.
type Definition = Record<string, any>;
const spoil = (change: (d: Definition) => void) => {
  const d = { ...structuredClone(goodDefinition()), code: `essai-${newId().slice(-8)}` } as Definition;
  change(d);
  return d;
};
const problemsOf = async (definition: unknown) =>
  (await refusal(create(t.kernel, definition), 'participatory-budget.invalid-campaign')).fields;

describe('creating a campaign', () => {
  it('stores a good definition: phases in UTC and in order, the city-wide envelope first, reserved amounts, themes, an audit entry', async () => {
    const campaign = await create(t.kernel, goodDefinition());
    expect(campaign).toMatchObject({ code: 'essai-2027', status: 'draft', title: { fr: 'Budget participatif 2027' } });
    expect(campaign.phases).toEqual([
      { phase: 'proposals', startsAt: '2026-10-31T23:00:00.000Z', endsAt: '2026-12-31T23:00:00.000Z' },
      { phase: 'study', startsAt: '2026-12-31T23:00:00.000Z', endsAt: '2027-05-31T22:00:00.000Z' },
      { phase: 'vote', startsAt: VOTE_OPENS, endsAt: '2027-09-21T22:00:00.000Z' },
      { phase: 'results', startsAt: '2027-09-21T22:00:00.000Z', endsAt: '2027-09-30T22:00:00.000Z' },
      { phase: 'execution', startsAt: '2027-09-30T22:00:00.000Z', endsAt: null },
    ]);
    expect(campaign.envelopes.map((e) => [e.code, e.amount, e.winnerRule, e.frozenAt])).toEqual([
      ['city', 30_000_000, 'greedy', null],
      ['75111', 5_000_000, 'greedy', null],
      ['75118', 4_500_000, 'greedy', null],
    ]);
    expect(campaign.envelopes[1]!.reserved).toEqual([
      { code: 'quartiers-populaires', label: { fr: 'Quartiers populaires', en: 'Working-class neighbourhoods' }, amount: 2_000_000 },
    ]);
    expect(campaign.envelopes[1]!.ballotRules).toEqual({ type: 'approval', maxProjects: 4, minProjects: 1 });
    expect(campaign.themes.map((th) => th.code)).toEqual(['sport', 'environnement']);
    expect(await loadCampaign(t.kernel.db, 'essai-2027')).toEqual(campaign);
    const entry = await t.kernel.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'participatory-budget.campaign.create')
      .where('resource_id', '=', campaign.id)
      .executeTakeFirstOrThrow();
    expect(entry.actor_label).toBe('test');
    expect(JSON.parse(entry.details)).toMatchObject({ code: 'essai-2027', envelopes: [{ code: 'city', amount: 30_000_000 }, {}, {}] });
  });

  it('refuses a second campaign with the same code, and writes nothing', async () => {
    const before = await t.kernel.db
      .selectFrom('pb_envelopes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const error = await refusal(create(t.kernel, goodDefinition()), 'participatory-budget.campaign-exists');
    expect(error.statusCode).toBe(409);
    expect(error.fields).toEqual([{ field: 'code', message: '"essai-2027" is already used' }]);
    const after = await t.kernel.db
      .selectFrom('pb_envelopes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it.each<[string, (d: Definition) => void, string, RegExp]>([
    ['a code that is not a code', (d) => Object.assign(d, { code: 'Paris 2026' }), 'code', /lowercase letters, digits and "-"/],
    ['a title without English', (d) => delete d.title.en, 'title.en', /required/],
    ['an unknown field', (d) => Object.assign(d, { budget: 1 }), '', /budget/],
    ['an unknown status', (d) => Object.assign(d, { status: 'open' }), 'status', /"draft", "published", "archived"/],
    ['an unknown phase', (d) => Object.assign(d.phases[1], { phase: 'review' }), 'phases.1.phase', /must be one of "proposals"/],
    ['a date without offset', (d) => Object.assign(d.phases[0], { startsAt: '2026-11-01 00:00' }), 'phases.0.startsAt', /with its offset/],
    [
      'a phase ending before it starts',
      (d) => Object.assign(d.phases[1], { endsAt: '2026-12-01T00:00:00Z' }),
      'phases.1.endsAt',
      /after startsAt/,
    ],
    [
      'phases out of order',
      (d) => d.phases.splice(0, 2, d.phases[1], d.phases[0]),
      'phases.1.phase',
      /"proposals" must come before "study"/,
    ],
    [
      'overlapping phases',
      (d) => Object.assign(d.phases[2], { startsAt: '2027-05-01T00:00:00Z' }),
      'phases.2.startsAt',
      /overlaps "study"/,
    ],
    ['a phase twice', (d) => Object.assign(d.phases[1], { phase: 'proposals' }), 'phases.1.phase', /"proposals" is already at phases\.0/],
    ['no vote phase', (d) => d.phases.splice(2, 1), 'phases', /must include the "vote" phase/],
    ['an open phase before the last', (d) => delete d.phases[2].endsAt, 'phases.2.endsAt', /only the last phase may be left open/],
    ['no city-wide envelope', (d) => d.envelopes.splice(1, 1), 'envelopes', /city-wide envelope \("city"\)/],
    [
      'an envelope of no district',
      (d) => Object.assign(d.envelopes[2], { code: '75121' }),
      'envelopes.2.code',
      /"75121" is neither "city" nor one of the city’s districts \(75101, /,
    ],
    [
      'an envelope twice',
      (d) => Object.assign(d.envelopes[2], { code: '75111' }),
      'envelopes.2.code',
      /envelope "75111" is already at envelopes\.0/,
    ],
    ['an amount with cents', (d) => Object.assign(d.envelopes[1], { amount: 12.5 }), 'envelopes.1.amount', /whole number/],
    ['a negative amount', (d) => Object.assign(d.envelopes[1], { amount: -5 }), 'envelopes.1.amount', /at least 1/],
    [
      'a reserved amount above the envelope',
      (d) => Object.assign(d.envelopes[0].reserved[0], { amount: 6_000_000 }),
      'envelopes.0.reserved.0.amount',
      /6000000 is more than the envelope’s amount \(5000000\)/,
    ],
    [
      'reserved amounts adding up above the envelope',
      (d) => d.envelopes[0].reserved.push({ code: 'ecoles', label: { fr: 'Écoles', en: 'Schools' }, amount: 3_500_000 }),
      'envelopes.0.reserved',
      /add up to 5500000, more than the envelope’s amount \(5000000\)/,
    ],
    [
      'a reserved code twice',
      (d) => d.envelopes[0].reserved.push({ ...d.envelopes[0].reserved[0], amount: 1 }),
      'envelopes.0.reserved.1.code',
      /already at reserved\.0/,
    ],
    [
      'ballot rules without a type',
      (d) => Object.assign(d.envelopes[1], { ballotRules: { maxProjects: 4 } }),
      'envelopes.1.ballotRules.type',
      /must be one of "approval"/,
    ],
    [
      'an unknown winner rule',
      (d) => Object.assign(d.envelopes[1], { winnerRule: 'plurality' }),
      'envelopes.1.winnerRule',
      /must be one of "greedy", "greedy-no-skip"/,
    ],
    ['no theme', (d) => Object.assign(d, { themes: [] }), 'themes', /at least one theme/],
    ['a theme twice', (d) => Object.assign(d.themes[1], { code: 'sport' }), 'themes.1.code', /theme "sport" is already at themes\.0/],
  ])('refuses %s, naming the path', async (_what, change, field, message) => {
    const fields = await problemsOf(spoil(change));
    expect(fields.find((f) => f.field === field)?.message ?? `nothing at "${field}" in ${JSON.stringify(fields)}`).toMatch(message);
  });

  it('reports independent problems all at once, in a 400 problem whose detail lists them', async () => {
    const error = await refusal(
      create(
        t.kernel,
        spoil((d) => {
          d.title = { fr: 'Budget' };
          Object.assign(d.phases[1], { endsAt: '2026-12-01T00:00:00Z' });
          Object.assign(d.envelopes[2], { code: 'lyon-1', winnerRule: 'plurality' });
          Object.assign(d.envelopes[0].reserved[0], { amount: 9_000_000 });
          Object.assign(d.themes[1], { code: 'sport' });
        }),
      ),
      'participatory-budget.invalid-campaign',
    );
    expect(error.statusCode).toBe(400);
    expect(error.fields.map((f) => f.field).sort()).toEqual(
      [
        'envelopes.0.reserved.0.amount',
        'envelopes.2.code',
        'envelopes.2.winnerRule',
        'phases.1.endsAt',
        'themes.1.code',
        'title.en',
      ].sort(),
    );
    expect(error.message).toMatch(/^The campaign definition is invalid: .*phases\.1\.endsAt: must be after startsAt/);
  });

  it('refuses what is not a definition at all', async () => {
    const fields = await problemsOf('paris-2026');
    expect(fields).toHaveLength(1);
    expect(fields[0]!.field).toBe('');
  });

  it('freezes from the start the envelopes of a campaign whose vote has already opened (a past campaign imported)', async () => {
    const campaign = await create(t.kernel, { ...goodDefinition(), code: 'essai-passee' }, { now: new Date('2027-09-05T00:00:00Z') });
    expect(campaign.envelopes.map((e) => e.frozenAt)).toEqual([VOTE_OPENS, VOTE_OPENS, VOTE_OPENS]);
  });
});

describe('who may configure a campaign', () => {
  const withPermission = async (email: string, unit: string): Promise<AgentActor> => {
    const id = newId();
    const now = nowIso();
    await t.kernel.db
      .insertInto('accounts')
      .values({ id, kind: 'agent', email, password_hash: 'x', display_name: email, is_admin: 0, created_at: now, updated_at: now })
      .execute();
    await t.kernel.db
      .insertInto('grants')
      .values({ id: newId(), account_id: id, role_code: 'agent-de-mairie', unit_code: unit, granted_by: null, created_at: now })
      .execute();
    return (await actorByEmail(t.kernel.db, email)) as AgentActor;
  };

  it('an agent holding participatory-budget.manage for the whole city; not one holding it in a town hall', async () => {
    const townHall = (await actorByEmail(t.kernel.db, 'agent.11@ville.example')) as AgentActor;
    expect(townHall.grants[0]!.permissions.has('participatory-budget.manage')).toBe(true);
    const error = await refusal(
      create(t.kernel, { ...goodDefinition(), code: 'essai-mairie' }, { acting: { actor: townHall, ip: '192.0.2.1' } }),
      'participatory-budget.forbidden',
    );
    expect(error.statusCode).toBe(403);
    expect(await loadCampaign(t.kernel.db, 'essai-mairie')).toBeUndefined();

    const cityAgent = await withPermission('budget@ville.example', 'paris');
    const campaign = await create(
      t.kernel,
      { ...goodDefinition(), code: 'essai-ville' },
      { acting: { actor: cityAgent, ip: '192.0.2.2' } },
    );
    const entry = await t.kernel.db
      .selectFrom('audit_log')
      .select(['actor_id', 'actor_label', 'ip'])
      .where('resource_id', '=', campaign.id)
      .executeTakeFirstOrThrow();
    expect(entry).toEqual({ actor_id: cityAgent.account.id, actor_label: 'agent:budget@ville.example', ip: '192.0.2.2' });
  });
});

describe('the phase under way', () => {
  const at = (iso: string) => new Date(iso);
  let campaign: Awaited<ReturnType<typeof loadCampaign>> & object;
  beforeAll(async () => {
    campaign = (await loadCampaign(t.kernel.db, 'essai-2027'))!;
  });

  it('is the phase whose dates hold the moment, start included and end excluded', () => {
    expect(currentPhase(campaign, NOW)?.phase).toBe('proposals');
    expect(currentPhase(campaign, at('2026-10-31T23:00:00Z'))?.phase).toBe('proposals');
    expect(currentPhase(campaign, at('2026-12-31T22:59:59.999Z'))?.phase).toBe('proposals');
    expect(currentPhase(campaign, at('2026-12-31T23:00:00Z'))?.phase).toBe('study');
    expect(currentPhase(campaign, at(VOTE_OPENS))?.phase).toBe('vote');
    expect(currentPhase(campaign, at('2027-09-30T22:00:00Z'))?.phase).toBe('execution');
    // The last phase may stay open for years.
    expect(currentPhase(campaign, at('2031-01-01T00:00:00Z'))?.phase).toBe('execution');
  });

  it('is none before the first phase and between two phases; the next one is then known', () => {
    expect(currentPhase(campaign, at('2026-10-01T00:00:00Z'))).toBeNull();
    expect(nextPhase(campaign, at('2026-10-01T00:00:00Z'))?.phase).toBe('proposals');
    expect(currentPhase(campaign, at('2027-07-14T12:00:00Z'))).toBeNull();
    expect(nextPhase(campaign, at('2027-07-14T12:00:00Z'))?.phase).toBe('vote');
    expect(nextPhase(campaign, at('2031-01-01T00:00:00Z'))).toBeNull();
  });

  it('says the configuration is frozen from the vote’s first millisecond', () => {
    expect(isFrozen(campaign, at('2027-09-01T07:59:59.999Z'))).toBe(false);
    expect(isFrozen(campaign, at(VOTE_OPENS))).toBe(true);
  });
});
