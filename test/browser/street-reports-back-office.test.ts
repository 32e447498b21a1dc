import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../src/kernel/demo.js';
import { DEMO_PASSWORD } from '../../src/kernel/identity/demo.js';
import { expectNoAxeViolations, horizontalOverflow, PHONE, withBrowser } from './support.js';

/** The street reports' back office as agents use it, checked with axe on a desktop and a phone. */
const b = withBrowser();

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${b.app.url}/admin/login`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type="submit"]').first().click()]);
}

async function expectClean(page: Page, path: string, phone = false): Promise<void> {
  const response = await page.goto(`${b.app.url}${path}`);
  expect(response?.status(), path).toBe(200);
  await expectNoAxeViolations(page, path);
  if (phone) expect(await horizontalOverflow(page), path).toBeLessThanOrEqual(0);
}

describe('the street reports back office', () => {
  it('gives agents an accessible queue, map, report page, dashboard, route sheet and templates', { timeout: 90_000 }, async () => {
    await seedDemoOnce(b.app.kernel);
    const report = await b.app.kernel.db
      .selectFrom('street_reports')
      .select('id')
      .where('district', '=', '75111')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    const page = await b.page();
    await signIn(page, 'agent.11@ville.example');
    for (const path of [
      '/admin/reports',
      '/admin/reports?view=map',
      `/admin/reports/${report.id}`,
      '/admin/reports/dashboard',
      '/admin/reports/route-sheet?district=75111',
      '/admin/reports/templates',
      '/admin/reports?lang=en',
    ]) {
      await expectClean(page, path);
    }
  });

  it('runs a bulk action from the queue and fits a phone', { timeout: 90_000 }, async () => {
    await seedDemoOnce(b.app.kernel);
    const report = await b.app.kernel.db
      .selectFrom('street_reports')
      .select('id')
      .where('district', '=', '75111')
      .executeTakeFirstOrThrow();
    const page = await b.page();
    await signIn(page, 'agent.11@ville.example');
    // The queue's bulk action, without JavaScript-specific help: tick, choose, apply.
    await page.goto(`${b.app.url}/admin/reports?state=new&lang=fr`);
    const boxes = page.locator('input[name="reports"]');
    expect(await boxes.count()).toBeGreaterThan(0);
    await boxes.first().check();
    await page.locator('#mass-action').selectOption('acknowledge');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Appliquer aux dossiers cochés' }).click()]);
    expect(await page.locator('main [role="status"]').textContent()).toContain('1 dossier(s) traité(s)');
    await expectNoAxeViolations(page, 'bulk action result');
    const phone = await b.page(PHONE);
    await signIn(phone, 'agent.11@ville.example');
    for (const path of ['/admin/reports', `/admin/reports/${report.id}`, '/admin/reports/dashboard']) await expectClean(phone, path, true);
  });
});
