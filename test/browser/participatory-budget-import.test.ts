import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/kernel/identity/demo.js';
import { campaignForFile } from '../modules/participatory-budget/pabulib-import-support.js';
import { fixtureBytes, REAL_FILES } from '../modules/participatory-budget/support.js';
import { expectNoAxeViolations, withBrowser } from './support.js';

/** The Pabulib import page in a browser: the upload form, a refused file's problems, an accepted one — axe-clean in French and English. */
const b = withBrowser({ app: { demo: true, overrides: { modules: ['pages', 'participatory-budget'] } } });
const CODE = 'import-navigateur';
const PAGE = `/admin/budget/${CODE}/results/import`;
const fixture = (name: string) => fileURLToPath(new URL(`../modules/participatory-budget/fixtures/${name}`, import.meta.url));

beforeAll(async () => {
  await campaignForFile(b.app.kernel, CODE, fixtureBytes(REAL_FILES.lodz));
});

describe('importing a Pabulib file in a browser', () => {
  it('uploads a file into the wrong envelope, reads why, then into the right one', { timeout: 120_000 }, async () => {
    const page = await b.page({ locale: 'fr-FR' });
    await page.goto(`${b.app.url}${PAGE}`);
    await page.locator('input[name="email"]').fill('admin@ville.example');
    await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type="submit"]').first().click()]);
    expect(new URL(page.url()).pathname).toBe(PAGE);
    await expectNoAxeViolations(page, 'import page');

    await page.locator('#envelope').selectOption('city');
    await page.locator('#file').setInputFiles(fixture(REAL_FILES.lodz));
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[enctype] button[type="submit"]').click()]);
    expect(await page.locator('.error-summary').textContent()).toContain('Ligne 11 : le budget du fichier (411000)');
    await expectNoAxeViolations(page, 'import page with errors');

    await page.goto(`${b.app.url}${PAGE}?lang=en`);
    await page.locator('#envelope').selectOption('75111');
    await page.locator('#file').setInputFiles(fixture(REAL_FILES.lodz));
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[enctype] button[type="submit"]').click()]);
    expect(await page.locator('main').textContent()).toContain('5 project(s) and 237 ballot(s)');
    expect(await page.locator('main').textContent()).toContain('The file’s vote threshold, applied by the greedy rules: 50.');
    await expectNoAxeViolations(page, 'import page after an import');
  });
});
