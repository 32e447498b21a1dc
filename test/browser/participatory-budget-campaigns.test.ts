import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedIdentityDemo } from '../../src/kernel/identity/demo.js';
import { loadCampaign } from '../../src/modules/participatory-budget/campaigns/store.js';
import { expectNoAxeViolations, horizontalOverflow, overflowingElements, PHONE, withBrowser } from './support.js';

/** The campaign form as an administrator uses it: from the menu, with errors announced, then saved; checked with axe. */
const b = withBrowser({ app: { overrides: { modules: ['pages', 'participatory-budget'] } } });

beforeAll(async () => {
  await seedIdentityDemo(b.app.kernel);
});

async function logIn(page: Page): Promise<void> {
  await page.goto(`${b.app.url}/admin/login`);
  await page.locator('input[name="email"]').fill('admin@ville.example');
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type="submit"]').first().click()]);
}

async function submit(page: Page, name: string): Promise<void> {
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name }).click()]);
}

const field = (page: Page, name: string) => page.locator(`[name="${name}"]`);

describe('the campaign form in a browser', () => {
  it('creates a campaign from the menu; errors are summarised, linked and announced; the pages pass axe', {
    timeout: 120_000,
  }, async () => {
    const page = await b.page({ locale: 'fr-FR' });
    await logIn(page);
    await page.locator('nav.admin-nav').getByRole('link', { name: 'Budget participatif : campagnes' }).click();
    await page.waitForLoadState('load');
    await expectNoAxeViolations(page, 'campaigns list');
    await page.getByRole('link', { name: 'Créer une campagne' }).click();
    await page.waitForLoadState('load');
    await expectNoAxeViolations(page, 'new campaign form');

    await field(page, 'code').fill('Essai Navigateur');
    await field(page, 'title_fr').fill('Budget participatif du navigateur');
    await field(page, 'title_en').fill('Browser participatory budget');
    await field(page, 'phase-vote-start').fill('2028-09-01T10:00');
    await field(page, 'phase-vote-end').fill('2028-09-22T20:00');
    await field(page, 'env-city-amount').fill('10000000');
    await submit(page, 'Créer la campagne');
    const summary = page.getByRole('alert');
    await expect(summary.textContent()).resolves.toContain('Utilisez des lettres minuscules');
    await expect(summary.textContent()).resolves.toContain('Indiquez au moins un thème.');
    await expectNoAxeViolations(page, 'new campaign form with errors');
    // Each error links to its field, which names it as its description.
    await summary.getByRole('link', { name: 'Utilisez des lettres minuscules, des chiffres et des tirets.' }).click();
    await expect(field(page, 'code').getAttribute('aria-describedby')).resolves.toBe('code-hint code-error');
    await expect(field(page, 'code').getAttribute('aria-invalid')).resolves.toBe('true');

    await field(page, 'code').fill('essai-navigateur');
    await field(page, 'theme-0-code').fill('sport');
    await field(page, 'theme-0-label_fr').fill('Sport');
    await field(page, 'theme-0-label_en').fill('Sport');
    // A district's envelope is folded away until opened.
    await page
      .locator('details', { has: field(page, 'env-75111-amount') })
      .locator('summary')
      .click();
    await field(page, 'env-75111-amount').fill('2000000');
    await field(page, 'env-75111-ballot').selectOption('majority-judgement');
    await submit(page, 'Créer la campagne');
    expect(new URL(page.url()).pathname).toBe('/admin/budget/essai-navigateur/settings');
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Campagne créée.');
    await expectNoAxeViolations(page, 'campaign settings');
    const campaign = await loadCampaign(b.app.kernel.db, 'essai-navigateur');
    expect(campaign?.envelopes.map((e) => [e.code, e.ballotRules.type])).toEqual([
      ['city', 'approval'],
      ['75111', 'majority-judgement'],
    ]);
  });

  it('fits a phone, in English', { timeout: 90_000 }, async () => {
    const page = await b.page({ ...PHONE, locale: 'en-GB' });
    await logIn(page);
    for (const path of ['/admin/budget/campaigns?lang=en', '/admin/budget/campaigns/new', '/admin/budget/essai-navigateur/settings']) {
      const response = await page.goto(`${b.app.url}${path}`);
      expect(response?.status(), path).toBe(200);
      await expectNoAxeViolations(page, path);
      expect(await horizontalOverflow(page), `${path}: ${await overflowingElements(page)}`).toBeLessThanOrEqual(0);
    }
  });
});
