import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../support/app.js';
import { createCitizen } from '../../support/identity.js';
import type { Visitor } from '../../support/visitor.js';
import { accountOf, signedIn } from '../street-reports/back-office-support.js';
import { create, startWithParticipatoryBudget } from './campaigns-support.js';
import { IN_11, liveDefinition } from './proposals-support.js';

const BASE = '/budget/vivant-2027';
const ADMIN = '/admin/budget/vivant-2027';
let t: TestApp;
let resident: Visitor;
let agent: Visitor;
beforeAll(async () => {
  t = await startWithParticipatoryBudget({ demo: true });
  await create(t.kernel, liveDefinition(), { now: new Date() });
  await createCitizen(t.kernel, { email: 'lea.petit@example.org', name: 'Léa Petit' });
  resident = await signedIn(t, 'lea.petit@example.org');
  agent = await signedIn(t, 'agent.11@ville.example');
});
afterAll(async () => t.close());

/** The first proposal id linked from a page. */
const proposalIdIn = (body: string) => /\/proposals\/([0-9a-f]{28})/.exec(body)?.[1];

describe('the pages, without JavaScript', () => {
  let id: string;

  it('asks a resident to sign in to propose, then shows every problem of a bad proposal on the form', async () => {
    const anonymous = await t.app.inject({ url: `${BASE}/propose`, headers: { accept: 'text/html' } });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toContain('/login?next=');
    const form = await resident.get(`${BASE}/propose`);
    expect(form.status).toBe(200);
    expect(form.body).toContain('name="place.lat"');
    const bad = await resident.postMultipart(`${BASE}/propose`, {
      title: '',
      description: 'Des bancs.',
      cost: 'beaucoup',
      theme: 'sport',
      envelope: '75111',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('class="error-summary"');
    expect(bad.body).toMatch(/href="#title">Titre : [^<]+</);
    expect(bad.body).toContain('href="#cost"');
    // Nothing stored for this campaign (the demo city's own campaigns have their proposals).
    const live = await t.kernel.db.selectFrom('pb_campaigns').select('id').where('code', '=', 'vivant-2027').executeTakeFirstOrThrow();
    expect(await t.kernel.db.selectFrom('pb_proposals').select('id').where('campaign_id', '=', live.id).execute()).toEqual([]);
  });

  it('files a proposal with an image and a point; the domain’s refusal (point in another district) shows on the form', async () => {
    const image = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#4a7' } })
      .jpeg()
      .toBuffer();
    const fields = {
      title: 'Un jardin partagé',
      description: 'Des bacs de culture.',
      cost: '45 000',
      theme: 'environnement',
      envelope: '75118',
      'place.text': 'Square Maurice-Gardette',
      'place.lat': String(IN_11.lat),
      'place.lng': String(IN_11.lng),
    };
    const refused = await resident.postMultipart(`${BASE}/propose`, fields, {
      images: { name: 'jardin.jpg', type: 'image/jpeg', data: image },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('Le point n’est pas dans l’arrondissement choisi.');
    // The image uploaded with the refused post is kept, signed, for the next one.
    expect(refused.body).toContain('1 image(s) déjà jointe(s).');
    const kept = /name="kept" value="([^"]+)"/.exec(refused.body)![1]!;
    const sent = await resident.postMultipart(`${BASE}/propose`, { ...fields, envelope: '75111', kept });
    expect(sent.status).toBe(303);
    const page = await resident.follow(sent);
    expect(page.body).toContain('votre proposition est déposée');
    expect(page.body).toContain('/thumb');
    id = proposalIdIn(sent.location!)!;
    const row = await t.kernel.db.selectFrom('pb_proposals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'submitted', cost: 45_000, envelope_code: '75111', address: 'Square Maurice-Gardette' });
    // Not public until moderated.
    expect((await t.app.inject({ url: `${BASE}/proposals/${id}`, headers: { accept: 'text/html' } })).statusCode).toBe(404);
  });

  it('lets the town hall’s agent publish it; the public list, map and +1 follow', async () => {
    const queue = await agent.get(`${ADMIN}/proposals`);
    expect(queue.body).toContain('Un jardin partagé');
    await agent.get(`${ADMIN}/proposals/${id}`);
    const published = await agent.post(`${ADMIN}/proposals/${id}/moderate`, { decision: 'publish' });
    expect(published.status).toBe(303);

    const list = await t.app.inject({ url: `${BASE}/proposals?envelope=75111&theme=environnement`, headers: { accept: 'text/html' } });
    expect(list.body).toContain(`${BASE}/proposals/${id}`);
    expect(list.body).toContain('<svg class="report-map"');
    const filtered = await t.app.inject({ url: `${BASE}/proposals?envelope=75118`, headers: { accept: 'text/html' } });
    expect(filtered.body).not.toContain(`${BASE}/proposals/${id}`);

    await createCitizen(t.kernel, { email: 'omar.diallo@example.org' });
    const neighbour = await signedIn(t, 'omar.diallo@example.org');
    const page = await neighbour.get(`${BASE}/proposals/${id}`);
    expect(page.body).toContain('Je soutiens (+1)');
    const supported = await neighbour.follow(await neighbour.post(`${BASE}/proposals/${id}/support`, { do: 'give' }));
    expect(supported.body).toContain('1 soutien(s)');
    expect(supported.body).toContain('Retirer mon soutien');
    expect((await neighbour.post(`${BASE}/proposals/${id}/support`, { do: 'give' })).status).toBe(409);
    const forged = await neighbour.post(`${BASE}/proposals/${id}/support`, { do: 'withdraw', _csrf: 'forged' });
    expect(forged.status).toBe(403);
  });

  it('merges it into a project whose public page links back, studies it from CSV, puts it on the ballot', async () => {
    await agent.get(`${ADMIN}/proposals?status=published`);
    const merged = await agent.post(`${ADMIN}/merge`, {
      proposals: [id],
      envelope: '75111',
      title_fr: 'Jardins partagés du 11e',
      description_fr: 'Des jardins partagés dans les squares.',
    });
    expect(merged.status).toBe(303);
    expect(merged.location).toContain(`${ADMIN}/projects/75111-001`);
    const project = await t.app.inject({ url: `${BASE}/projects/75111-001`, headers: { accept: 'text/html' } });
    expect(project.body).toContain(`${BASE}/proposals/${id}`);
    const proposal = await t.app.inject({ url: `${BASE}/proposals/${id}`, headers: { accept: 'text/html' } });
    expect(proposal.body).toContain(`${BASE}/projects/75111-001`);

    await agent.get(`${ADMIN}/projects`);
    const csv = (text: string) => ({ csv: { name: 'avis.csv', type: 'text/csv', data: Buffer.from(text) } });
    const bad = await agent.postMultipart(`${ADMIN}/evaluations`, {}, csv('code;faisable;coût;mois;explication\n75111-001;non;;;\n'));
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('Ligne 2 : un projet non réalisable a une explication.');
    const good = await agent.postMultipart(
      `${ADMIN}/evaluations`,
      {},
      csv('code;faisable;coût;mois;explication\n75111-001;oui;52 000;8;\n'),
    );
    expect(good.status).toBe(303);
    await agent.get(`${ADMIN}/projects`);
    const ballot = await agent.follow(await agent.post(`${ADMIN}/ballot`, { projects: ['75111-001'] }));
    expect(ballot.body).toContain('Soumis au vote');
    const author = await accountOf(t.kernel, 'lea.petit@example.org');
    const demand = await t.kernel.db
      .selectFrom('demands')
      .select(['status', 'step'])
      .where('account_id', '=', author)
      .executeTakeFirstOrThrow();
    expect(demand).toEqual({ status: 'ongoing', step: 5 });
  });

  it('keeps another district’s agent from moderating', async () => {
    const other = await signedIn(t, 'agent.18@ville.example');
    await other.get(`${ADMIN}/proposals`);
    expect((await other.post(`${ADMIN}/proposals/${id}/moderate`, { decision: 'remove', reason: 'Non.' })).status).toBe(403);
  });
});
