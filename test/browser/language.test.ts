import { describe, expect, it } from 'vitest';
import { htmlLang, PHONE, withBrowser } from './support.js';

/** ?lang= (remembered in a cookie), then the cookie, then Accept-Language, then the city's French. */
const b = withBrowser();

describe('language', () => {
  it.each([
    ['desktop', {}],
    ['phone', PHONE],
  ] as const)('clicking "English" in the header switches to English, and the choice persists (%s)', async (_name, viewport) => {
    const context = await b.context({ ...viewport, locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(`${b.app.url}/pages`);
    expect(await htmlLang(page)).toBe('fr');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Informations');

    const switcher = page.getByRole('banner').getByRole('navigation', { name: 'Langue' });
    expect(await switcher.getByRole('link', { name: 'Français' }).getAttribute('aria-current')).toBe('true');
    const english = switcher.getByRole('link', { name: 'English' });
    expect(await english.getAttribute('lang')).toBe('en');
    expect(await english.getAttribute('aria-current')).toBeNull();
    await english.click();

    await page.waitForURL(`${b.app.url}/pages?lang=en`);
    expect(await htmlLang(page)).toBe('en');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Information');
    expect(await page.title()).toBe('Information – City of Paris');
    const switcherEn = page.getByRole('banner').getByRole('navigation', { name: 'Language' });
    expect(await switcherEn.getByRole('link', { name: 'English' }).getAttribute('aria-current')).toBe('true');
    const cookie = (await context.cookies(b.app.url)).find((c) => c.name === 'lang');
    expect(cookie).toMatchObject({ value: 'en', httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.expires ?? 0).toBeGreaterThan(Date.now() / 1000 + 300 * 24 * 3600);

    // The next page, reached by a link without ?lang, is still in English (cookie).
    await page.getByRole('contentinfo').getByRole('link', { name: 'Legal notice' }).click();
    await page.waitForURL(`${b.app.url}/pages/mentions-legales`);
    expect(await htmlLang(page)).toBe('en');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Legal notice');

    // And back to French the same way.
    await page.getByRole('banner').getByRole('link', { name: 'Français' }).click();
    await page.waitForURL(`${b.app.url}/pages/mentions-legales?lang=fr`);
    expect(await htmlLang(page)).toBe('fr');
    await page.goto(`${b.app.url}/`);
    expect(await htmlLang(page)).toBe('fr');
  });

  it('a fresh browser sending Accept-Language: en gets English by default', async () => {
    const page = await b.page({ extraHTTPHeaders: { 'Accept-Language': 'en' } });
    await page.goto(`${b.app.url}/`);
    expect(await htmlLang(page)).toBe('en');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('City of Paris');
    await page.goto(`${b.app.url}/pages/accessibilite`);
    expect(await htmlLang(page)).toBe('en');
    // Negotiated, not chosen: nothing is remembered.
    expect((await page.context().cookies(b.app.url)).find((c) => c.name === 'lang')).toBeUndefined();
  });

  it('a regional English locale (en-GB) also gets English', async () => {
    const page = await b.page({ locale: 'en-GB' });
    await page.goto(`${b.app.url}/pages`);
    expect(await htmlLang(page)).toBe('en');
  });

  it('without a language preference, the city default (French) applies', async () => {
    // A browser always sends Accept-Language; the closest it can do to "none" is an empty one.
    const page = await b.page({ extraHTTPHeaders: { 'Accept-Language': '' } });
    await page.goto(`${b.app.url}/`);
    expect(await htmlLang(page)).toBe('fr');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Ville de Paris');

    // And with no header at all (not something a browser does).
    const response = await b.app.app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/<html lang="fr">/);
  });

  it('a language the city does not offer falls back to French', async () => {
    const page = await b.page({ locale: 'de-DE' });
    await page.goto(`${b.app.url}/`);
    expect(await htmlLang(page)).toBe('fr');
  });
});
