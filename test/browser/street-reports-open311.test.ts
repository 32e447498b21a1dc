import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../src/kernel/demo.js';
import { DEMO_PASSWORD } from '../../src/kernel/identity/demo.js';
import { expectNoAxeViolations, horizontalOverflow, PHONE, withBrowser } from './support.js';

/** The back-office page of Open311 keys, as an administrator uses it, on a desktop and a phone. */
const b = withBrowser();

async function signIn(page: Page): Promise<void> {
  await page.goto(`${b.app.url}/admin/login`);
  await page.locator('input[name="email"]').fill('admin@ville.example');
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type="submit"]').first().click()]);
}

describe('Open311 keys in the back office', () => {
  it('issues a key shown once and revokes it, accessibly, in both languages and on a phone', { timeout: 90_000 }, async () => {
    await seedDemoOnce(b.app.kernel);
    const page = await b.page();
    await signIn(page);
    expect((await page.goto(`${b.app.url}/admin/open311/keys?lang=fr`))?.status()).toBe(200);
    await expectNoAxeViolations(page, 'keys, empty');
    // An empty name: the error summary links to the field.
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Créer la clé' }).click()]);
    expect(await page.locator('.error-summary a[href="#name"]').count()).toBe(1);
    await expectNoAxeViolations(page, 'keys, error');
    await page.locator('#name').fill('Appli Android');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Créer la clé' }).click()]);
    expect(await page.locator('main [role="status"] code').textContent()).toMatch(/^o311_/);
    await expectNoAxeViolations(page, 'keys, created');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Révoquer Appli Android' }).click()]);
    expect(await page.locator('main [role="status"]').textContent()).toContain('Appli Android');
    await page.goto(`${b.app.url}/admin/open311/keys?lang=en`);
    await expectNoAxeViolations(page, 'keys, English');
    const phone = await b.page(PHONE);
    await signIn(phone);
    await phone.goto(`${b.app.url}/admin/open311/keys`);
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
  });
});
