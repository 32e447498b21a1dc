import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/kernel/db/transaction.js';
import { DEMO_PASSWORD, seedIdentityDemo } from '../../src/kernel/identity/demo.js';
import { seedTrackingDemo } from '../../src/modules/participatory-budget/tracking/demo.js';
import { followProject } from '../../src/modules/participatory-budget/tracking/follow.js';
import { trackedById } from '../../src/modules/participatory-budget/tracking/project.js';
import { CAMPAIGN, photo, trackedCampaign } from '../modules/participatory-budget/tracking-support.js';
import { expectNoAxeViolations, horizontalOverflow, overflowingElements, PHONE, withBrowser } from './support.js';

/** Execution tracking as residents and agents see it, on a phone and a desktop, checked with axe on each page. */
const b = withBrowser({ app: { overrides: { modules: ['pages', 'participatory-budget'] } } });
const LIST = `/budget/${CAMPAIGN}/realisations`;
const SQUARE = `${LIST}/11-001`;
let ids: Awaited<ReturnType<typeof trackedCampaign>>;

beforeAll(async () => {
  const { kernel } = b.app;
  await seedIdentityDemo(kernel);
  ids = await trackedCampaign(kernel);
  // The city-wide plan and the garden at other stages, with milestones and photos, as the demo makes them.
  await seedTrackingDemo(kernel, [ids.plan, ids.garden]);
});

async function expectClean(page: Page, path: string): Promise<void> {
  const response = await page.goto(`${b.app.url}${path}`);
  expect(response?.status(), path).toBe(200);
  await expectNoAxeViolations(page, path);
  expect(await horizontalOverflow(page), `${path}: ${await overflowingElements(page)}`).toBeLessThanOrEqual(0);
}

async function logIn(page: Page, path: string, email: string): Promise<void> {
  await page.goto(`${b.app.url}${path}`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type="submit"]').first().click()]);
}

describe('execution tracking in a browser', () => {
  it('shows residents the list, map and project pages on a phone, in French and English; a resident follows', {
    timeout: 90_000,
  }, async () => {
    const page = await b.page({ ...PHONE, locale: 'fr-FR' });
    for (const path of [
      LIST,
      `${LIST}?envelope=75118&status=delivered`,
      `${LIST}/18-001`,
      `${LIST}/city-001?lang=en`,
      `${SQUARE}?lang=fr`,
    ]) {
      await expectClean(page, path);
    }
    // The progress is said in words and drawn as a meter named by those words.
    const meter = page.getByRole('meter', { name: 'Réalisé à 0 %' });
    await expect(meter.getAttribute('value')).resolves.toBe('0');

    await page.getByRole('link', { name: 'Connectez-vous pour suivre ce projet' }).click();
    await page.locator('input[name="email"]').fill('camille.martin@example.org');
    await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await Promise.all([page.waitForURL(`${b.app.url}${SQUARE}`), page.locator('main form button[type="submit"]').first().click()]);
    await Promise.all([page.waitForURL(/notice=followed/), page.getByRole('button', { name: 'Suivre ce projet' }).click()]);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Vous suivez ce projet');
    await expectNoAxeViolations(page, 'project page, followed');
  });

  it('lets the 11th’s agent update the progress and add a milestone with a photo; errors are announced', { timeout: 90_000 }, async () => {
    const { kernel } = b.app;
    const resident = await kernel.db
      .selectFrom('accounts')
      .select('id')
      .where('email', '=', 'camille.martin@example.org')
      .executeTakeFirstOrThrow();
    await inTransaction(kernel.db, (trx) => followProject(trx, ids.square, resident.id));
    const page = await b.page({ locale: 'fr-FR' });
    await logIn(page, '/admin/login', 'agent.11@ville.example');
    await expectClean(page, `/admin/budget/${CAMPAIGN}/realisations`);
    await expectClean(page, `/admin${SQUARE}`);

    await page.locator('#progress').fill('120');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Enregistrer' }).click()]);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('L’avancement est un nombre entier de 0 à 100.');
    await expectNoAxeViolations(page, 'admin page with errors');
    expect(await trackedById(kernel.db, ids.square)).toMatchObject({ status: 'planned', progress: 0 });

    await page.locator('#status').selectOption('works');
    await page.locator('#progress').fill('40');
    await Promise.all([page.waitForURL(/notice=updated/), page.getByRole('button', { name: 'Enregistrer' }).click()]);
    expect(await trackedById(kernel.db, ids.square)).toMatchObject({ status: 'works', progress: 40 });

    await page.locator('#date').fill('2028-06-01');
    await page.locator('#titleFr').fill('Plantation des arbres');
    await page.locator('#photos').setInputFiles({ name: 'arbres.jpg', mimeType: 'image/jpeg', buffer: await photo() });
    await Promise.all([page.waitForURL(/notice=milestone/), page.getByRole('button', { name: 'Ajouter l’étape' }).click()]);
    await expectNoAxeViolations(page, 'admin page after a milestone');

    const visitor = await b.page({ ...PHONE, locale: 'fr-FR' });
    await expectClean(visitor, SQUARE);
    await expect(visitor.getByRole('img', { name: 'Photo 1 de l’étape « Plantation des arbres »' }).isVisible()).resolves.toBe(true);
    const notified = await kernel.db.selectFrom('notifications').select('subject').where('account_id', '=', resident.id).execute();
    expect(notified.map((n) => n.subject)).toContain('Budget participatif : du nouveau sur « Square Maurice-Gardette »');
  });
});
