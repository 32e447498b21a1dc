import { describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../src/kernel/demo.js';
import { DEMO_PASSWORD } from '../../src/kernel/identity/demo.js';
import { expectNoAxeViolations, horizontalOverflow, PHONE, withBrowser } from './support.js';

/**
 * The citizen relationship a person walks through, checked with axe: the resident's dashboard,
 * a demand with its messages, the procedures; the agents' inbox, workflows, an application and the
 * 360° view — in both languages for the resident, on a phone.
 */
const b = withBrowser();

async function signIn(page: import('playwright-core').Page, loginPath: string, email: string): Promise<void> {
  await page.goto(`${b.app.url}${loginPath}`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type="submit"]').first().click()]);
}

async function expectClean(page: import('playwright-core').Page, path: string, label = path): Promise<void> {
  const response = await page.goto(`${b.app.url}${path}`);
  expect(response?.status(), label).toBe(200);
  await expectNoAxeViolations(page, label);
  expect(await horizontalOverflow(page), label).toBeLessThanOrEqual(0);
}

describe('demands, procedures and workflows', () => {
  it('give the demo resident an accessible dashboard, demand page and procedures, and carry a message', { timeout: 90_000 }, async () => {
    await seedDemoOnce(b.app.kernel);
    const demand = await b.app.kernel.db.selectFrom('demands').select('id').where('status', '=', 'to-complete').executeTakeFirstOrThrow();
    const page = await b.page(PHONE);
    await signIn(page, '/login', 'camille.martin@example.org');
    for (const lang of ['fr', 'en']) {
      for (const path of [
        '/account/demands',
        `/account/demands/${demand.id}`,
        '/account/notifications',
        '/procedures',
        '/procedures/transport-enfants',
      ]) {
        await expectClean(page, `${path}?lang=${lang}`);
      }
    }
    await page.goto(`${b.app.url}/account/demands/${demand.id}?lang=fr`);
    await page.locator('#body').fill('Voici un justificatif plus récent.');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Envoyer le message' }).click()]);
    expect(await page.locator('.notice').textContent()).toContain('Votre message a été envoyé.');
    expect(await page.locator('.timeline').textContent()).toContain('Voici un justificatif plus récent.');
    await expectNoAxeViolations(page, 'demand page after a message');
    // The resident's own action: they say the file is corrected.
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'J’ai corrigé mon dossier' }).click()]);
    expect(await page.locator('.notice').textContent()).toContain('L’action a été effectuée.');
    await expectClean(page, '/procedures/transport-enfants/apply/steps/payer', 'first step of the procedure');
  });

  it('give agents an accessible inbox, workflow pages, application file and 360° view', { timeout: 90_000 }, async () => {
    await seedDemoOnce(b.app.kernel);
    const application = await b.app.kernel.db
      .selectFrom('procedures_applications')
      .select(['id', 'demand_id', 'account_id'])
      .executeTakeFirstOrThrow();
    const page = await b.page();
    await signIn(page, '/admin/login', 'admin@ville.example');
    for (const path of [
      '/admin/demands',
      '/admin/workflows',
      '/admin/workflows/procedures:application',
      '/admin/workflows/procedures:application/items?state=submitted',
      `/admin/procedures/applications/${application.id}`,
      `/admin/demands/${application.demand_id}`,
      `/admin/citizens?q=camille`,
      `/admin/citizens/${application.account_id}`,
      '/admin/notifications',
    ]) {
      await expectClean(page, path);
    }
  });
});
