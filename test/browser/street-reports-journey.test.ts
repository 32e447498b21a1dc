import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/kernel/identity/demo.js';
import { tomorrow } from '../../src/modules/street-reports/simulator/contractor.js';
import { startContractorSimulator } from '../../src/modules/street-reports/simulator/server.js';
import { clearJobs, demoAgent, repointContractor, reportRow } from '../modules/street-reports/contractors-support.js';
import { photoWithGps } from '../modules/street-reports/public-support.js';
import { PARIS_11, POTHOLE } from '../modules/street-reports/support.js';
import { createCitizen, sessionCookie } from '../support/identity.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { eventually } from '../webhooks/support.js';
import { expectNoAxeViolations, PHONE, withBrowser } from './support.js';

/**
 * The street reports' "Done when", end to end: a resident reports a pothole from a phone and
 * follows it on her dashboard; an agent of the town hall triages it and sends it to the contractor,
 * a separate HTTP service on loopback that receives the signed work order, schedules it and closes
 * it with a photo through the callback API; the resident sees each public status and gets a mail
 * (real SMTP on loopback) and a dashboard notification at each public step.
 */
let smtp: TestSmtp;
// Registered before withBrowser's hooks, so the mail server listens when the app boots and reads its address.
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(() => smtp?.close());
const b = withBrowser({
  app: {
    demo: true,
    overrides: {
      get smtp() {
        return smtp.config;
      },
    },
  },
});

const RESIDENT = 'journey@example.org';

/**
 * The contractor's way back to the city: a loopback relay that holds each of its callbacks until the
 * test lets it through, so the resident can be watched between "scheduled" and "done".
 */
async function startCallbackRelay(appUrl: string) {
  const held: { status: string; pass: () => Promise<number> }[] = [];
  // Once a status is let through, a retry of it (the contractor timed out meanwhile) goes straight on.
  const open = new Set<string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let status = '';
      try {
        status = String((JSON.parse(body) as { status?: unknown }).status ?? '');
      } catch {
        // Not JSON: forwarded as is, for the callback API to refuse.
      }
      const callback = {
        status,
        async pass() {
          const answer = await fetch(new URL(req.url ?? '/', appUrl), {
            method: req.method ?? 'POST',
            headers: { 'content-type': req.headers['content-type'] ?? '', authorization: req.headers.authorization ?? '' },
            body,
          });
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' }).end(await answer.text());
          return answer.status;
        },
      };
      if (open.has(status)) void callback.pass().catch(() => res.destroy());
      else held.push(callback);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Waits for the contractor's callback with this status, lets it through (and any retry of it); the API's answers. */
    async pass(status: string): Promise<number[]> {
      await eventually(async () => held.some((h) => h.status === status), 15_000);
      open.add(status);
      const these = held.filter((h) => h.status === status);
      held.splice(0, held.length, ...held.filter((h) => h.status !== status));
      return Promise.all(these.map((h) => h.pass()));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function submit(page: Page, name: string): Promise<void> {
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name, exact: true }).first().click()]);
  await page.waitForLoadState('load');
}

async function follow(page: Page, link: Locator): Promise<void> {
  const from = page.url();
  await Promise.all([page.waitForURL((url) => url.toString() !== from), link.click()]);
  await page.waitForLoadState('load');
}

const text = async (locator: Locator) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();

describe('a pothole from the resident’s phone to the contractor and back', () => {
  it('is reported, triaged, dispatched, scheduled and closed with a photo; the resident follows every step', {
    timeout: 180_000,
  }, async () => {
    const { kernel } = b.app;
    // The demo's own queued work (deliveries to its built-in simulator, its notifications) is not this test's.
    await clearJobs(kernel);
    // The town hall of the 11th hands its work orders to the contractor on loopback, which calls back through the relay.
    const relay = await startCallbackRelay(b.app.url);
    const contractor = await startContractorSimulator({ delayMs: 20, appUrl: relay.url });
    try {
      const admin = await demoAgent(kernel, 'admin@ville.example');
      contractor.useSecret(await repointContractor(kernel, admin, 'mairie-75111', contractor.url));
      const runJobsUntil = <T>(check: () => Promise<T | undefined | false>) =>
        eventually(async () => {
          await kernel.jobs.runDue();
          return check();
        }, 20_000);
      /** The resident's n-th mail, once the outbox has sent it. */
      const mail = async (n: number) => {
        await runJobsUntil(async () => smtp.to(RESIDENT).length >= n).catch((err: Error) => {
          throw new Error(`Mail ${n} never came (received: ${JSON.stringify(smtp.to(RESIDENT).map((m) => m.subject))}): ${err.message}`);
        });
        return smtp.to(RESIDENT)[n - 1]!;
      };

      // 1. The resident, signed in, reports a pothole from her phone.
      const accountId = await createCitizen(kernel, { email: RESIDENT, name: 'Inès' });
      const [name, value] = (await sessionCookie(kernel, accountId)).split('=') as [string, string];
      const phone = await b.context({ ...PHONE, locale: 'fr-FR' });
      await phone.addCookies([{ name, value, url: b.app.url }]);
      const resident = await phone.newPage();
      await resident.goto(`${b.app.url}/reports/new`);
      await resident.getByLabel('Rechercher une catégorie').fill('pavé arraché');
      const leaf = resident.locator(`[id="category-${POTHOLE}"]`);
      await expect(leaf.isVisible()).resolves.toBe(true);
      await leaf.check();
      await submit(resident, 'Continuer');
      await expect(text(resident.getByRole('heading', { level: 1 }))).resolves.toBe('Où se trouve l’anomalie ?');
      await resident.getByLabel('Latitude').fill(String(PARIS_11.lat));
      await resident.getByLabel('Longitude').fill(String(PARIS_11.lng));
      await submit(resident, 'Utiliser ces coordonnées');
      await expect(text(resident.locator('.notice-success'))).resolves.toContain('11ème Ardt');
      await submit(resident, 'Continuer');
      await expect(text(resident.getByRole('heading', { level: 1 }))).resolves.toBe('Photos et description');
      await resident.getByLabel('Photos (1 à 3)').setInputFiles({ name: 'trou.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps() });
      await resident.getByLabel('Description (facultative)').fill('Un trou profond devant le passage piéton.');
      await submit(resident, 'Envoyer le signalement');

      await expect(text(resident.locator('.confirmation-panel h2'))).resolves.toBe('Signalement envoyé');
      const reference = await text(resident.locator('.confirmation-panel .reference'));
      expect(reference).toMatch(/^W-\d{6}-\d{6}$/);
      const reportId = /\/reports\/([0-9a-z]+)\?notice=sent$/.exec(resident.url())?.[1];
      expect(reportId, resident.url()).toBeDefined();
      const report = await reportRow(kernel, reportId!);
      expect(report).toMatchObject({ reference, account_id: accountId, district: '75111', state: 'new', channel: 'web' });

      /** What the resident sees of her report: the dashboard's card, then the report's public page. */
      const residentSees = async (expected: { state: string; status: 'En cours' | 'Terminée'; step: number }) => {
        await resident.goto(`${b.app.url}/account/demands`);
        const card = resident.locator('li.demand-card', { hasText: reference });
        await expect(card.count()).resolves.toBe(1);
        const shown = await text(card);
        expect(shown).toContain(`${expected.status} ${expected.state}`);
        expect(shown).toContain(`Étape ${expected.step} sur 4`);
        await resident.goto(`${b.app.url}/reports/${reportId}`);
        await expect(text(resident.locator('.report-page p > .status'))).resolves.toBe(expected.state);
      };
      /** The n-th mail tells this step of this report, with the way to follow it. */
      const expectMail = async (n: number, state: string) => {
        const received = await mail(n);
        expect(received.subject).toBe(`Signalement ${reference} : ${state}`);
        expect(received.text).toContain(`Le signalement ${reference}`);
        expect(received.text).toContain(`est maintenant : ${state}.`);
        expect(received.text).toContain(`/reports/${reportId}`);
        return received;
      };
      await residentSees({ state: 'Nouveau', status: 'En cours', step: 1 });
      // Her receipt, with the reference to quote.
      const receipt = await mail(1);
      expect(receipt.subject).toBe(`Signalement ${reference} reçu`);
      expect(receipt.text).toContain('11ème Ardt');
      expect(receipt.text).toContain(`/reports/${reportId}`);

      // 2. An agent of the 11th's town hall opens it from the queue and acknowledges it.
      const office = await (await b.context({ locale: 'fr-FR' })).newPage();
      await office.goto(`${b.app.url}/admin/login`);
      await office.locator('input[name="email"]').fill('agent.11@ville.example');
      await office.locator('input[name="password"]').fill(DEMO_PASSWORD);
      await Promise.all([
        office.waitForURL((url) => !url.pathname.startsWith('/admin/login')),
        office.locator('main form button[type="submit"]').first().click(),
      ]);
      await office.goto(`${b.app.url}/admin/reports`);
      await follow(office, office.getByRole('link', { name: reference, exact: true }));
      expect(new URL(office.url()).pathname).toBe(`/admin/reports/${reportId}`);
      await expect(text(office.getByRole('heading', { level: 1 }))).resolves.toContain(reference);
      const agentState = office.locator('.workflow-panel p strong').first();
      await expect(text(agentState)).resolves.toBe('Nouveau');

      await submit(office, 'Prendre en compte');
      await expect(text(office.locator('main .notice-success'))).resolves.toContain('L’action a été effectuée.');
      await expect(text(agentState)).resolves.toBe('Pris en compte');
      await expectMail(2, 'Pris en compte');
      await residentSees({ state: 'Pris en compte', status: 'En cours', step: 2 });

      // 3. It sends it to the contractor: a signed work order goes out through the outbox.
      await submit(office, 'Envoyer au prestataire');
      await expect(text(agentState)).resolves.toBe('Transmis au prestataire');
      await residentSees({ state: 'Transmis au prestataire', status: 'En cours', step: 3 });
      await expectMail(3, 'Transmis au prestataire');
      const order = await runJobsUntil(async () => contractor.orders.find((o) => o.reference === reference));
      expect(order).toMatchObject({ callbackUrl: `/api/v1/street-reports/${reportId}/callbacks` });
      const deliveries = await kernel.db
        .selectFrom('webhook_deliveries')
        .innerJoin('webhook_endpoints', 'webhook_endpoints.id', 'webhook_deliveries.endpoint_id')
        .select(['webhook_deliveries.status', 'webhook_deliveries.event', 'webhook_deliveries.last_http_status', 'webhook_endpoints.url'])
        .where('webhook_deliveries.subject', '=', `street-reports:report:${reportId}`)
        .execute();
      expect(deliveries).toEqual([{ status: 'delivered', event: 'street-reports.work-order', last_http_status: 202, url: contractor.url }]);

      // 4. The contractor schedules it for tomorrow…
      expect(await relay.pass('scheduled')).toEqual([200]);
      expect((await reportRow(kernel, reportId!)).state).toBe('contractor-scheduled');
      const planned = await kernel.db
        .selectFrom('workflow_history')
        .select(['actor_kind', 'fields'])
        .where('item_id', '=', report.item_id)
        .where('action', '=', 'contractor-scheduled')
        .executeTakeFirstOrThrow();
      expect(planned.actor_kind).toBe('system');
      expect(JSON.parse(planned.fields)).toEqual({ 'planned-on': tomorrow() });
      const scheduled = await expectMail(4, 'Programmé par le prestataire');
      expect(scheduled.text).toContain('Intervention prévue demain matin.');
      await residentSees({ state: 'Programmé par le prestataire', status: 'En cours', step: 3 });
      await expect(text(resident.locator('.report-history'))).resolves.toContain('Intervention prévue demain matin.');

      // 5. …then closes it with a message and an "after" photo.
      expect(await relay.pass('done')).toEqual([200]);
      expect(await reportRow(kernel, reportId!)).toMatchObject({ state: 'done', status: 'closed' });
      const done = await expectMail(5, 'Résolu');
      expect(done.text).toContain(`Intervention réalisée pour le signalement ${reference}.`);
      await residentSees({ state: 'Résolu', status: 'Terminée', step: 4 });
      expect(contractor.callbacks.map((c) => [c.step, c.answer.status])).toEqual([
        ['scheduled', 200],
        ['done', 200],
      ]);

      // The report's page tells its whole public story, the contractor's photo included.
      const history = resident.locator('.report-history > li strong');
      await expect(history.allTextContents()).resolves.toEqual([
        'Nouveau',
        'Pris en compte',
        'Transmis au prestataire',
        'Programmé par le prestataire',
        'Résolu',
      ]);
      await expect(text(resident.locator('.report-history'))).resolves.toContain(`Intervention réalisée pour le signalement ${reference}.`);
      const after = resident.locator('.report-history img[alt="Photo après intervention"]');
      await expect(after.count()).resolves.toBe(1);
      const photo = await resident.request.get(new URL((await after.getAttribute('src'))!, b.app.url).toString());
      expect(photo.status()).toBe(200);
      expect(photo.headers()['content-type']).toMatch(/^image\//);
      await expectNoAxeViolations(resident, 'the resident’s report page, closed');

      // The agent sees the contractor's steps in the report's history.
      await office.reload();
      await expect(text(agentState)).resolves.toBe('Résolu');
      await expect(text(office.locator('.workflow-panel table'))).resolves.toContain('Terminé par le prestataire');

      // The receipt then exactly one mail per public step, and the same five messages on the resident's dashboard.
      expect(smtp.to(RESIDENT).map((m) => m.subject)).toEqual([
        `Signalement ${reference} reçu`,
        ...['Pris en compte', 'Transmis au prestataire', 'Programmé par le prestataire', 'Résolu'].map(
          (s) => `Signalement ${reference} : ${s}`,
        ),
      ]);
      await resident.goto(`${b.app.url}/account/demands`);
      await expect(text(resident.locator('main a[href="/account/notifications"]'))).resolves.toBe('Mes messages — Messages non lus : 5');
      await expectNoAxeViolations(resident, 'the resident’s dashboard');
      await resident.goto(`${b.app.url}/account/notifications`);
      await expect(resident.locator('ul.notifications > li h2').allTextContents()).resolves.toEqual([
        ...['Résolu', 'Programmé par le prestataire', 'Transmis au prestataire', 'Pris en compte'].map(
          (s) => `Nouveau : Signalement ${reference} : ${s}`,
        ),
        `Nouveau : Signalement ${reference} reçu`,
      ]);
      await expectNoAxeViolations(resident, 'the resident’s notifications');
    } finally {
      await contractor.close();
      await relay.close();
    }
  });
});
