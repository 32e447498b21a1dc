import { describe, expect, it } from 'vitest';
import { PHONE, withBrowser } from './support.js';

/** Defects the browser tests once found, each kept as the test that guards against its return. */
const b = withBrowser();

describe('regressions', () => {
  it('switching language on a form returned with errors leads back to the form’s page', async () => {
    const page = await b.page({ locale: 'fr-FR' });
    await page.goto(`${b.app.url}/pages/accessibilite`);
    await page.getByRole('textbox', { name: /Comment pourrions-nous/ }).fill('Texte');
    await Promise.all([page.waitForURL(/\/feedback$/), page.getByRole('button', { name: 'Envoyer mon avis' }).click()]);
    await page.getByRole('banner').getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/lang=en/);
    await page.waitForLoadState('load');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Accessibility statement');
  });

  it('the French 404 page speaks French, without technical detail', async () => {
    const page = await b.page({ locale: 'fr-FR' });
    await page.goto(`${b.app.url}/no/such/page`);
    expect(await page.locator('main').textContent()).not.toMatch(/No resource|No page/);
  });

  it('an odd page address is a plain 404, not a validation message', async () => {
    const page = await b.page({ locale: 'fr-FR' });
    const response = await page.goto(`${b.app.url}/pages/Accessibilite`);
    expect([200, 404]).toContain(response?.status());
    expect(await page.locator('main').textContent()).not.toMatch(/Invalid params|must match pattern/);
  });

  it.each([
    ['desktop', {}],
    ['phone', PHONE],
  ] as const)('the main navigation lines up with the content — %s', async (_name, viewport) => {
    const page = await b.page({ ...viewport, locale: 'fr-FR' });
    await page.goto(`${b.app.url}/pages`);
    const nav = await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link').first().boundingBox();
    const h1 = await page.getByRole('heading', { level: 1 }).boundingBox();
    expect(nav?.x).toBeCloseTo(h1?.x ?? -1, 0);
  });

  it('the comment field’s accessible name does not repeat its hint', async () => {
    const page = await b.page({ locale: 'fr-FR' });
    await page.goto(`${b.app.url}/pages/accessibilite`);
    expect(await page.getByRole('textbox', { name: 'Comment pourrions-nous l’améliorer ? (facultatif)', exact: true }).count()).toBe(1);
  });

  it('on a content page, the "Informations" link marks its section, not the current page', async () => {
    const page = await b.page({ locale: 'fr-FR' });
    await page.goto(`${b.app.url}/pages/accessibilite`);
    expect(
      await page
        .getByRole('navigation', { name: 'Menu principal' })
        .getByRole('link', { name: 'Informations' })
        .getAttribute('aria-current'),
    ).not.toBe('page');
  });
});
