import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, feedbackRows, htmlLang, withBrowser } from './support.js';

/**
 * Cross-site request forgery: a page on another origin makes the visitor's browser post the
 * feedback form. The app must refuse it (403, friendly page) and store nothing.
 */
const b = withBrowser();

let attacker: Server;
let attackerPort = 0;
/** Forms the attacker's page posts, by name; `{{app}}` is the app's address, `{{token}}` a token of the attacker's own. */
const forms: Record<string, string> = {};

beforeAll(async () => {
  attacker = createServer((request, response) => {
    const name = new URL(request.url ?? '/', 'http://x').pathname.slice(1);
    const form = forms[name];
    if (!form) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html lang="en"><head><title>Win a prize</title></head><body><main>${form}</main></body></html>`);
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerPort = (attacker.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => attacker.close(resolve));
});

function forgedForm(app: string, csrf: string | undefined): string {
  const token = csrf === undefined ? '' : `<input type="hidden" name="_csrf" value="${csrf}">`;
  return `<h1>Win a prize</h1>
    <form method="post" action="${app}/pages/accessibilite/feedback">
      ${token}
      <input type="hidden" name="useful" value="no">
      <input type="hidden" name="comment" value="forged">
      <button type="submit">Claim</button>
    </form>`;
}

/** The visitor has already been on the app (so has its cookies), then lands on the attacker's page. */
async function victim(lang: 'fr' | 'en'): Promise<Page> {
  const page = await b.page({ locale: lang === 'fr' ? 'fr-FR' : 'en-GB' });
  await page.goto(`${b.app.url}/pages/accessibilite`);
  expect((await page.context().cookies(b.app.url)).map((c) => c.name)).toContain('civitas_csrf');
  return page;
}

async function submitForged(page: Page, attackerUrl: string): Promise<number> {
  await page.goto(attackerUrl);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/pages/accessibilite/feedback')),
    page.getByRole('button', { name: 'Claim' }).click(),
  ]);
  await page.waitForURL(`${b.app.url}/pages/accessibilite/feedback`);
  await page.waitForLoadState('load');
  return response.status();
}

async function expectFriendly403(page: Page, lang: 'fr' | 'en'): Promise<void> {
  expect(await htmlLang(page)).toBe(lang);
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(lang === 'fr' ? 'Accès refusé' : 'Access denied');
  await expect(page.locator('main .lead').textContent()).resolves.toBe(
    lang === 'fr'
      ? 'Le formulaire a expiré ou ne vient pas de ce site. Rechargez la page et envoyez-le de nouveau.'
      : 'The form has expired or did not come from this site. Reload the page and send it again.',
  );
  expect(
    await page
      .getByRole('main')
      .getByRole('link', { name: lang === 'fr' ? 'Retour à l’accueil' : 'Back to the home page' })
      .getAttribute('href'),
  ).toBe('/');
  await expectNoAxeViolations(page, `403 page (${lang})`);
}

describe('a form forged on another site', () => {
  it('without a token, from another origin of the same site (cookies sent): 403, nothing stored', async () => {
    forms.none = forgedForm(b.app.url, undefined);
    const page = await victim('fr');
    expect(await submitForged(page, `http://127.0.0.1:${attackerPort}/none`)).toBe(403);
    await expectFriendly403(page, 'fr');
    expect(await feedbackRows(b.app)).toHaveLength(0);
  });

  it('with a made-up token: 403, nothing stored', async () => {
    forms.madeUp = forgedForm(b.app.url, 'A'.repeat(43));
    const page = await victim('en');
    expect(await submitForged(page, `http://127.0.0.1:${attackerPort}/madeUp`)).toBe(403);
    await expectFriendly403(page, 'en');
    expect(await feedbackRows(b.app)).toHaveLength(0);
  });

  it('with a genuine token of the attacker’s own session: 403, nothing stored', async () => {
    const own = await b.page();
    await own.goto(`${b.app.url}/pages/accessibilite`);
    const token = await own.locator('form.feedback input[name="_csrf"]').inputValue();
    expect(token).toMatch(/^[\w-]{43}$/);
    forms.stolen = forgedForm(b.app.url, token);

    const page = await victim('fr');
    expect(await submitForged(page, `http://127.0.0.1:${attackerPort}/stolen`)).toBe(403);
    await expectFriendly403(page, 'fr');
    expect(await feedbackRows(b.app)).toHaveLength(0);
  });

  it('from another site (SameSite cookies withheld): 403, nothing stored', async () => {
    forms.crossSite = forgedForm(b.app.url, 'A'.repeat(43));
    const page = await victim('fr');
    expect(await submitForged(page, `http://localhost:${attackerPort}/crossSite`)).toBe(403);
    // The CSRF cookie is SameSite=Lax, so not even sent: the token cannot match anything.
    await expectFriendly403(page, 'fr');
    expect(await feedbackRows(b.app)).toHaveLength(0);
  });

  it('a forged form in a blank page (page.setContent) is refused too', async () => {
    const page = await victim('en');
    await page.goto('about:blank');
    await page.setContent(`<html lang="en"><title>x</title><body>${forgedForm(b.app.url, undefined)}</body></html>`);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/pages/accessibilite/feedback')),
      page.getByRole('button', { name: 'Claim' }).click(),
    ]);
    expect(response.status()).toBe(403);
    await page.waitForLoadState('load');
    await expectFriendly403(page, 'en');
    expect(await feedbackRows(b.app)).toHaveLength(0);
  });

  it('while the genuine form, from the app itself, is accepted', async () => {
    const page = await victim('fr');
    await page.getByRole('radio', { name: 'Oui' }).check();
    await Promise.all([page.waitForURL(/\?feedback=sent#feedback$/), page.getByRole('button', { name: 'Envoyer mon avis' }).click()]);
    const rows = await feedbackRows(b.app);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ slug: 'accessibilite', comment: null, lang: 'fr' });
  });
});
