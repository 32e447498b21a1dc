import { describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../src/kernel/demo.js';
import { DEMO_PASSWORD } from '../../src/kernel/identity/demo.js';
import { expectNoAxeViolations, horizontalOverflow, PHONE, watchSubresources, withBrowser } from './support.js';

/**
 * The identity pages a person walks through, signed out and signed in, checked with axe on a
 * desktop and a phone: the residents' sign-up, login and account, and the agents' back office.
 */
const b = withBrowser();

const SIGNED_OUT = ['/login', '/signup', '/forgot-password', '/admin/login'];
const RESIDENT = ['/account', '/account/data'];
const ADMIN = [
  '/admin',
  '/admin/units',
  '/admin/roles',
  '/admin/agents',
  '/admin/audit',
  '/admin/jobs',
  '/admin/account',
  '/admin/mfa/setup',
];

async function signIn(page: import('playwright-core').Page, loginPath: string, email: string): Promise<void> {
  await page.goto(`${b.app.url}${loginPath}`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type="submit"]').first().click()]);
}

describe('identity pages', () => {
  it('are accessible signed out, on a desktop and a phone', async () => {
    for (const viewport of [{}, PHONE]) {
      const page = await b.page(viewport);
      const assets = watchSubresources(page);
      for (const path of SIGNED_OUT) {
        const response = await page.goto(`${b.app.url}${path}`);
        expect(response?.status(), path).toBe(200);
        await expectNoAxeViolations(page, path);
        expect(await horizontalOverflow(page), path).toBeLessThanOrEqual(0);
      }
      expect(assets.broken).toEqual([]);
    }
  });

  it('let the demo resident sign in and see an accessible account, in both languages', { timeout: 90_000 }, async () => {
    await seedDemoOnce(b.app.kernel);
    const page = await b.page(PHONE);
    await signIn(page, '/login', 'camille.martin@example.org');
    expect(new URL(page.url()).pathname).not.toBe('/login');
    for (const path of RESIDENT) {
      for (const lang of ['fr', 'en']) {
        const response = await page.goto(`${b.app.url}${path}?lang=${lang}`);
        expect(response?.status(), path).toBe(200);
        expect(await page.locator('html').getAttribute('lang')).toBe(lang);
        await expectNoAxeViolations(page, `${path} (${lang})`);
        expect(await horizontalOverflow(page), path).toBeLessThanOrEqual(0);
      }
    }
  });

  it('let the demo administrator sign in and see an accessible back office', { timeout: 90_000 }, async () => {
    await seedDemoOnce(b.app.kernel);
    const page = await b.page();
    await signIn(page, '/admin/login', 'admin@ville.example');
    for (const path of ADMIN) {
      const response = await page.goto(`${b.app.url}${path}`);
      expect(response?.status(), path).toBe(200);
      await expectNoAxeViolations(page, path);
    }
    await page.goto(`${b.app.url}/admin/units?lang=fr`);
    expect(await page.locator('main').textContent()).toContain('Mairie – 11ème Ardt');
  });
});
