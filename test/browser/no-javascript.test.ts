import { describe, expect, it } from 'vitest';
import { expectNoAxeViolationsInHtml, feedbackRows, focused, htmlLang, PHONE, withBrowser } from './support.js';

/**
 * "JavaScript is never needed to complete a procedure" (accessibility statement): a visitor with
 * JavaScript disabled reads the statement and gives feedback, mistakes included.
 */
const b = withBrowser();

const TEXT = {
  fr: {
    footerLink: 'Accessibilité : partiellement conforme',
    title: 'Déclaration d’accessibilité',
    send: 'Envoyer mon avis',
    summary: 'Il y a un problème',
    usefulError: 'Indiquez si cette page vous a été utile',
    no: 'Non',
    comment: /Comment pourrions-nous l’améliorer/,
    thanks: 'Merci, votre avis a été enregistré.',
  },
  en: {
    footerLink: 'Accessibility: partially compliant',
    title: 'Accessibility statement',
    send: 'Send my feedback',
    summary: 'There is a problem',
    usefulError: 'Say whether this page was useful',
    no: 'No',
    comment: /How could we improve it/,
    thanks: 'Thank you, your feedback has been recorded.',
  },
} as const;

describe('without JavaScript', () => {
  it.each([
    ['fr', 'desktop', {}],
    ['en', 'phone', PHONE],
  ] as const)(
    'a visitor (%s, %s) reads the accessibility statement and sends feedback, mistakes included',
    async (lang, _viewport, viewport) => {
      const t = TEXT[lang];
      const context = await b.context({ ...viewport, javaScriptEnabled: false, locale: lang === 'fr' ? 'fr-FR' : 'en-GB' });
      const page = await context.newPage();
      const before = (await feedbackRows(b.app)).length;

      // The home page, then the statement through the footer link.
      await page.goto(`${b.app.url}/`);
      expect(await htmlLang(page)).toBe(lang);
      await page.getByRole('contentinfo').getByRole('link', { name: t.footerLink }).click();
      await page.waitForURL(`${b.app.url}/pages/accessibilite`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(t.title);
      expect(await page.getByRole('heading', { level: 2 }).count()).toBeGreaterThan(3);

      // Sent empty: the same page comes back (400) with the error summary linked to the field.
      const [invalid] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === `${b.app.url}/pages/accessibilite/feedback`),
        page.getByRole('button', { name: t.send }).click(),
      ]);
      expect(invalid.status()).toBe(400);
      await page.waitForLoadState('load');
      expect(await htmlLang(page)).toBe(lang);
      const summary = page.getByRole('alert');
      await expect(summary.getByRole('heading', { level: 2 }).textContent()).resolves.toBe(t.summary);
      const toField = summary.getByRole('link', { name: t.usefulError });
      expect(await toField.getAttribute('href')).toBe('#useful-yes');
      // The message is also next to the question, and tied to it.
      const group = page.getByRole('group', { name: lang === 'fr' ? 'Cette page vous a-t-elle été utile ?' : 'Was this page useful?' });
      expect(await group.getAttribute('aria-describedby')).toBe('useful-error');
      await expect(page.locator('#useful-error').textContent()).resolves.toBe(t.usefulError);
      expect(await feedbackRows(b.app)).toHaveLength(before);

      // The 400 page, as this visitor received it, is accessible too.
      await expectNoAxeViolationsInHtml(b, page.url(), await page.content(), { ...viewport, locale: lang === 'fr' ? 'fr-FR' : 'en-GB' });

      // The link in the summary leads to the field (in-page link: no JavaScript involved).
      await toField.click();
      expect(page.url()).toBe(`${b.app.url}/pages/accessibilite/feedback#useful-yes`);
      expect((await focused(page)).id).toBe('useful-yes');

      // Corrected: "No", with a comment; post/redirect/get shows the thanks.
      await page.getByRole('radio', { name: t.no, exact: true }).check();
      const comment = `Le contraste du pied de page est trop faible (${lang}).`;
      await page.getByRole('textbox', { name: t.comment }).fill(comment);
      const [sent] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === `${b.app.url}/pages/accessibilite/feedback`),
        page.getByRole('button', { name: t.send }).click(),
      ]);
      expect(sent.status()).toBe(303);
      await page.waitForURL(`${b.app.url}/pages/accessibilite?feedback=sent#feedback`);
      await expect(page.getByRole('status').textContent()).resolves.toBe(t.thanks);
      expect(await page.getByRole('button', { name: t.send }).count()).toBe(0);

      const rows = await feedbackRows(b.app);
      expect(rows).toHaveLength(before + 1);
      const row = rows.find((r) => r.comment === comment);
      expect(row).toMatchObject({ slug: 'accessibilite', comment, lang });
      expect(Number(row?.useful)).toBe(0);

      // Reloading the thanks page does not post again.
      await page.reload();
      expect(await feedbackRows(b.app)).toHaveLength(before + 1);
    },
  );
});
