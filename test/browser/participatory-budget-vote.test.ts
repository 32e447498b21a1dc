import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CAMPAIGN, resident, votingCampaign } from '../modules/participatory-budget/voting-support.js';
import { sessionCookie } from '../support/identity.js';
import { expectNoAxeViolations, horizontalOverflow, PHONE, withBrowser } from './support.js';

/**
 * A resident votes from a phone: chooses a district, fills the city-wide ballot (with the server's
 * running total), reviews, confirms, reads the receipt code and checks it on the public page. Every
 * page is checked with axe and must fit the phone's width.
 */
const b = withBrowser({ app: { overrides: { modules: ['pages', 'participatory-budget'] } } });
beforeAll(async () => {
  await votingCampaign(b.app.kernel, {
    openNow: true,
    rules: { '75111': { type: 'majority-judgement', grades: ['good', 'fair', 'reject'] } },
  });
});

async function submit(page: Page, name: string): Promise<void> {
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name, exact: true }).first().click()]);
  await page.waitForLoadState('load');
}

async function checkPage(page: Page, label: string): Promise<void> {
  await expectNoAxeViolations(page, label);
  expect(await horizontalOverflow(page), `${label} scrolls sideways`).toBe(0);
}

describe('voting in the participatory budget from a phone', () => {
  it('goes from the district to a checked receipt, accessible at every step', { timeout: 90_000 }, async () => {
    const accountId = await resident(b.app.kernel, 'voter@example.org');
    const [name, value] = (await sessionCookie(b.app.kernel, accountId)).split('=') as [string, string];
    const context = await b.context({ ...PHONE, locale: 'fr-FR' });
    await context.addCookies([{ name, value, url: b.app.url }]);
    const page = await context.newPage();

    await page.goto(`${b.app.url}/budget/${CAMPAIGN}/vote`);
    await checkPage(page, 'district choice');
    await page.getByLabel('Votre arrondissement de cœur').selectOption('75111');
    await submit(page, 'Choisir cet arrondissement');
    await checkPage(page, 'ballots');

    await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: 'Tout Paris' }).click()]);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Votre bulletin : Tout Paris');
    await checkPage(page, 'city ballot');
    await page.getByLabel(/Projet city-002/).check();
    await page.getByLabel(/Projet city-005/).check();
    await submit(page, 'Mettre à jour le total');
    await expect(page.locator('#ballot-summary').textContent()).resolves.toContain('Projets choisis : 2');
    await checkPage(page, 'city ballot, updated');
    await submit(page, 'Vérifier mon vote');
    await checkPage(page, 'review');
    await submit(page, 'Confirmer mon vote');

    await expect(page.locator('.confirmation-panel h1').textContent()).resolves.toBe('Votre vote a été compté');
    const code = (await page.locator('.receipt-code').textContent())!;
    expect(code).toMatch(/^\w{4}-\w{4}-\w{4}-\w{4}$/);
    await checkPage(page, 'confirmation');

    // The district's ballot: a grade for each project, then the same path.
    await page.goto(`${b.app.url}/budget/${CAMPAIGN}/vote/75111`);
    await checkPage(page, 'majority-judgement ballot');

    await page.goto(`${b.app.url}/budget/receipt`);
    await checkPage(page, 'receipt check');
    await page.getByLabel('Code de reçu').fill(code.toLowerCase());
    await submit(page, 'Vérifier');
    await expect(page.locator('.confirmation-panel h2').textContent()).resolves.toBe('Ce vote a été compté.');
    await checkPage(page, 'receipt checked');
  });
});
