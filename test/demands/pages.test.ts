import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/kernel/db/transaction.js';
import { SESSION_COOKIE } from '../../src/kernel/identity/sessions.js';
import { runAction } from '../../src/kernel/workflow/transition.js';
import type { TestApp } from '../support/app.js';
import { sessionCookie } from '../support/identity.js';
import { Visitor } from '../support/visitor.js';
import { applyForPermit, permitsTestApp, type TestCity } from '../workflow/city.js';

let t: TestApp;
let city: TestCity;

beforeAll(async () => {
  ({ t, city } = await permitsTestApp());
});
afterAll(() => t?.close());

async function visitorFor(accountId: string): Promise<Visitor> {
  const visitor = new Visitor(t.app);
  visitor.setCookie(SESSION_COOKIE, (await sessionCookie(t.kernel, accountId)).split('=')[1]!);
  return visitor;
}

const apply = (title: string, unitPath = city.paths.m11) => applyForPermit(t.kernel, city, { title, unitPath });

const png = () =>
  sharp({ create: { width: 40, height: 30, channels: 3, background: '#c00' } })
    .png()
    .toBuffer();

describe('the resident’s dashboard', () => {
  it('lists every demand with its status and next step, filters by status, and shows a demand’s timeline', async () => {
    const a = await apply('Terrasse rue Oberkampf');
    const b = await apply('Étalage boulevard Voltaire');
    await runAction(t.kernel, city.agent11.actor, b.id, 'take');
    await runAction(t.kernel, city.agent11.actor, b.id, 'ask-more', { fields: { reason: 'incomplete' } });
    const camille = await visitorFor(city.citizen.id);

    const page = await camille.get('/account/demands');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Terrasse rue Oberkampf');
    expect(page.body).toContain('À faire de votre côté : compléter votre dossier');
    expect(page.body).toContain('Étape 2 sur 3');

    const filtered = await camille.get('/account/demands?status=to-complete');
    expect(filtered.body).toContain('Étalage boulevard Voltaire');
    expect(filtered.body).not.toContain('Terrasse rue Oberkampf');

    const api = await t.app.inject({
      url: '/api/v1/me/demands?status=ongoing',
      headers: { cookie: await sessionCookie(t.kernel, city.citizen.id) },
    });
    expect(api.json().items.map((d: { id: string }) => d.id)).toContain(a.demandId);

    const detail = await camille.get(`/account/demands/${b.demandId}`);
    expect(detail.body).toContain('Nouvel état : En instruction');
    expect(detail.body).toContain('Nouvel état : À compléter');
    // The resident's own actions are offered on the page.
    expect(detail.body).toContain(`/account/workflow/items/${b.id}/actions/complete`);
  });

  it('hides another resident’s demand as if it did not exist, and refuses a bad filter', async () => {
    const a = await apply('Privée');
    const dominique = await visitorFor(city.other.id);
    expect((await dominique.get(`/account/demands/${a.demandId}`)).status).toBe(404);
    expect((await dominique.get('/account/demands?status=lost')).status).toBe(400);
  });
});

describe('messages between a resident and agents', () => {
  it('carries a message with a photo to the agents of the unit, and the answer back', async () => {
    const item = await apply('Terrasse avec photo');
    const camille = await visitorFor(city.citizen.id);
    await camille.get(`/account/demands/${item.demandId}`);
    const sent = await camille.postMultipart(
      `/account/demands/${item.demandId}/messages`,
      { body: 'Voici la photo de la terrasse.' },
      {
        attachment: { name: 'terrasse.png', type: 'image/png', data: await png() },
      },
    );
    expect(sent.status, sent.body).toBe(303);

    const agent11 = await visitorFor(city.agent11.id);
    const inbox = await agent11.get('/admin/demands');
    expect(inbox.body).toContain('Terrasse avec photo');
    const agent18 = await visitorFor(city.agent18.id);
    expect((await agent18.get('/admin/demands')).body).not.toContain('Terrasse avec photo');
    expect((await agent18.get(`/admin/demands/${item.demandId}`)).status).toBe(403);

    const page = await agent11.get(`/admin/demands/${item.demandId}`);
    expect(page.body).toContain('Voici la photo de la terrasse.');
    expect(page.body).toMatch(/href="\/files\/[0-9a-f]{28}">terrasse.png</);
    expect((await agent11.get('/admin/demands')).body).not.toContain('Terrasse avec photo'); // read now

    const reply = await agent11.postMultipart(`/admin/demands/${item.demandId}/messages`, { body: 'Merci, nous regardons.' });
    expect(reply.status, reply.body).toBe(303);
    const dashboard = await camille.get('/account/demands');
    expect(dashboard.body).toContain('1 nouveau(x) message(s)');
    expect((await camille.get(`/account/demands/${item.demandId}`)).body).toContain('Merci, nous regardons.');
  });

  it('refuses an empty message, a message without CSRF token and a text file posing as an image, storing nothing', async () => {
    const item = await apply('Message refusé');
    const camille = await visitorFor(city.citizen.id);
    await camille.get(`/account/demands/${item.demandId}`);
    const count = async () =>
      Number(
        (
          await t.kernel.db
            .selectFrom('demand_messages')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const empty = await camille.postMultipart(`/account/demands/${item.demandId}/messages`, { body: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body).toContain('Écrivez un message.');
    const token = camille.csrfToken;
    camille.csrfToken = 'forged';
    expect((await camille.postMultipart(`/account/demands/${item.demandId}/messages`, { body: 'Bonjour' })).status).toBe(403);
    camille.csrfToken = token;
    const fake = await camille.postMultipart(
      `/account/demands/${item.demandId}/messages`,
      { body: 'Photo' },
      {
        attachment: { name: 'photo.jpg', type: 'image/jpeg', data: Buffer.from('not an image at all') },
      },
    );
    expect(fake.status).toBe(415);
    expect(await count()).toBe(before);
  });
});

describe('the back office of a workflow', () => {
  it('runs an action from the demand page, and answers a stale form with a clear conflict', async () => {
    const item = await apply('Action par formulaire');
    const agent11 = await visitorFor(city.agent11.id);
    const page = await agent11.get(`/admin/demands/${item.demandId}`);
    expect(page.body).toContain(`/admin/workflow/items/${item.id}/actions/take`);
    const form = { revision: String(item.revision), returnTo: `/admin/demands/${item.demandId}` };
    const done = await agent11.postMultipart(`/admin/workflow/items/${item.id}/actions/take`, form);
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/admin/demands/${item.demandId}?notice=action-done`);
    const stale = await agent11.postMultipart(`/admin/workflow/items/${item.id}/actions/take`, form);
    expect(stale.status).toBe(409);
    expect(stale.body).toContain('Quelqu’un a modifié ce dossier entre-temps');
    const missing = await agent11.postMultipart(`/admin/workflow/items/${item.id}/actions/ask-more`, {
      revision: String(item.revision + 1),
    });
    expect(missing.status).toBe(400);
    expect(missing.body).toContain('Ce champ est obligatoire.');
  });

  it('offers the same actions as a JSON API, with problem+json refusals naming the fields', async () => {
    const item = await apply('Action par API');
    const cookie = await sessionCookie(t.kernel, city.agent11.id);
    const post = (action: string, payload: unknown) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/workflow/items/${item.id}/actions/${action}`,
        headers: { cookie },
        payload: payload as object,
      });
    const taken = await post('take', { revision: item.revision });
    expect(taken.statusCode).toBe(200);
    expect(taken.json()).toMatchObject({ state: 'review', revision: item.revision + 1 });
    const stale = await post('take', { revision: item.revision });
    expect(stale.statusCode).toBe(409);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(stale.json().code).toBe('workflow.conflict');
    const invalid = await post('ask-more', { fields: { reason: 'nope' } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().errors).toEqual([{ field: 'reason', message: 'workflow.errors.unknown-reason' }]);
    expect((await post('take', { unknown: 1 })).statusCode).toBe(400);
    const other = await t.app.inject({
      method: 'POST',
      url: `/api/v1/workflow/items/${item.id}/actions/accept`,
      headers: { cookie: await sessionCookie(t.kernel, city.agent18.id) },
      payload: {},
    });
    expect(other.statusCode).toBe(403);
  });

  it('shows the definition as a diagram with its tables, and lists items for bulk actions', async () => {
    const a = await apply('Groupé A');
    const b = await apply('Groupé B');
    const agent11 = await visitorFor(city.agent11.id);
    const diagram = await agent11.get('/admin/workflows/permits:application');
    expect(diagram.body).toContain('<svg class="workflow-diagram"');
    expect(diagram.body).toContain('En instruction');
    const list = await agent11.get('/admin/workflows/permits:application/items?state=submitted');
    expect(list.body).toContain('Groupé A');
    const result = await agent11.post('/admin/workflow/mass', { workflow: 'permits:application', action: 'take', items: [a.id, b.id] });
    expect(result.status).toBe(200);
    expect(result.body).toContain('2 dossier(s) traité(s), 0 refusé(s).');
  });

  it('gives agents allowed to a 360° view every demand and message of one resident', async () => {
    const item = await apply('Vue 360');
    await inTransaction(t.kernel.db, async (trx) => {
      const { postMessage } = await import('../../src/kernel/demands/demands.js');
      await postMessage(trx, t.kernel, {
        demandId: item.demandId!,
        authorId: city.citizen.id,
        authorKind: 'citizen',
        body: 'Question sur ma terrasse',
      });
    });
    const admin = await visitorFor(city.agent11.id);
    expect((await admin.get(`/admin/citizens/${city.citizen.id}`)).status).toBe(403); // citizens.view not granted
    await t.kernel.db
      .updateTable('roles')
      .set({ permissions: JSON.stringify(['permits.review', 'permits.decide', 'citizens.view']) })
      .where('code', '=', 'instructor')
      .execute();
    const agent = await visitorFor(city.agent11.id);
    const search = await agent.get('/admin/citizens?q=camille');
    expect(search.body).toContain(`/admin/citizens/${city.citizen.id}`);
    const file = await agent.get(`/admin/citizens/${city.citizen.id}`);
    expect(file.body).toContain('Vue 360');
    expect(file.body).toContain('Question sur ma terrasse');
  });
});
