import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  expectNoAxeViolations,
  horizontalOverflow,
  htmlLang,
  overflowingElements,
  VIEWPORTS,
  watchSubresources,
  withBrowser,
} from './support.js';

/**
 * Every public page, in both languages, on a desktop and on a phone: no WCAG 2.1 A/AA violation
 * found by axe, the right `<html lang>`, and nothing wider than a phone's screen.
 */
const b = withBrowser();

type Lang = 'fr' | 'en';

interface PublicPage {
  name: string;
  /** Opens the page (path without the language) and says which HTTP status it must answer. */
  open(page: Page, base: string, lang: Lang): Promise<number>;
  h1: Record<Lang, string | RegExp>;
}

const withLang = (path: string, lang: Lang) => (lang === 'en' ? `${path}${path.includes('?') ? '&' : '?'}lang=en` : path);

async function visit(page: Page, url: string): Promise<number> {
  const response = await page.goto(url);
  return response?.status() ?? 0;
}

const PAGES: PublicPage[] = [
  { name: 'home', open: (p, base, lang) => visit(p, base + withLang('/', lang)), h1: { fr: 'Ville de Paris', en: 'City of Paris' } },
  { name: 'page index', open: (p, base, lang) => visit(p, base + withLang('/pages', lang)), h1: { fr: 'Informations', en: 'Information' } },
  {
    name: 'accessibility statement',
    open: (p, base, lang) => visit(p, base + withLang('/pages/accessibilite', lang)),
    h1: { fr: 'Déclaration d’accessibilité', en: /accessibility statement/i },
  },
  {
    name: 'legal notice',
    open: (p, base, lang) => visit(p, base + withLang('/pages/mentions-legales', lang)),
    h1: { fr: 'Mentions légales', en: /legal notice/i },
  },
  {
    name: 'personal data',
    open: (p, base, lang) => visit(p, base + withLang('/pages/donnees-personnelles', lang)),
    h1: { fr: 'Données personnelles', en: 'Personal data' },
  },
  {
    name: '404 page',
    open: (p, base, lang) => visit(p, base + withLang('/no/such/page', lang)),
    h1: { fr: 'Page introuvable', en: 'Page not found' },
  },
  {
    name: 'feedback form with errors',
    async open(p, base, lang) {
      await visit(p, base + withLang('/pages/accessibilite', lang));
      const [response] = await Promise.all([
        p.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/pages/accessibilite/feedback')),
        p.getByRole('button', { name: lang === 'fr' ? 'Envoyer mon avis' : 'Send my feedback' }).click(),
      ]);
      await p.waitForLoadState('load');
      await p.locator('.error-summary').waitFor();
      return response.status();
    },
    h1: { fr: 'Déclaration d’accessibilité', en: /accessibility statement/i },
  },
];

const expectedStatus = (name: string) => (name === '404 page' ? 404 : name === 'feedback form with errors' ? 400 : 200);

describe.each(Object.entries(VIEWPORTS))('on a %s', (viewportName, viewport) => {
  describe.each(['fr', 'en'] as const)('in %s', (lang) => {
    it.each(PAGES)('$name has no axe violation, the right lang and no sideways scroll', async (publicPage) => {
      // A French browser: English comes from ?lang=en, which must win over Accept-Language.
      const page = await b.page({ ...viewport, locale: 'fr-FR' });
      const resources = watchSubresources(page);
      const status = await publicPage.open(page, b.app.url, lang);
      expect(status).toBe(expectedStatus(publicPage.name));

      expect(await htmlLang(page)).toBe(lang);
      await expect(page.locator('h1').textContent()).resolves.toMatch(publicPage.h1[lang]);
      expect(await page.locator('h1').count()).toBe(1);
      const title = await page.title();
      expect(title).toMatch(lang === 'fr' ? /Ville de Paris$/ : /City of Paris$/);

      await expectNoAxeViolations(page, `${publicPage.name} (${lang}, ${viewportName})`);
      // Its stylesheets, script and images all loaded.
      expect(resources.broken).toEqual([]);

      const overflow = await horizontalOverflow(page);
      if (overflow > 0) {
        throw new Error(
          `${publicPage.name} (${lang}, ${viewportName}) scrolls sideways by ${overflow}px: ${(await overflowingElements(page)).join(', ')}`,
        );
      }
    });
  });
});

describe('the look of the home page', () => {
  it.each(Object.entries(VIEWPORTS))('is captured on a %s (screenshot in /tmp, for human review)', async (viewportName, viewport) => {
    const page = await b.page({ ...viewport, locale: 'fr-FR' });
    const resources = watchSubresources(page);
    await page.goto(`${b.app.url}/`);
    const png = await page.screenshot({ path: `/tmp/civitas-home-${viewportName}.png`, fullPage: true });
    expect(png.length).toBeGreaterThan(1000);
    expect(resources.broken).toEqual([]);
  });
});
