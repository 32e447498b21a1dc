import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, launchBrowser } from '../browser/support.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCitizen } from '../support/citizens.js';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';

let t: TestApp & { url: string };
let provider: TestOidcProvider;
let browser: Browser;
beforeAll(async () => {
  provider = await startOidcProvider();
  [t, browser] = await Promise.all([createTestApp({ listen: true, overrides: { oidc: provider.config() } }), launchBrowser()]);
  // The app's address is known once it listens: links and the callback are built from publicUrl.
  t.kernel.config.publicUrl = t.url;
  await provider.register(`${t.url}/auth/oidc/callback`);
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await provider?.close();
});

async function frenchContext() {
  const context = await browser.newContext({ locale: 'fr-FR' });
  context.setDefaultTimeout(10_000);
  return context;
}

describe('in Chromium', () => {
  it('logs a resident in with the provider’s button and shows the certified identity', async () => {
    const context = await frenchContext();
    try {
      const page = await context.newPage();
      await page.goto(`${t.url}/login`);
      await expectNoAxeViolations(page);
      await page.getByRole('link', { name: 'Se connecter avec FranceConnect' }).click();
      await page.waitForURL(`${t.url}/account`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Mon compte');
      expect(await page.textContent('main')).toContain('Identité certifiée par FranceConnect');
      expect(await page.inputValue('#familyName')).toBe('DUBOIS');
      await expectNoAxeViolations(page);
      const cookies = await context.cookies();
      expect(cookies.find((c) => c.name === 'civitas_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
      expect(cookies.find((c) => c.name === 'civitas_oidc')).toBeUndefined();
    } finally {
      await context.close();
    }
  });

  it('has accessible sign-up, sign-in and account forms, errors included', async () => {
    await createCitizen(t.kernel, 'axe@example.org', 'a long enough password');
    const context = await frenchContext();
    try {
      const page = await context.newPage();
      await page.goto(`${t.url}/signup`);
      await expectNoAxeViolations(page);
      await page.getByRole('button', { name: 'Créer mon compte' }).click();
      expect(await page.evaluate(() => document.activeElement?.className)).toBe('error-summary');
      await expectNoAxeViolations(page, 'sign-up with errors');
      await page.goto(`${t.url}/forgot-password`);
      await expectNoAxeViolations(page);
      await page.goto(`${t.url}/login`);
      await page.fill('#email', 'axe@example.org');
      await page.fill('#password', 'a long enough password');
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.waitForURL(`${t.url}/account`);
      await expectNoAxeViolations(page);
      await page.fill('#phone', 'not a phone');
      await page.getByRole('button', { name: 'Enregistrer mes informations' }).click();
      await expectNoAxeViolations(page, 'account with errors');
    } finally {
      await context.close();
    }
  });
});
