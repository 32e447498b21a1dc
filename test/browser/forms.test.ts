import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fromJson } from '../../src/kernel/db/values.js';
import { catalogue } from '../../src/modules/catalogue.js';
import { formsTestModule, pngFixture } from '../forms/fixture-module.js';
import { createCitizen, sessionCookie } from '../support/identity.js';
import { expectNoAxeViolations, expectNoAxeViolationsInHtml, watchSubresources, withBrowser } from './support.js';

/**
 * A resident fills a multi-step form (forms engine, src/kernel/forms): a step shown because of an
 * earlier answer, a row added with the "add" button, a field that appears on the same page as its
 * condition is met, an upload kept when the page comes back with an error, then the summary and the
 * send. Every page is checked with axe.
 */
const b = withBrowser({ app: { catalogue: [...catalogue, formsTestModule], overrides: { modules: ['pages', 'forms-test'] } } });

async function signedInPage(javaScriptEnabled = true): Promise<Page> {
  const accountId = await createCitizen(b.app.kernel, { email: `browser-${javaScriptEnabled}@example.fr`, name: 'Ada Lovelace' });
  const [name, value] = (await sessionCookie(b.app.kernel, accountId)).split('=') as [string, string];
  const context = await b.context({ locale: 'fr-FR', javaScriptEnabled });
  await context.addCookies([{ name, value, url: b.app.url }]);
  return context.newPage();
}

async function submit(page: Page, name: string): Promise<void> {
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name, exact: true }).click()]);
  await page.waitForLoadState('load');
}

describe('a multi-step form in a browser', () => {
  it('is filled with a condition, a repeated row and an upload, then checked and sent', async () => {
    const page = await signedInPage();
    const assets = watchSubresources(page);
    await page.goto(`${b.app.url}/forms-test/transport`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Vous');
    expect(await page.locator('.step-indicator').textContent()).toBe('Étape 1 sur 2');
    await expectNoAxeViolations(page, 'step 1');

    await page.getByLabel('Prénom').fill('Ada');
    await page.getByLabel('Adresse e-mail').fill('ada@example.fr');
    await page.getByRole('radio', { name: 'Oui' }).check();
    await submit(page, 'Continuer');

    // The children step exists because of the answer "Yes".
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Vos enfants');
    expect(await page.locator('.step-indicator').textContent()).toBe('Étape 2 sur 3');
    await page.locator('[id="children.0.name"]').fill('Léa');
    await page.locator('[id="children.0.birth_date"]').fill('2017-05-02');
    await page.locator('[id="children.0.contract"]').fill('12345678');
    await submit(page, 'Ajouter : Enfant 2');
    expect(await page.getByRole('group', { name: 'Enfant 2' }).count()).toBe(1);
    expect(await page.locator('[id="children.0.name"]').inputValue()).toBe('Léa');
    await expectNoAxeViolations(page, 'children step with two rows');
    await page.locator('[id="children.1.name"]').fill('Tom');
    await page.locator('[id="children.1.birth_date"]').fill('2019-01-15');
    await submit(page, 'Continuer');

    // The custody details appear only once shared custody is answered "Yes" (same page, with JavaScript).
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Remboursement');
    const note = page.getByLabel('Précisez l’organisation de la garde');
    expect(await note.isHidden()).toBe(true);
    await expectNoAxeViolations(page, 'payment step');
    await page.getByRole('group', { name: 'Garde alternée ?' }).getByRole('radio', { name: 'Oui' }).check();
    expect(await note.isVisible()).toBe(true);
    await note.fill('Une semaine sur deux.');
    await page.getByLabel('IBAN du payeur').fill('FR76 3000 6000 0112 3456 7890 188');
    await page.getByLabel('Montant payé (€)').fill('24,50');
    await page
      .getByLabel('Justificatif de domicile')
      .setInputFiles({ name: 'justificatif.png', mimeType: 'image/png', buffer: await pngFixture() });
    await submit(page, 'Continuer');

    // A typing mistake in the IBAN: the upload and everything typed are kept, the summary links to the field.
    const summary = page.getByRole('alert');
    await expect(summary.getByRole('heading', { level: 2 }).textContent()).resolves.toBe('Il y a un problème');
    await summary.getByRole('link', { name: /IBAN du payeur/ }).click();
    expect(await page.evaluate('document.activeElement.id')).toBe('iban');
    expect(await page.locator('.form-uploads').textContent()).toContain('justificatif.png');
    expect(await note.inputValue()).toBe('Une semaine sur deux.');
    await expectNoAxeViolations(page, 'payment step with an error');
    await page.getByLabel('IBAN du payeur').fill('FR76 3000 6000 0112 3456 7890 189');
    await submit(page, 'Continuer');

    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Vérifiez vos réponses avant d’envoyer');
    const text = await page.locator('main').textContent();
    for (const answer of ['Ada', 'Léa', 'Tom', 'FR76 3000 6000 0112 3456 7890 189', '24,50', 'justificatif.png', 'Une semaine sur deux.']) {
      expect(text).toContain(answer);
    }
    await expectNoAxeViolations(page, 'summary');
    await submit(page, 'Envoyer');
    expect(page.url()).toMatch(/\/forms-test\/done\/\w+$/);
    expect(assets.broken).toEqual([]);

    const rows = await (b.app.kernel.db as any).selectFrom('forms_test_submissions').selectAll().execute();
    const data = fromJson<Record<string, unknown>>(rows.at(-1).data, {});
    expect(data.children).toEqual([
      { name: 'Léa', birth_date: '2017-05-02', contract: '12345678' },
      { name: 'Tom', birth_date: '2019-01-15' },
    ]);
    expect(data.custody_note).toBe('Une semaine sur deux.');
  });

  it('works without JavaScript: a same-page condition is written out, and the page with errors is accessible', async () => {
    const page = await signedInPage(false);
    await page.goto(`${b.app.url}/forms-test/transport`);
    await page.getByLabel('Prénom').fill('Bo');
    await page.getByLabel('Adresse e-mail').fill('bo@example.fr');
    await page.getByRole('radio', { name: 'Non' }).check();
    await submit(page, 'Continuer');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Remboursement');
    const note = page.getByLabel('Précisez l’organisation de la garde');
    expect(await note.isVisible()).toBe(true);
    expect(await page.textContent('main')).toContain('Seulement si la réponse à « Garde alternée ? » est « Oui ».');
    await submit(page, 'Continuer');
    expect(await page.getByRole('alert').textContent()).toContain('Justificatif de domicile');
    await expectNoAxeViolationsInHtml(b, page.url(), await page.content(), { locale: 'fr-FR' });
  });
});
