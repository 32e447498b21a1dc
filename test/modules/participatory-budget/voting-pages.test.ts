import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEVEL } from '../../../src/kernel/identity/citizens/attributes.js';
import { SESSION_COOKIE } from '../../../src/kernel/identity/sessions.js';
import { checkReceipt } from '../../../src/modules/participatory-budget/voting/receipt-check.js';
import { createTestAdmin, logInAgent } from '../../identity/agents-fixtures.js';
import type { TestApp } from '../../support/app.js';
import { sessionCookie } from '../../support/identity.js';
import { Visitor } from '../../support/visitor.js';
import { startWithParticipatoryBudget } from './campaigns-support.js';
import { CAMPAIGN, resident, setEligibilityRules, voteTables, votingCampaign } from './voting-support.js';

let t: TestApp;
beforeAll(async () => {
  t = await startWithParticipatoryBudget();
  await votingCampaign(t.kernel, {
    openNow: true,
    rules: { '75118': { type: 'cumulative', points: 10, minProjects: 2, maxPointsPerProject: 6 } },
  });
});
afterAll(async () => t.close());

const VOTE = `/budget/${CAMPAIGN}/vote`;

/** A resident signed in, as a browser without JavaScript. */
async function signedIn(email: string, lang?: string): Promise<Visitor> {
  const visitor = new Visitor(t.app, { lang });
  const cookie = await sessionCookie(t.kernel, await resident(t.kernel, email));
  visitor.setCookie(SESSION_COOKIE, cookie.split('=')[1]!);
  return visitor;
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the vote pages, without JavaScript', () => {
  it('ask to sign in first', async () => {
    const res = await new Visitor(t.app).get(VOTE);
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/login?next=${encodeURIComponent(VOTE)}`);
  });

  it('take a resident from the district to the receipt, which the public page then finds', async () => {
    const v = await signedIn('page-voter@example.org');
    const home = await v.get(VOTE);
    expect(home.status).toBe(200);
    expect(home.body).toContain('Votre arrondissement de cœur');

    // Every form carries the CSRF token: without it, nothing happens.
    expect((await v.post(`${VOTE}/district`, { district: '75111', _csrf: 'forged' })).status).toBe(403);
    const unknown = await v.post(`${VOTE}/district`, { district: 'nowhere' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain('Choisissez un arrondissement de la liste.');
    expect((await v.post(`${VOTE}/district`, { district: '75111' })).location).toBe(VOTE);
    const ballots = await v.get(VOTE);
    expect(text(ballots.body)).toContain('Pas encore de vote.');
    expect(ballots.body).toContain(`href="${VOTE}/city"`);
    expect(ballots.body).toContain(`href="${VOTE}/75111"`);

    const ballot = await v.get(`${VOTE}/city`);
    expect(ballot.body).toContain('Choisissez de 1 à 4 projets.');
    // "Update" recomputes the totals on the server and saves nothing.
    const five = { action: 'update', project: ['city-001', 'city-002', 'city-003', 'city-004', 'city-005'] };
    const updated = await v.post(`${VOTE}/city`, five);
    expect(updated.status).toBe(200);
    expect(text(updated.body)).toContain('Projets choisis : 5');
    expect(text(updated.body)).toContain('Choisissez au plus 4 projets : vous en avez choisi 5.');
    expect(updated.body).toMatch(/id="project-city-005"[^>]*checked/);
    const before = await voteTables(t.kernel);
    const refused = await v.post(`${VOTE}/city`, { ...five, action: 'review' });
    expect(refused.status).toBe(400);
    expect((await voteTables(t.kernel)).ballots).toEqual(before.ballots);

    const saved = await v.post(`${VOTE}/city`, { action: 'review', project: ['city-002', 'city-005'] });
    expect(saved.location).toBe(`${VOTE}/city/review`);
    const review = await v.get(`${VOTE}/city/review`);
    expect(text(review.body)).toContain('Projet city-002');
    expect(review.body).toContain('Confirmer mon vote');
    const confirmed = await v.post(`${VOTE}/city/confirm`);
    expect(confirmed.location).toBe(`${VOTE}/city/receipt`);
    const receipt = await v.get(`${VOTE}/city/receipt`);
    expect(receipt.body).toContain('Votre vote a été compté');
    const code = /class="reference receipt-code">([^<]+)</.exec(receipt.body)?.[1];
    expect(code).toMatch(/^\w{4}-\w{4}-\w{4}-\w{4}$/);
    // The ballot page of a confirmed ballot leads to its receipt; it cannot be changed.
    expect((await v.get(`${VOTE}/city`)).location).toBe(`${VOTE}/city/receipt`);
    expect((await v.post(`${VOTE}/city`, { action: 'review', project: ['city-001'] })).status).toBe(409);
    expect((await v.post(`${VOTE}/city/confirm`)).status).toBe(409);

    // The district's ballot, cumulative, and another district's, out of reach.
    expect((await v.get(`${VOTE}/75118`)).location).toBe(VOTE);
    const locked = await v.post(`${VOTE}/district`, { district: '75118' });
    expect(locked.status).toBe(409);
    expect(locked.body).toContain('votre arrondissement ne peut plus changer');

    const anyone = new Visitor(t.app);
    await anyone.get('/budget/receipt');
    const found = await anyone.post('/budget/receipt', { code: code!.toLowerCase() });
    expect(found.status).toBe(200);
    expect(text(found.body)).toContain('Ce vote a été compté.');
    expect(found.body).not.toContain('city-002');
    const wrong = await anyone.post('/budget/receipt', { code: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ' });
    expect(text(wrong.body)).toContain('Aucun vote confirmé ne porte ce code.');
    expect((await anyone.post('/budget/receipt', { code: 'hello' })).status).toBe(400);
  });

  it('show number inputs for points, in English too', async () => {
    const v = await signedIn('points@example.org', 'en');
    await v.get(VOTE);
    await v.post(`${VOTE}/district`, { district: '75118' });
    const page = await v.get(`${VOTE}/75118`);
    expect(page.body).toContain('Share 10 points among at least 2 projects, at most 6 points per project.');
    expect(page.body).toMatch(/<input type="number" id="points-18-001"/);
    const over = await v.post(`${VOTE}/75118`, { action: 'review', 'points-18-001': '7', 'points-18-002': '3' });
    expect(over.status).toBe(400);
    expect(text(over.body)).toContain('Project “Projet 18-001 (en)” has 7 points: at most 6 per project.');
    expect((await v.post(`${VOTE}/75118`, { action: 'review', 'points-18-001': '6', 'points-18-002': '4' })).status).toBe(303);
  });

  it('tell an ineligible resident why, and how to fix it', async () => {
    await setEligibilityRules(
      t.kernel,
      { minimumAge: null, residenceRequired: false, assuranceLevel: LEVEL.identityProvider },
      { beforeTheVote: false },
    );
    try {
      const v = await signedIn('unverified@example.org');
      const page = await v.get(VOTE);
      expect(page.status).toBe(403);
      expect(page.body).toContain('Ce vote demande une identité vérifiée');
      expect((await v.get(`${VOTE}/city`)).location).toBe(VOTE);
    } finally {
      await t.kernel.db.deleteFrom('pb_eligibility').execute();
    }
  });
});

describe('the ballot boxes’ back office', () => {
  it('is for agents holding the permission', async () => {
    const v = await signedIn('curious@example.org');
    expect((await v.get(`/admin/budget/${CAMPAIGN}/paper`)).status).toBe(403);
  });

  it('enters a paper ballot and refuses a second one; imports counts or says every problem by line', async () => {
    await createTestAdmin(t.kernel);
    const agent = await logInAgent(t.app, 'admin@paris.test');
    const page = await agent.get(`/admin/budget/${CAMPAIGN}/paper?envelope=city`);
    expect(page.status).toBe(200);
    const voter = { givenName: 'Jeanne', familyName: 'Durand', birthdate: '1961-06-01' };
    const entered = await agent.post(`/admin/budget/${CAMPAIGN}/paper/ballot`, { envelope: 'city', ...voter, project: ['city-003'] });
    expect(entered.status).toBe(200);
    expect(entered.body).toMatch(/Code de reçu à remettre au votant : <strong class="reference">\w{4}-\w{4}-\w{4}-\w{4}</);
    const again = await agent.post(`/admin/budget/${CAMPAIGN}/paper/ballot`, { envelope: 'city', ...voter, project: ['city-004'] });
    expect(again.status).toBe(409);
    expect(again.body).toContain('déjà compté pour cette enveloppe');
    expect(again.body).toContain('value="Jeanne"');

    const bad = await agent.post(`/admin/budget/${CAMPAIGN}/paper/counts`, {
      csv: 'ballot_box;project;count\nmairie-11;11-001;12\nmairie-11;nope;3\n',
    });
    expect(bad.status).toBe(400);
    expect(text(bad.body)).toContain('Ligne 3 : le projet « nope » n’est pas soumis au vote.');
    const good = await agent.post(`/admin/budget/${CAMPAIGN}/paper/counts`, { csv: 'ballot_box;project;count\nmairie-11;11-001;12\n' });
    expect(text(good.body)).toContain('1 ligne(s) importée(s) pour : mairie-11.');
  });
});

describe('the JSON API for apps', () => {
  const API = `/api/v1/participatory-budget/${CAMPAIGN}`;
  const ballot = { envelope: 'city', ballot: { type: 'approval', projects: ['city-001'] }, confirm: true };

  it('votes in one request, refuses a second, and answers problems in JSON', async () => {
    expect((await new Visitor(t.app).request('POST', `${API}/ballots`, { json: ballot })).status).toBe(401);
    const v = await signedIn('app-voter@example.org');
    const early = await v.request('POST', `${API}/ballots`, { json: ballot });
    expect(early.status).toBe(409);
    expect(JSON.parse(early.body).code).toBe('participatory-budget.district-required');
    expect((await v.request('POST', `${API}/district`, { json: { district: '75111' } })).status).toBe(200);
    const bad = await v.request('POST', `${API}/ballots`, { json: { ...ballot, ballot: { type: 'approval', projects: 'city-001' } } });
    expect(bad.status).toBe(400);
    const over = await v.request('POST', `${API}/ballots`, { json: { ...ballot, ballot: { type: 'approval', projects: [] } } });
    expect(JSON.parse(over.body)).toMatchObject({
      status: 400,
      code: 'participatory-budget.invalid-ballot',
      errors: [{ message: 'too-few-projects' }],
    });

    // Two requests at once for a first ballot: exactly one is counted.
    const both = await Promise.all([
      v.request('POST', `${API}/ballots`, { json: ballot }),
      v.request('POST', `${API}/ballots`, { json: ballot }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    const counted = JSON.parse(both.find((r) => r.status === 201)!.body);
    expect(counted).toMatchObject({ status: 'confirmed', receiptCode: expect.stringMatching(/^\w{4}-\w{4}-\w{4}-\w{4}$/) });
    expect(JSON.parse(both.find((r) => r.status === 409)!.body).code).toBe('participatory-budget.ballot-confirmed');
  });

  it('confirms a draft saved before, with a receipt code that verifies', async () => {
    const v = await signedIn('app-drafter@example.org');
    await v.request('POST', `${API}/district`, { json: { district: '75118' } });
    const draft = await v.request('POST', `${API}/ballots`, { json: { ...ballot, confirm: false } });
    expect(JSON.parse(draft.body)).toEqual({ status: 'draft' });
    const done = await v.request('POST', `${API}/ballots`, { json: { ...ballot, ballot: { type: 'approval', projects: ['city-002'] } } });
    expect(done.status).toBe(201);
    const { receiptCode } = JSON.parse(done.body);
    expect((await checkReceipt(t.kernel.db, t.kernel, receiptCode)).status).toBe('counted');
    const ballots = await t.kernel.db
      .selectFrom('pb_ballots as b')
      .innerJoin('pb_voters as p', 'p.id', 'b.voter_id')
      .innerJoin('accounts as a', 'a.id', 'p.account_id')
      .select(['b.id', 'b.choices'])
      .where('a.email', '=', 'app-drafter@example.org')
      .execute();
    expect(ballots).toHaveLength(1);
    expect(JSON.parse(ballots[0]!.choices).projects).toEqual(['city-002']);
    const history = await t.kernel.db
      .selectFrom('pb_ballot_history')
      .select('action')
      .where('ballot_id', '=', ballots[0]!.id)
      .orderBy('id')
      .execute();
    expect(history.map((h) => h.action).sort()).toEqual(['confirm', 'save', 'save']);
  });
});
