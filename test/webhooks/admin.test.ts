import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/kernel/db/transaction.js';
import type { Acting } from '../../src/kernel/identity/agents/acting.js';
import { createAgent } from '../../src/kernel/identity/agents/agents.js';
import { createRole } from '../../src/kernel/identity/agents/roles.js';
import { createUnit } from '../../src/kernel/identity/units.js';
import { queueWebhooks } from '../../src/kernel/webhooks/queue.js';
import { ADMIN_EMAIL, logInAgent, PASSWORD } from '../identity/agents-fixtures.js';
import { createTestApp, type TestApp } from '../support/app.js';
import type { Visitor } from '../support/visitor.js';
import { adminActing, deliveryJobs, startReceiver } from './support.js';

/**
 * The back office of webhooks: an administrator adds an endpoint and gets its secret once, edits
 * it, follows its deliveries, sends a failed one again, rotates the secret and deletes it; an agent
 * holding `admin.webhooks` in an arrondissement manages that arrondissement's endpoints only.
 */
let t: TestApp;
let adminActs: Acting;
let admin: Visitor;
beforeAll(async () => {
  t = await createTestApp();
  adminActs = await adminActing(t.kernel);
  admin = await logInAgent(t.app, ADMIN_EMAIL);
  await createUnit(t.kernel.db, { code: 'paris', parentCode: null, name: { fr: 'Ville de Paris', en: 'City of Paris' } });
  await createUnit(t.kernel.db, { code: 'paris-11', parentCode: 'paris', name: { fr: 'Mairie du 11e', en: '11th town hall' } });
  await createUnit(t.kernel.db, { code: 'paris-12', parentCode: 'paris', name: { fr: 'Mairie du 12e', en: '12th town hall' } });
  const known = t.kernel.permissions.map((p) => p.code);
  await createRole(
    t.kernel.db,
    adminActs,
    'integrations',
    { name: { fr: 'Intégrations', en: 'Integrations' }, permissions: ['admin.webhooks'] },
    known,
  );
  await createAgent(t.kernel.db, adminActs, {
    email: 'integrations-11@paris.test',
    displayName: 'Ines Integrations',
    password: PASSWORD,
    role: 'integrations',
    unit: 'paris-11',
  });
});
afterAll(async () => t?.close());

const endpoints = () => t.kernel.db.selectFrom('webhook_endpoints').selectAll().orderBy('id').execute();
const form = (over: Record<string, string> = {}) => ({
  url: 'https://contractor.example/civitas',
  module: 'pages',
  unit: '',
  events: 'page.updated, page.deleted',
  description: 'Roadworks contractor',
  active: 'on',
  ...over,
});

describe('an administrator', () => {
  let id = '';
  let secret = '';

  it('finds webhooks in the back office', async () => {
    const home = await admin.get('/admin?lang=en');
    expect(home.body).toContain('href="/admin/webhooks"');
    const list = await admin.get('/admin/webhooks');
    expect(list.status).toBe(200);
    expect(list.body).toContain('href="/admin/webhooks/new"');
  });

  it('is told what is wrong with a form, and nothing is created', async () => {
    await admin.get('/admin/webhooks/new?lang=en');
    const res = await admin.post('/admin/webhooks', form({ url: 'http://contractor.example/civitas', events: 'Page Updated!' }));
    expect(res.status).toBe(400);
    expect(res.body).toContain('class="error-summary"');
    expect(res.body).toContain('The address must start with https://');
    expect(res.body).toContain('Enter at least one event name');
    expect(res.body).toContain('aria-invalid="true"');
    expect(res.body).toContain('value="http://contractor.example/civitas"');
    expect(await endpoints()).toEqual([]);
  });

  it('creates an endpoint and sees its secret once', async () => {
    await admin.get('/admin/webhooks/new');
    const res = await admin.post('/admin/webhooks', form());
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const [row] = await endpoints();
    expect(row).toMatchObject({ module: 'pages', unit_path: null, url: 'https://contractor.example/civitas', active: 1 });
    expect(JSON.parse(row?.events ?? '')).toEqual(['page.updated', 'page.deleted']);
    id = row?.id ?? '';
    secret = row?.secret ?? '';
    expect(secret).toMatch(/^whsec_[\w-]{43}$/);
    expect(res.body).toContain(secret);
    const page = await admin.get(`/admin/webhooks/${id}`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain(secret);
    const audit = await t.kernel.db.selectFrom('audit_log').select('action').where('resource_id', '=', id).execute();
    expect(audit).toEqual([{ action: 'webhook.create' }]);
  });

  it('edits it', async () => {
    await admin.get(`/admin/webhooks/${id}`);
    const res = await admin.post(`/admin/webhooks/${id}`, form({ events: '*', unit: 'paris-11', description: 'Contractor, 11th' }));
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/admin/webhooks/${id}?saved=1`);
    const [row] = await endpoints();
    expect(row).toMatchObject({ unit_path: '/paris/paris-11/', events: '["*"]', description: 'Contractor, 11th', secret });
  });

  it('follows the deliveries and sends a failed one again', async () => {
    let up = false;
    const receiver = await startReceiver((_req, res) => res.writeHead(up ? 200 : 410).end());
    try {
      await t.kernel.db.updateTable('webhook_endpoints').set({ url: receiver.url }).where('id', '=', id).execute();
      await inTransaction(t.kernel.db, (trx) =>
        queueWebhooks(trx, t.kernel, {
          module: 'pages',
          unitPath: '/paris/paris-11/',
          event: 'page.updated',
          payload: { slug: 'travaux' },
        }),
      );
      const worker = deliveryJobs(t.kernel);
      await worker.runDue();
      let page = await admin.get(`/admin/webhooks/${id}?lang=en`);
      expect(page.body).toContain('<caption class="visually-hidden">Delivery log</caption>');
      expect(page.body).toContain('page.updated');
      expect(page.body).toContain('Failed');
      expect(page.body).toContain('HTTP 410');
      expect(page.body).toContain('&quot;slug&quot;:&quot;travaux&quot;');
      const [failed] = await t.kernel.db.selectFrom('webhook_deliveries').select('id').execute();
      expect(page.body).toContain(`/admin/webhooks/${id}/deliveries/${failed?.id}/retry`);

      up = true;
      const retried = await admin.post(`/admin/webhooks/${id}/deliveries/${failed?.id}/retry`);
      expect(retried.status).toBe(303);
      await worker.runDue();
      page = await admin.get(`/admin/webhooks/${id}?retried=1&lang=en`);
      expect(page.body).toContain('The event is being sent again');
      expect(page.body).toContain('Delivered');
      expect(page.body).toContain('Sent again');

      // A delivery that is not failed cannot be sent again: a clear refusal, nothing queued.
      const [, again] = await t.kernel.db.selectFrom('webhook_deliveries').select('id').orderBy('id').execute();
      const refused = await admin.post(`/admin/webhooks/${id}/deliveries/${again?.id}/retry`);
      expect(refused.status).toBe(409);
      expect(refused.body).toContain('Only a failed delivery can be sent again');
      expect(await t.kernel.db.selectFrom('webhook_deliveries').select('id').execute()).toHaveLength(2);
    } finally {
      await receiver.close();
    }
  });

  it('rotates the secret: the new one is shown once and replaces the old', async () => {
    await admin.get(`/admin/webhooks/${id}`);
    const res = await admin.post(`/admin/webhooks/${id}/secret`);
    expect(res.status).toBe(200);
    const [row] = await endpoints();
    expect(row?.secret).not.toBe(secret);
    expect(res.body).toContain(row?.secret);
  });

  it('deletes it after confirming, with its log', async () => {
    const confirm = await admin.get(`/admin/webhooks/${id}/delete?lang=en`);
    expect(confirm.status).toBe(200);
    expect(confirm.body).toContain('Delete for good');
    const res = await admin.post(`/admin/webhooks/${id}/delete`);
    expect(res.status).toBe(303);
    expect(res.location).toBe('/admin/webhooks?deleted=1');
    expect(await endpoints()).toEqual([]);
    expect(await t.kernel.db.selectFrom('webhook_deliveries').select('id').execute()).toEqual([]);
    expect((await admin.get(`/admin/webhooks/${id}`)).status).toBe(404);
  });
});

describe('an agent with webhooks in one arrondissement', () => {
  let agent: Visitor;
  let cityWide = '';
  let twelfth = '';
  beforeAll(async () => {
    agent = await logInAgent(t.app, 'integrations-11@paris.test');
    await admin.get('/admin/webhooks/new');
    await admin.post('/admin/webhooks', form({ url: 'https://city.example/hooks' }));
    await admin.post('/admin/webhooks', form({ url: 'https://twelfth.example/hooks', unit: 'paris-12' }));
    const rows = await endpoints();
    cityWide = rows.find((r) => r.unit_path === null)?.id ?? '';
    twelfth = rows.find((r) => r.unit_path === '/paris/paris-12/')?.id ?? '';
  });

  it('creates an endpoint for that arrondissement, but not for the whole city or another one', async () => {
    const page = await agent.get('/admin/webhooks/new?lang=en');
    expect(page.body).not.toContain('The whole city');
    expect(page.body).toContain('<option value="paris-11"');
    expect(page.body).not.toContain('<option value="paris-12"');

    expect((await agent.post('/admin/webhooks', form({ url: 'https://eleventh.example/hooks', unit: '' }))).status).toBe(403);
    const other = await agent.post('/admin/webhooks', form({ url: 'https://eleventh.example/hooks', unit: 'paris-12' }));
    expect(other.status).toBe(400);
    expect(other.body).toContain('Choose a unit you administer');
    expect(await endpoints()).toHaveLength(2);

    expect((await agent.post('/admin/webhooks', form({ url: 'https://eleventh.example/hooks', unit: 'paris-11' }))).status).toBe(200);
    expect(await endpoints()).toHaveLength(3);
  });

  it('sees and opens only its arrondissement’s endpoints', async () => {
    const list = await agent.get('/admin/webhooks');
    expect(list.body).toContain('https://eleventh.example/hooks');
    expect(list.body).not.toContain('https://city.example/hooks');
    expect(list.body).not.toContain('https://twelfth.example/hooks');
    for (const other of [cityWide, twelfth]) {
      expect((await agent.get(`/admin/webhooks/${other}`)).status).toBe(403);
      expect((await agent.post(`/admin/webhooks/${other}/secret`)).status).toBe(403);
      expect((await agent.post(`/admin/webhooks/${other}/delete`)).status).toBe(403);
    }
    expect(await endpoints()).toHaveLength(3);
  });
});
