import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedIdentityDemo } from '../../../src/kernel/identity/demo.js';
import { SESSION_COOKIE } from '../../../src/kernel/identity/sessions.js';
import { trackedById } from '../../../src/modules/participatory-budget/tracking/project.js';
import { logInAgent } from '../../identity/agents-fixtures.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { createCitizen, sessionCookie } from '../../support/identity.js';
import { startSmtp, type TestSmtp } from '../../support/smtp.js';
import { Visitor } from '../../support/visitor.js';
import { CAMPAIGN, photo, trackedCampaign, trackingCounts } from './tracking-support.js';

let t: TestApp;
let smtp: TestSmtp;
let ids: Awaited<ReturnType<typeof trackedCampaign>>;
const LIST = `/budget/${CAMPAIGN}/realisations`;
const SQUARE = `${LIST}/11-001`;
const ADMIN_SQUARE = `/admin${SQUARE}`;

async function resident(email: string): Promise<Visitor> {
  const visitor = new Visitor(t.app);
  visitor.setCookie(SESSION_COOKIE, (await sessionCookie(t.kernel, await createCitizen(t.kernel, { email }))).split('=')[1]!);
  return visitor;
}

beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestApp({
    overrides: { modules: ['pages', 'participatory-budget'], smtp: smtp.config, publicUrl: 'https://paris.example' },
  });
  await seedIdentityDemo(t.kernel);
  ids = await trackedCampaign(t.kernel);
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

describe('the public list and map', () => {
  it('lists every tracked project with its status and progress as text and meter, and maps those with a place', async () => {
    const page = await new Visitor(t.app).get(LIST);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<html lang="fr"');
    for (const title of ['Square Maurice-Gardette', 'Plan vélo', 'Jardin partagé']) expect(page.body).toContain(title);
    expect(page.body).toContain('<span id="progress-11-001">Réalisé à 0 %</span>');
    expect(page.body).toMatch(/<meter[^>]*aria-labelledby="progress-11-001"/);
    // The square and the garden are on the map; the city-wide plan, without a point, only in the list.
    const map = page.body.slice(page.body.indexOf('<svg'), page.body.indexOf('</svg>'));
    expect(map).toContain(`href="${SQUARE}"`);
    expect(map).toContain(`href="${LIST}/18-001"`);
    expect(map).not.toContain(`href="${LIST}/city-001"`);
  });

  it('filters by envelope and status, ignores unknown values, and speaks English', async () => {
    const visitor = new Visitor(t.app);
    const of18 = await visitor.get(`${LIST}?envelope=75118`);
    expect(of18.body).toContain('Jardin partagé');
    expect(of18.body).not.toContain('Square Maurice-Gardette');
    const delivered = await visitor.get(`${LIST}?status=delivered`);
    expect(delivered.body).toContain('Aucun projet suivi ne correspond à ces critères.');
    expect((await visitor.get(`${LIST}?envelope=nowhere&status=lost`)).body).toContain('Square Maurice-Gardette');
    const english = await visitor.get(`${LIST}?lang=en`);
    expect(english.body).toContain('Execution of the winning projects');
    expect(english.body).toContain('Square Maurice-Gardette (en)');
    expect(english.body).toContain('0% done');
  });

  it('answers 404 for an unknown campaign, a campaign still being prepared, or a project that is not tracked', async () => {
    const visitor = new Visitor(t.app);
    expect((await visitor.get('/budget/nope-2027/realisations')).status).toBe(404);
    await t.kernel.db.updateTable('pb_campaigns').set({ status: 'draft' }).where('code', '=', CAMPAIGN).execute();
    expect((await visitor.get(LIST)).status).toBe(404);
    await t.kernel.db.updateTable('pb_campaigns').set({ status: 'published' }).where('code', '=', CAMPAIGN).execute();
    const unknown = await visitor.get(`${LIST}/11-999`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('Ce projet n’est pas suivi');
  });
});

describe('following a project', () => {
  it('asks an anonymous visitor to log in; a resident follows and unfollows with the CSRF-protected button', async () => {
    const anonymous = await new Visitor(t.app).get(SQUARE);
    expect(anonymous.body).toContain(`/login?next=${encodeURIComponent(SQUARE)}`);
    expect((await new Visitor(t.app).post(`${SQUARE}/follow`, {}, { csrf: false })).status).toBeGreaterThanOrEqual(300);

    const camille = await resident('suivi@example.org');
    await camille.get(SQUARE);
    expect((await camille.post(`${SQUARE}/follow`, { _csrf: 'forged' })).status).toBe(403);
    const followed = await camille.follow(await camille.post(`${SQUARE}/follow`));
    expect(followed.body).toContain('Vous suivez ce projet');
    expect(followed.body).toContain('1 personne(s) suivent ce projet.');
    expect(followed.body).toContain('Ne plus suivre ce projet');
    const unfollowed = await camille.follow(await camille.post(`${SQUARE}/unfollow`));
    expect(unfollowed.body).toContain('Vous ne suivez plus ce projet.');
    expect(unfollowed.body).toContain('0 personne(s) suivent ce projet.');
  });
});

describe('the back office', () => {
  it('lets the 11th’s agent update the square; its follower gets the mail; a refused form changes nothing', async () => {
    const follower = await resident('abonne@example.org');
    await follower.get(SQUARE);
    await follower.post(`${SQUARE}/follow`);

    const agent = await logInAgent(t.app, 'agent.11@ville.example', DEMO_PASSWORD);
    const list = await agent.get(`/admin/budget/${CAMPAIGN}/realisations`);
    expect(list.body).toContain(`href="${ADMIN_SQUARE}"`);
    expect(list.body).not.toContain('18-001');
    expect(list.body).not.toContain('city-001');
    expect((await agent.get(SQUARE)).body).toContain(`href="${ADMIN_SQUARE}"`);
    const page = await agent.get(ADMIN_SQUARE);
    expect(page.status).toBe(200);

    const before = await trackingCounts(t.kernel);
    const tooMuch = await agent.post(`${ADMIN_SQUARE}/progress`, { status: 'works', progress: '120', reason: '' });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body).toContain('L’avancement est un nombre entier de 0 à 100.');
    expect(tooMuch.body).toContain('value="120"');
    const noReason = await agent.post(`${ADMIN_SQUARE}/progress`, { status: 'abandoned', progress: '10', reason: '' });
    expect(noReason.status).toBe(400);
    expect(noReason.body).toContain('Indiquez pourquoi le projet est abandonné.');
    expect(await trackingCounts(t.kernel)).toEqual(before);

    const saved = await agent.post(`${ADMIN_SQUARE}/progress`, { status: 'works', progress: '45', reason: '' });
    expect(saved.status).toBe(303);
    expect((await agent.follow(saved)).body).toContain('Le suivi est mis à jour');
    expect(await trackedById(t.kernel.db, ids.square)).toMatchObject({ status: 'works', progress: 45 });

    await t.kernel.jobs.runDue();
    const [mail] = smtp.to('abonne@example.org');
    expect(mail?.subject).toBe('Budget participatif : du nouveau sur « Square Maurice-Gardette »');
    expect(mail?.text).toContain('Nouvel état : Travaux, réalisé à 45 %.');
    expect(mail?.text).toContain(`https://paris.example${SQUARE}`);
  });

  it('adds a milestone with a photo (multipart, without JavaScript), shown on the public page', async () => {
    const agent = await logInAgent(t.app, 'agent.11@ville.example', DEMO_PASSWORD);
    await agent.get(ADMIN_SQUARE);
    const fields = { date: '2028-04-02', titleFr: 'Pose des bancs', titleEn: 'Benches installed', textFr: 'Six bancs.', textEn: '' };
    const refused = await agent.postMultipart(`${ADMIN_SQUARE}/milestones`, { ...fields, date: 'demain' });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('Indiquez une date valide.');
    expect(refused.body).toContain('value="Pose des bancs"');

    const added = await agent.postMultipart(`${ADMIN_SQUARE}/milestones`, fields, {
      photos: { name: 'bancs.jpg', type: 'image/jpeg', data: await photo() },
    });
    expect(added.status).toBe(303);
    const publicPage = await new Visitor(t.app).get(SQUARE);
    expect(publicPage.body).toContain('Pose des bancs');
    expect(publicPage.body).toContain('<time datetime="2028-04-02">');
    const src = /<img src="(\/files\/[0-9a-f]+\/thumb)"/.exec(publicPage.body)?.[1];
    expect(src).toBeDefined();
    const thumb = await t.app.inject({ url: src! });
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toMatch(/^image\//);
  });

  it('refuses an agent of another district, and a resident, with nothing changed', async () => {
    const before = await trackingCounts(t.kernel);
    const of18 = await logInAgent(t.app, 'agent.18@ville.example', DEMO_PASSWORD);
    const page = await of18.get(ADMIN_SQUARE);
    expect(page.status).toBe(403);
    expect(page.body).toContain('Il faut le droit de suivre la réalisation des projets dans le secteur de ce projet.');
    await of18.get(`/admin/budget/${CAMPAIGN}/realisations/18-001`);
    expect((await of18.post(`${ADMIN_SQUARE}/progress`, { status: 'delivered', progress: '100' })).status).toBe(403);
    expect((await of18.get(SQUARE)).body).not.toContain(`href="${ADMIN_SQUARE}"`);
    const camille = await resident('pas-agent@example.org');
    await camille.get(SQUARE);
    expect((await camille.post(`${ADMIN_SQUARE}/progress`, { status: 'delivered', progress: '100' })).status).toBeGreaterThanOrEqual(400);
    expect(await trackingCounts(t.kernel)).toEqual(before);
  });
});
