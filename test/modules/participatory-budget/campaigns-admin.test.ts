import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, nowIso, toJson } from '../../../src/kernel/db/values.js';
import { DEMO_PASSWORD, seedIdentityDemo } from '../../../src/kernel/identity/demo.js';
import { hashPassword } from '../../../src/kernel/identity/password.js';
import { SESSION_COOKIE } from '../../../src/kernel/identity/sessions.js';
import { campaignValues } from '../../../src/modules/participatory-budget/campaigns/admin/form-values.js';
import { loadCampaign } from '../../../src/modules/participatory-budget/campaigns/store.js';
import { loadEligibility } from '../../../src/modules/participatory-budget/voting/eligibility.js';
import { logInAgent } from '../../identity/agents-fixtures.js';
import type { TestApp } from '../../support/app.js';
import type { Visitor } from '../../support/visitor.js';
import { formValues, summaryLinks } from './campaigns-admin-support.js';
import { create, goodDefinition, startWithParticipatoryBudget } from './campaigns-support.js';

/** The campaigns' back office: list, create and edit forms, refusals that change nothing, the freeze, access. */
let t: TestApp;
let admin: Visitor;
const LIST = '/admin/budget/campaigns';
const NEW = `${LIST}/new`;
const settings = (code: string) => `/admin/budget/${code}/settings`;

const count = async (table: 'pb_campaigns' | 'audit_log') =>
  Number(
    (
      await t.kernel.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** An agent whose only role, for the whole city, holds these permissions: no `participatory-budget.manage` anywhere. */
async function agentHolding(role: string, permissions: string[]): Promise<Visitor> {
  const now = nowIso();
  const id = newId();
  const email = `${role}@ville.example`;
  await t.kernel.db
    .insertInto('roles')
    .values({ code: role, name_fr: role, name_en: role, permissions: toJson(permissions), created_at: now, updated_at: now })
    .execute();
  await t.kernel.db
    .insertInto('accounts')
    .values({
      id,
      kind: 'agent',
      email,
      password_hash: await hashPassword(DEMO_PASSWORD),
      display_name: role,
      is_admin: 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const root = t.kernel.config.city.code;
  await t.kernel.db
    .insertInto('grants')
    .values({ id: newId(), account_id: id, role_code: role, unit_code: root, granted_by: null, created_at: now })
    .execute();
  return logInAgent(t.app, email, DEMO_PASSWORD);
}

/** The new campaign form as shown, filled in as an agent would: a city envelope, the 11th's with a reserved amount, knapsack. */
async function filledNewForm(code: string): Promise<Record<string, string>> {
  const page = await admin.get(NEW);
  expect(page.status).toBe(200);
  return {
    ...formValues(page.body),
    code,
    title_fr: 'Budget participatif 2028',
    title_en: 'Participatory budget 2028',
    'phase-proposals-start': '2027-11-02T09:00',
    'phase-proposals-end': '2028-01-15T18:00',
    'phase-vote-start': '2028-09-01T10:00',
    'phase-vote-end': '2028-09-22T20:00',
    'env-city-amount': '30 000 000',
    'env-75111-amount': '5000000',
    'env-75111-ballot': 'knapsack',
    'env-75111-maxProjects': '',
    'env-75111-minSpendPercent': '70',
    'env-75111-winner': 'equalshares',
    'env-75111-reserved-0-code': 'quartiers-populaires',
    'env-75111-reserved-0-label_fr': 'Quartiers populaires',
    'env-75111-reserved-0-label_en': 'Working-class neighbourhoods',
    'env-75111-reserved-0-amount': '2000000',
    'theme-0-code': 'sport',
    'theme-0-label_fr': 'Sport',
    'theme-0-label_en': 'Sport',
    minimumAge: '16',
    assuranceLevel: '600',
  };
}

beforeAll(async () => {
  t = await startWithParticipatoryBudget();
  await seedIdentityDemo(t.kernel);
  admin = await logInAgent(t.app, 'admin@ville.example', DEMO_PASSWORD);
});
afterAll(async () => t?.close());

describe('creating a campaign', () => {
  it('saves the form through the domain: times from the city’s zone, envelopes, rules with defaults, eligibility', async () => {
    const posted = await admin.post(NEW, await filledNewForm('essai-2028'));
    expect(posted.status, summaryLinks(posted.body).join()).toBe(303);
    expect(posted.location).toBe(`${settings('essai-2028')}?notice=created`);
    const campaign = (await loadCampaign(t.kernel.db, 'essai-2028'))!;
    expect(campaign.status).toBe('draft');
    expect(campaign.phases).toEqual([
      { phase: 'proposals', startsAt: '2027-11-02T08:00:00.000Z', endsAt: '2028-01-15T17:00:00.000Z' },
      // Summer time in Paris: two hours ahead of UTC.
      { phase: 'vote', startsAt: '2028-09-01T08:00:00.000Z', endsAt: '2028-09-22T18:00:00.000Z' },
    ]);
    expect(campaign.envelopes.map((e) => [e.code, e.amount, e.winnerRule])).toEqual([
      ['city', 30_000_000, 'greedy'],
      ['75111', 5_000_000, 'equalshares'],
    ]);
    expect(campaign.envelopes[0]!.label.fr).toBe('Toute la ville');
    expect(campaign.envelopes[0]!.ballotRules).toEqual({ type: 'approval', maxProjects: 4, minProjects: 1 });
    expect(campaign.envelopes[1]!.ballotRules).toEqual({ type: 'knapsack', minSpendPercent: 70, minProjects: 1 });
    expect(campaign.envelopes[1]!.reserved).toEqual([
      { code: 'quartiers-populaires', label: { fr: 'Quartiers populaires', en: 'Working-class neighbourhoods' }, amount: 2_000_000 },
    ]);
    expect(campaign.themes).toEqual([{ code: 'sport', label: { fr: 'Sport', en: 'Sport' } }]);
    expect(await loadEligibility(t.kernel.db, campaign.id)).toEqual({ minimumAge: 16, residenceRequired: false, assuranceLevel: 600 });

    const page = await admin.get(`${settings('essai-2028')}?notice=created`);
    expect(page.body).toContain('Campagne créée.');
    expect(page.body).toContain('value="2028-09-01T10:00"');
  });

  it('shows every problem next to its field with a summary, in French, and saves nothing', async () => {
    const before = [await count('pb_campaigns'), await count('audit_log')];
    const form = {
      ...(await filledNewForm('Pas Un Code')),
      'env-city-amount': '12,50',
      'env-75111-reserved-0-amount': '9000000',
      'phase-vote-start': '2028-01-10T10:00',
      'env-75118-amount': '100',
      'env-75118-ballot': 'cumulative',
      'env-75118-maxProjects': '',
      minimumAge: 'seize',
    };
    const res = await admin.post(NEW, form);
    expect(res.status).toBe(400);
    expect(summaryLinks(res.body)).toEqual([
      'code',
      'phase-vote-start',
      'env-city-amount',
      'env-75111-reserved-0-amount',
      'env-75118-points',
      'env-75118-minProjects',
      'env-75118-maxPointsPerProject',
      'minimumAge',
    ]);
    expect(res.body).toContain('Utilisez des lettres minuscules, des chiffres et des tirets.');
    expect(res.body).toContain('Cette phase commence avant la fin de la phase « Dépôt des projets ».');
    expect(res.body).toContain('Indiquez un montant en euros, nombre entier d’au moins 1.');
    expect(res.body).toContain('Ce montant réservé dépasse le montant de l’enveloppe.');
    // The field itself says it is wrong, and what was typed is kept.
    expect(res.body).toMatch(/id="env-city-amount"[^>]*value="12,50"[^>]*aria-describedby="env-city-amount-hint env-city-amount-error"/);
    expect([await count('pb_campaigns'), await count('audit_log')]).toEqual(before);
  });

  it('refuses a code already used, beside the code', async () => {
    const res = await admin.post(NEW, await filledNewForm('essai-2028'));
    expect(res.status).toBe(409);
    expect(summaryLinks(res.body)).toEqual(['code']);
    expect(res.body).toContain('Une campagne porte déjà ce code.');
  });
});

describe('editing a campaign', () => {
  it('changes what the form changes, and writes nothing of what it leaves as it was', async () => {
    await create(t.kernel, goodDefinition());
    const page = await admin.get(settings('essai-2027'));
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/id="code"[^>]*readonly/);
    const form = formValues(page.body);
    const res = await admin.post(settings('essai-2027'), {
      ...form,
      title_fr: 'Budget participatif 2027, édition revue',
      'env-city-amount': '31000000',
      'env-75118-amount': '',
      'env-75120-amount': '2000000',
      'theme-2-code': 'culture',
      'theme-2-label_fr': 'Culture',
      'theme-2-label_en': 'Culture',
      residenceRequired: 'yes',
    });
    expect(res.status, summaryLinks(res.body).join()).toBe(303);
    const campaign = (await loadCampaign(t.kernel.db, 'essai-2027'))!;
    expect(campaign.title.fr).toBe('Budget participatif 2027, édition revue');
    expect(campaign.envelopes.map((e) => [e.code, e.amount])).toEqual([
      ['city', 31_000_000],
      ['75111', 5_000_000],
      ['75120', 2_000_000],
    ]);
    expect(campaign.themes.map((th) => th.code)).toEqual(['sport', 'environnement', 'culture']);
    expect((await loadEligibility(t.kernel.db, campaign.id)).residenceRequired).toBe(true);
    const actions = await t.kernel.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'participatory-budget.%')
      .where('details', 'like', '%essai-2027%')
      .orderBy('id')
      .execute();
    // Entries of one millisecond have ids in no particular order: compare the sets.
    expect(actions.map((a) => a.action).sort()).toEqual([
      'participatory-budget.campaign.create',
      'participatory-budget.campaign.update',
      'participatory-budget.eligibility.set',
      'participatory-budget.envelope.add',
      'participatory-budget.envelope.remove',
      'participatory-budget.envelope.update',
    ]);

    // Posted again as shown, the form changes nothing but the campaign's own row.
    const again = formValues((await admin.get(settings('essai-2027'))).body);
    const auditBefore = await count('audit_log');
    expect((await admin.post(settings('essai-2027'), again)).status).toBe(303);
    expect(await count('audit_log')).toBe(auditBefore + 1);
  });

  it('refuses a form read before someone else changed the campaign', async () => {
    const stale = formValues((await admin.get(settings('essai-2027'))).body);
    const fresh = formValues((await admin.get(settings('essai-2027'))).body);
    expect((await admin.post(settings('essai-2027'), { ...fresh, title_en: 'Changed first' })).status).toBe(303);
    const res = await admin.post(settings('essai-2027'), { ...stale, 'env-city-amount': '1000' });
    expect(res.status).toBe(409);
    expect(res.body).toContain('La campagne a été modifiée entre-temps');
    expect((await loadCampaign(t.kernel.db, 'essai-2027'))!.envelopes[0]!.amount).toBe(31_000_000);
  });
});

describe('once the vote has opened', () => {
  const CODE = 'vote-ouvert';
  beforeAll(async () => {
    const definition = goodDefinition();
    definition.code = CODE;
    definition.phases = [
      { phase: 'proposals', startsAt: '2026-01-01T00:00:00+01:00', endsAt: '2026-06-01T00:00:00+02:00' },
      { phase: 'vote', startsAt: '2026-09-01T10:00:00+02:00', endsAt: '2027-01-10T00:00:00+01:00' },
    ];
    // Created before its vote, as a real campaign would be: the dates alone freeze it now.
    await create(t.kernel, definition, { now: new Date('2026-02-01T00:00:00Z') });
  });

  it('shows the envelopes, rules and eligibility as text, and lets the title and later phases change', async () => {
    const page = await admin.get(settings(CODE));
    expect(page.status).toBe(200);
    expect(page.body).toContain('Enveloppe et règles figées depuis l’ouverture du vote');
    expect(page.body).not.toContain('name="env-city-amount"');
    expect(page.body).not.toContain('name="minimumAge"');
    const res = await admin.post(settings(CODE), {
      ...formValues(page.body),
      title_fr: 'Vote en cours',
      'phase-results-start': '2027-01-10T00:00',
      'phase-results-end': '2027-02-01T00:00',
    });
    expect(res.status, summaryLinks(res.body).join()).toBe(303);
    const campaign = (await loadCampaign(t.kernel.db, CODE))!;
    expect(campaign.title.fr).toBe('Vote en cours');
    expect(campaign.phases.map((p) => p.phase)).toEqual(['proposals', 'vote', 'results']);
  });

  it('refuses, with the domain’s message, an envelope change from a form read before the vote, and the vote’s dates', async () => {
    const page = await admin.get(settings(CODE));
    const before = await loadCampaign(t.kernel.db, CODE);
    const auditBefore = await count('audit_log');
    // What the page showed before the vote opened: every envelope's fields.
    const beforeVote = campaignValues(t.kernel, before!, await loadEligibility(t.kernel.db, before!.id));
    const stale = await admin.post(settings(CODE), { ...beforeVote, ...formValues(page.body), 'env-city-amount': '1' });
    expect(stale.status).toBe(409);
    expect(summaryLinks(stale.body)).toEqual(['envelopes']);
    expect(stale.body).toContain(
      'Le vote est ouvert : les montants, les règles de vote et la règle de désignation des lauréats ne peuvent plus changer.',
    );
    const moved = await admin.post(settings(CODE), { ...formValues(page.body), 'phase-vote-start': '2026-08-01T10:00' });
    expect(moved.status).toBe(409);
    expect(summaryLinks(moved.body)).toEqual(['phase-vote-start']);
    expect(await loadCampaign(t.kernel.db, CODE)).toMatchObject({ ...before, revision: expect.any(Number), updatedAt: expect.any(String) });
    expect(await count('audit_log')).toBe(auditBefore);
  });
});

describe('access', () => {
  it('puts the campaigns in the menu, and the list links to every page of each campaign', async () => {
    expect((await admin.get('/admin')).body).toContain('href="/admin/budget/campaigns"');
    const list = await admin.get(LIST);
    expect(list.status).toBe(200);
    for (const page of ['settings', 'proposals', 'projects', 'paper', 'results', 'realisations']) {
      expect(list.body).toContain(`href="/admin/budget/essai-2027/${page}"`);
    }
    expect(list.body).toContain('Dépôt des projets');
    expect((await admin.get(`${LIST}?lang=en`)).body).toContain('Participatory budget campaigns');
  });

  it('lists the campaigns to whoever works on one of their pages, with those pages only', async () => {
    const ballotBox = await agentHolding('urne', ['participatory-budget.paper-ballots']);
    expect((await ballotBox.get('/admin')).body).toContain('href="/admin/budget/campaigns"');
    const list = await ballotBox.get(LIST);
    expect(list.status).toBe(200);
    const links = [...list.body.matchAll(/href="\/admin\/budget\/essai-2027\/([\w-]+)"/g)].map((m) => m[1]);
    expect(links).toEqual(['paper']);
    expect(list.body).not.toContain(`href="${NEW}"`);

    const elsewhere = await agentHolding('voirie', ['street-reports.triage']);
    expect((await elsewhere.get('/admin')).body).not.toContain('href="/admin/budget/campaigns"');
    const refused = await elsewhere.get(LIST);
    expect(refused.status).toBe(403);
    expect(refused.body).not.toContain('essai-2027');
    const asApi = await t.app.inject({
      method: 'GET',
      url: LIST,
      headers: { accept: 'application/json', cookie: `${SESSION_COOKIE}=${elsewhere.cookie(SESSION_COOKIE)}` },
    });
    expect(asApi.statusCode).toBe(403);
    expect(asApi.json().detail).toBe(
      `You hold none of the permissions ${['manage', 'moderate', 'projects', 'evaluate', 'paper-ballots', 'results', 'track'].map((p) => `"participatory-budget.${p}"`).join(', ')}.`,
    );
  });

  it('refuses the forms to an agent without the permission, and to a town hall’s agent, who sees the list without them', async () => {
    const before = [await count('pb_campaigns'), await count('audit_log')];
    const moderator = await agentHolding('moderation-seule', ['participatory-budget.moderate']);
    expect((await moderator.get('/admin')).body).toContain('href="/admin/budget/campaigns"');
    const moderation = await moderator.get(LIST);
    expect(moderation.body).toContain('href="/admin/budget/essai-2027/proposals"');
    expect(moderation.body).not.toContain('href="/admin/budget/essai-2027/settings"');
    for (const path of [NEW, settings('essai-2027')]) expect((await moderator.get(path)).status).toBe(403);
    await moderator.get('/admin');
    expect((await moderator.post(NEW, await filledNewForm('par-moderateur'))).status).toBe(403);

    const townHall = await logInAgent(t.app, 'agent.11@ville.example', DEMO_PASSWORD);
    const list = await townHall.get(LIST);
    expect(list.status).toBe(200);
    expect(list.body).toContain('href="/admin/budget/essai-2027/proposals"');
    expect(list.body).not.toContain('href="/admin/budget/essai-2027/settings"');
    expect(list.body).not.toContain(`href="${NEW}"`);
    for (const path of [NEW, settings('essai-2027')]) expect((await townHall.get(path)).status).toBe(403);
    const refused = await townHall.post(settings('essai-2027'), { title_fr: 'Pris par la mairie' });
    expect(refused.status).toBe(403);
    expect((await loadCampaign(t.kernel.db, 'essai-2027'))!.title.fr).not.toBe('Pris par la mairie');
    // Logins write their own audit entries; nothing else was written.
    expect(await count('pb_campaigns')).toBe(before[0]);
  });
});
