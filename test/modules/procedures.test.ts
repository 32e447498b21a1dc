import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../src/kernel/demo.js';
import { DEMO_PASSWORD } from '../../src/kernel/identity/demo.js';
import { SESSION_COOKIE } from '../../src/kernel/identity/sessions.js';
import { ageOn, schoolYearStart } from '../../src/modules/procedures/catalogue/children-transport.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { sessionCookie } from '../support/identity.js';
import { Visitor } from '../support/visitor.js';

let t: TestApp;
const BASE = '/procedures/transport-enfants/apply';

beforeAll(async () => {
  t = await createTestApp();
  await seedDemoOnce(t.kernel);
});
afterAll(() => t?.close());

async function signedIn(email: string): Promise<{ visitor: Visitor; id: string }> {
  const { id } = await t.kernel.db.selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  const visitor = new Visitor(t.app);
  visitor.setCookie(SESSION_COOKIE, (await sessionCookie(t.kernel, id)).split('=')[1]!);
  return { visitor, id };
}

describe('the children’s transport procedure', () => {
  it('computes ages on 1 September of the school year', () => {
    expect(schoolYearStart('2026-11-27')).toBe('2026-09-01');
    expect(schoolYearStart('2026-08-31')).toBe('2025-09-01');
    expect(ageOn('2015-09-01', '2026-09-01')).toBe(11);
    expect(ageOn('2015-09-02', '2026-09-01')).toBe(10);
  });

  it('takes an application from the form to the town hall of the applicant’s district, with receipt and dashboard entry', async () => {
    expect(DEMO_PASSWORD).toBeTruthy();
    const { visitor, id } = await signedIn('camille.martin@example.org');
    const district = t.kernel.districts.all[17]!; // the 18th: not the demo agent's 11th
    await visitor.get(`${BASE}/steps/payer`);
    const payer = await visitor.post(`${BASE}/steps/payer`, {
      given_name: 'Camille',
      family_name: 'Martin',
      'address.text': '3 rue Custine, 75018 Paris',
      district: district.code,
      shared_custody: 'no',
    });
    expect(payer.status, payer.body).toBe(303);
    await visitor.get(`${BASE}/steps/children`);
    const children = await visitor.post(`${BASE}/steps/children`, {
      'children.rows': '1',
      'children.0.name': 'Léa Martin',
      'children.0.birth_date': '2018-04-02',
      'children.0.pass': 'imagine-r-junior',
      'children.0.contract': '12345678',
    });
    expect(children.status, children.body).toBe(303);
    await visitor.get(`${BASE}/steps/refund`);
    const png = await sharp({ create: { width: 30, height: 40, channels: 3, background: '#eee' } })
      .png()
      .toBuffer();
    const refund = await visitor.postMultipart(
      `${BASE}/steps/refund`,
      { amount: '24', iban: 'FR14 2004 1010 0505 0001 3M02 606' },
      {
        'proof_of_address.upload': { name: 'facture.png', type: 'image/png', data: png },
      },
    );
    expect(refund.status, refund.body).toBe(303);
    await visitor.get(`${BASE}/summary`);
    const sent = await visitor.post(`${BASE}/submit`, {});
    expect(sent.status, sent.body).toBe(303);
    const applicationId = /\/procedures\/applications\/(\w+)\?sent=1$/.exec(sent.location ?? '')?.[1];
    expect(applicationId).toBeTruthy();

    const page = await visitor.get(`/procedures/applications/${applicationId}?sent=1`);
    expect(page.body).toContain('Votre demande est envoyée');
    expect(page.body).toContain('FR14 2004 1010 0505 0001 3M02 606');
    const application = await t.kernel.db
      .selectFrom('procedures_applications')
      .selectAll()
      .where('id', '=', applicationId!)
      .executeTakeFirstOrThrow();
    const demand = await t.kernel.db.selectFrom('demands').selectAll().where('id', '=', application.demand_id).executeTakeFirstOrThrow();
    expect(demand).toMatchObject({ account_id: id, status: 'ongoing', unit_path: `/paris/mairie-${district.code}/` });
    expect(demand.reference).toMatch(/^DEM-\d{4}-\d{6}$/);
    const files = await t.kernel.db
      .selectFrom('files')
      .select('owner')
      .where('owner', '=', `procedures:application:${applicationId}`)
      .execute();
    expect(files).toHaveLength(1);
    const receipt = await t.kernel.db
      .selectFrom('notifications')
      .selectAll()
      .where('demand_id', '=', demand.id)
      .where('channel', '=', 'email')
      .executeTakeFirstOrThrow();
    expect(receipt.subject).toBe(`Demande ${demand.reference} bien reçue`);

    // The 11th's agent may not see the 18th's application; an administrator may, and acts on it.
    const agent11 = (await signedIn('agent.11@ville.example')).visitor;
    expect((await agent11.get(`/admin/procedures/applications/${applicationId}`)).status).toBe(403);
    const admin = (await signedIn('admin@ville.example')).visitor;
    const file = await admin.get(`/admin/procedures/applications/${applicationId}`);
    expect(file.status).toBe(200);
    expect(file.body).toMatch(/conforme<\/strong> — Léa Martin : \d+ ans au 01\/09\/\d{4}/);
    expect(file.body).toContain('facture.png');
    expect(file.body).toContain(`/admin/workflow/items/${application.item_id}/actions/start-review`);
  });

  it('seeds the demo resident’s dashboard with applications at every stage, messages and notifications', async () => {
    const { visitor, id } = await signedIn('camille.martin@example.org');
    const dashboard = await visitor.get('/account/demands');
    expect(dashboard.body).toContain('Remboursée');
    expect(dashboard.body).toContain('En attente de corrections');
    expect(dashboard.body).toContain('À faire de votre côté : corriger votre dossier puis le signaler');
    expect(dashboard.body).toContain('Déposée');
    expect(dashboard.body).toMatch(/Mes messages — Messages non lus : \d+/);
    const messages = await t.kernel.db
      .selectFrom('demand_messages as m')
      .innerJoin('demands as d', 'd.id', 'm.demand_id')
      .select('m.author_kind')
      .where('d.account_id', '=', id)
      .execute();
    expect(messages.map((m) => m.author_kind).sort()).toEqual(['agent', 'citizen']);
  });
});
