import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/kernel/identity/demo.js';
import { campaignCodes } from '../../src/modules/participatory-budget/campaigns/store.js';
import { expectNoAxeViolations, horizontalOverflow, overflowingElements, PHONE, withBrowser } from './support.js';

/** The service's front page and the demo's published results, as residents and agents see them, checked with axe. */
const b = withBrowser({ app: { demo: true, overrides: { modules: ['pages', 'participatory-budget'] } } });
let current: string;
let past: string;

beforeAll(async () => {
  [current, past] = (await campaignCodes(b.app.kernel.db)) as [string, string];
});

async function expectClean(page: Page, path: string): Promise<void> {
  const response = await page.goto(`${b.app.url}${path}`);
  expect(response?.status(), path).toBe(200);
  await expectNoAxeViolations(page, path);
  expect(await horizontalOverflow(page), `${path}: ${await overflowingElements(page)}`).toBeLessThanOrEqual(0);
}

describe('participatory budget results in a browser', () => {
  it('leads a resident on a phone from the front page to the results, the charts and an envelope’s ranking, in French and English', {
    timeout: 120_000,
  }, async () => {
    const page = await b.page({ ...PHONE, locale: 'fr-FR' });
    await expectClean(page, '/budget');
    expect(await page.locator(`a[href="/budget/${current}/vote"]`).count()).toBe(1);
    await page.locator(`a[href="/budget/${past}/results"]`).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe(`/budget/${past}/results`);
    await expectNoAxeViolations(page, 'results');
    expect(await page.locator('svg[role="img"]').count()).toBe(3);
    // The figures of a chart are also in its table, behind a summary any keyboard opens.
    await page.locator('details.chart-data summary').first().click();
    expect(await page.locator('details.chart-data table').first().isVisible()).toBe(true);
    for (const path of [`/budget/${past}/results/75111`, `/budget/${past}/results/city?lang=en`, `/budget?lang=en`])
      await expectClean(page, path);
  });

  it('shows an agent the published results in the back office', { timeout: 90_000 }, async () => {
    const page = await b.page();
    await page.goto(`${b.app.url}/admin/budget/${past}/results`);
    await page.locator('input[name="email"]').fill('admin@ville.example');
    await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type="submit"]').first().click()]);
    expect(new URL(page.url()).pathname).toBe(`/admin/budget/${past}/results`);
    expect(await page.locator('main').textContent()).toContain('Published on');
    await expectNoAxeViolations(page, 'admin results');
  });
});
