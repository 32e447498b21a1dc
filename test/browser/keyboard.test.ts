import { describe, expect, it } from 'vitest';
import { focused, withBrowser } from './support.js';

/** Keyboard users: the skip link comes first, shows itself, and takes them to the content. */
const b = withBrowser();

describe('keyboard', () => {
  it.each([
    ['/', 'fr', 'Aller au contenu'],
    ['/pages/accessibilite?lang=en', 'en', 'Skip to content'],
    ['/no/such/page', 'fr', 'Aller au contenu'],
  ] as const)('on %s, the first Tab focuses the skip link, and Enter moves focus to main', async (path, _lang, label) => {
    const page = await b.page({ locale: 'fr-FR' });
    await page.goto(b.app.url + path);

    await page.keyboard.press('Tab');
    const first = await focused(page);
    expect(first).toMatchObject({ tag: 'a', className: 'skip-link', text: label });
    // Visible while focused (it is off-screen otherwise).
    const box = await page.locator('.skip-link').boundingBox();
    expect(box).not.toBeNull();
    expect(box?.y ?? -1).toBeGreaterThanOrEqual(0);
    expect(box?.height ?? 0).toBeGreaterThan(10);
    expect(await page.locator('.skip-link').evaluate('e => getComputedStyle(e).outlineStyle')).not.toBe('none');

    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.hash === '#main');
    expect((await focused(page)).id).toBe('main');
    expect(await page.locator('main').getAttribute('tabindex')).toBe('-1');

    // The next Tab continues from the content, not from the top of the page.
    await page.keyboard.press('Tab');
    const next = await focused(page);
    expect(next.className).not.toBe('skip-link');
    expect(await page.evaluate('!!document.activeElement.closest("main, footer")')).toBe(true);
  });

  it('the feedback form works with the keyboard alone', async () => {
    const page = await b.page({ locale: 'fr-FR' });
    await page.goto(`${b.app.url}/pages/mentions-legales`);
    await page.locator('#useful-yes').focus();
    await page.keyboard.press('Space');
    expect(await page.locator('#useful-yes').isChecked()).toBe(true);
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('#useful-no').isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect((await focused(page)).id).toBe('comment');
    await page.keyboard.type('Clair.');
    await page.keyboard.press('Tab');
    expect((await focused(page)).tag).toBe('button');
    await Promise.all([page.waitForURL(/\?feedback=sent#feedback$/), page.keyboard.press('Enter')]);
    await expect(page.getByRole('status').textContent()).resolves.toBe('Merci, votre avis a été enregistré.');
  });

  it('with JavaScript, a form sent with errors puts focus on the error summary', async () => {
    const page = await b.page({ locale: 'fr-FR' });
    await page.goto(`${b.app.url}/pages/donnees-personnelles`);
    await page.locator('#comment').focus();
    await page.keyboard.press('Tab');
    await Promise.all([page.waitForURL(/\/feedback$/), page.keyboard.press('Enter')]);
    await page.locator('.error-summary').waitFor();
    // (Polled from outside: the page's CSP forbids the eval that page.waitForFunction needs.)
    await expect.poll(async () => (await focused(page)).className).toBe('error-summary');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'a', text: 'Indiquez si cette page vous a été utile' });
  });
});
