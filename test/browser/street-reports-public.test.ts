import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { photoWithGps } from '../modules/street-reports/public-support.js';
import { POTHOLE } from '../modules/street-reports/support.js';
import { createCitizen, sessionCookie } from '../support/identity.js';
import { expectNoAxeViolations, PHONE, withBrowser } from './support.js';

/**
 * A resident reports a pothole from a phone: category found with the live search, place by the
 * map then by coordinates, a photo, the confirmation with its reference; then the public list and
 * the report's page. Every page is checked with axe.
 */
// The demo city (its units and agents) is seeded at start: reports are routed to the town halls.
const b = withBrowser({ app: { demo: true } });

async function submit(page: Page, name: string): Promise<void> {
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name, exact: true }).first().click()]);
  await page.waitForLoadState('load');
}

describe('reporting a pothole from a phone', () => {
  it('goes from the category to the confirmation, accessible at every step', { timeout: 60_000 }, async () => {
    const accountId = await createCitizen(b.app.kernel, { email: 'phone@example.org', name: 'Camille' });
    const [name, value] = (await sessionCookie(b.app.kernel, accountId)).split('=') as [string, string];
    const context = await b.context({ ...PHONE, locale: 'fr-FR' });
    await context.addCookies([{ name, value, url: b.app.url }]);
    const page = await context.newPage();

    await page.goto(`${b.app.url}/reports/new`);
    // The manifest is moved into the head, where browsers look for it.
    await page.waitForFunction(() => document.head.querySelector('link[rel="manifest"]') !== null);
    await expectNoAxeViolations(page, 'category step');
    await page.getByLabel('Rechercher une catégorie').fill('pavé arraché');
    const leaf = page.locator(`[id="category-${POTHOLE}"]`);
    await expect(leaf.isVisible()).resolves.toBe(true);
    await leaf.check();
    await submit(page, 'Continuer');

    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Où se trouve l’anomalie ?');
    await expectNoAxeViolations(page, 'place step');
    // A tap on the city map places a point and brings the map closer.
    const map = page.locator('input.map-input');
    const box = (await map.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(375);
    await Promise.all([page.waitForLoadState('load'), map.click({ position: { x: box.width * 0.62, y: box.height * 0.45 } })]);
    await page.waitForLoadState('load');
    await expect(page.locator('.notice-success').textContent()).resolves.toContain('Lieu choisi');
    await page.getByLabel('Latitude').fill('48.8423');
    await page.getByLabel('Longitude').fill('2.3011');
    await submit(page, 'Utiliser ces coordonnées');
    await expect(page.locator('.notice-success').textContent()).resolves.toContain('15ème Ardt');
    await submit(page, 'Continuer');

    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Photos et description');
    await expectNoAxeViolations(page, 'details step');
    await page.getByLabel('Photos (1 à 3)').setInputFiles({ name: 'trou.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps() });
    await page.getByLabel('Description (facultative)').fill('Un trou profond sur le trottoir.');
    await submit(page, 'Envoyer le signalement');

    await expect(page.locator('.confirmation-panel h2').textContent()).resolves.toBe('Signalement envoyé');
    const reference = await page.locator('.confirmation-panel .reference').textContent();
    expect(reference).toMatch(/^W-\d{6}-\d{6}$/);
    await expectNoAxeViolations(page, 'report page');
    const row = await b.app.kernel.db
      .selectFrom('street_reports')
      .select(['account_id', 'channel'])
      .where('reference', '=', reference!)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ account_id: accountId, channel: 'web' });

    await page.goto(`${b.app.url}/reports`);
    await expectNoAxeViolations(page, 'public list');
    await expect(page.getByRole('link', { name: reference! }).count()).resolves.toBe(1);
    const manifest = await page.request.get(`${b.app.url}/reports/app.webmanifest`);
    expect(manifest.headers()['content-type']).toContain('application/manifest+json');
    expect(await manifest.json()).toMatchObject({ lang: 'fr', start_url: '/reports/new', scope: '/reports/', display: 'standalone' });
  });

  it('installs as an app whose form opens without a network', { timeout: 60_000 }, async () => {
    const context = await b.context({ ...PHONE, locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(`${b.app.url}/reports/new`);
    // The worker installs, caches the form and takes control of the page.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const manifest = await page.request.get(`${b.app.url}/reports/app.webmanifest`);
    expect((await manifest.json()).name).toBe('Signaler une anomalie — Ville de Paris');

    await context.setOffline(true);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Signaler une anomalie : de quoi s’agit-il ?');
    // Any other reporting page, offline, falls back to the form rather than the browser's error.
    await page.goto(`${b.app.url}/reports/new?category=nowhere`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Signaler une anomalie : de quoi s’agit-il ?');
    await context.setOffline(false);
  });
});
