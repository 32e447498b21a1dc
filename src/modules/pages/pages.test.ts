import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { csrfCookieAndToken } from '../../../test/support/csrf.js';
import { loadConfig } from '../../kernel/config/load.js';
import { loadPages } from './content.js';
import { renderMarkdown } from './markdown.js';

const paris = loadConfig({ env: {} }).config.city;

describe('markdown', () => {
  it('shows raw HTML as text instead of running it', () => {
    const html = renderMarkdown('Hello <script>alert(1)</script> <img src=x onerror=alert(1)>');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
  });

  it('keeps the page title the only h1', () => {
    expect(renderMarkdown('# Big\n\n## Section')).toBe('<h2>Big</h2>\n<h2>Section</h2>\n');
  });
});

describe('loadPages', () => {
  it('fills in the city’s name and contact', () => {
    const library = loadPages([join(process.cwd(), 'src/modules/pages/content')], paris);
    const statement = library.get('accessibilite');
    expect(statement?.fr.title).toBe('Déclaration d’accessibilité');
    expect(statement?.fr.markdown).toContain('Ville de Paris');
    expect(statement?.en.markdown).toContain('City of Paris');
    expect(statement?.fr.markdown).toContain('accessibilite@paris.example');
    expect(statement?.fr.markdown).not.toContain('{{');
  });

  it('lets a city replace a page and refuses a page missing a language', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pages-'));
    writeFileSync(join(dir, 'mentions-legales.fr.md'), '# Mentions de {{city}}\n\nTexte.');
    writeFileSync(join(dir, 'mentions-legales.en.md'), '# Notice of {{city}}\n\nText.');
    const library = loadPages([join(process.cwd(), 'src/modules/pages/content'), dir], paris);
    expect(library.get('mentions-legales')?.fr.title).toBe('Mentions de Ville de Paris');
    writeFileSync(join(dir, 'agenda.fr.md'), '# Agenda\n\nTexte.');
    expect(() => loadPages([dir], paris)).toThrow('Page "agenda" has no en version (agenda.en.md).');
  });
});

describe('pages module over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('publishes the accessibility statement, the legal notice and the privacy page, linked from every footer', async () => {
    const home = await t.app.inject('/');
    for (const slug of ['accessibilite', 'mentions-legales', 'donnees-personnelles']) {
      expect(home.body).toContain(`href="/pages/${slug}"`);
      const page = await t.app.inject(`/pages/${slug}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toMatch(/<h1>[^<]+<\/h1>/);
    }
    expect(home.body).toContain('Accessibilité : partiellement conforme');
  });

  it('serves each page in English on request', async () => {
    const res = await t.app.inject('/pages/accessibilite?lang=en');
    expect(res.body).toContain('<h1>Accessibility statement</h1>');
    const api = await t.app.inject('/api/v1/pages/accessibilite?lang=en');
    expect(api.json()).toMatchObject({ slug: 'accessibilite', lang: 'en', title: 'Accessibility statement' });
    expect(api.json().html).toContain('<h2>Compliance status</h2>');
  });

  it('answers a missing answer with the error summary, keeps what was typed, and stores nothing', async () => {
    const { cookie, token } = await csrfCookieAndToken(t.app, '/pages/mentions-legales');
    const res = await t.app.inject({
      method: 'POST',
      url: '/pages/mentions-legales/feedback',
      payload: `comment=${encodeURIComponent('Pas clair <b>du tout</b>')}&_csrf=${encodeURIComponent(token)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('class="error-summary"');
    expect(res.body).toContain('<a href="#useful-yes">Indiquez si cette page vous a été utile</a>');
    expect(res.body).toContain('Pas clair &lt;b>du tout&lt;/b>');
    const rows = await t.kernel.db.selectFrom('page_feedback').selectAll().where('slug', '=', 'mentions-legales').execute();
    expect(rows).toEqual([]);
  });

  it('records feedback posted from the form, in the visitor’s language', async () => {
    const { cookie, token } = await csrfCookieAndToken(t.app, '/pages/donnees-personnelles?lang=en');
    const res = await t.app.inject({
      method: 'POST',
      url: '/pages/donnees-personnelles/feedback',
      payload: `useful=yes&comment=&_csrf=${encodeURIComponent(token)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${cookie}; lang=en` },
    });
    expect(res.statusCode).toBe(303);
    const rows = await t.kernel.db.selectFrom('page_feedback').selectAll().where('slug', '=', 'donnees-personnelles').execute();
    expect(rows).toMatchObject([{ useful: 1, comment: null, lang: 'en' }]);
    const thanks = await t.app.inject({ url: res.headers.location as string, headers: { cookie: 'lang=en' } });
    expect(thanks.body).toContain('Thank you, your feedback has been recorded.');
  });

  it('limits feedback per address', async () => {
    const post = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/pages/accessibilite/feedback',
        payload: { useful: true },
        remoteAddress: '203.0.113.9',
      });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await post()).statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    const limited = await post();
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({ code: 'rate-limited' });
  });

  it('deletes feedback past its retention with its scheduled job', async () => {
    await t.kernel.db
      .insertInto('page_feedback')
      .values({ id: 'old-feedback', slug: 'accessibilite', useful: 1, comment: 'old', lang: 'fr', created_at: '2020-01-01T00:00:00.000Z' })
      .execute();
    await t.kernel.jobs.enqueue(t.kernel.db, 'pages:retention:feedback', {});
    await t.kernel.jobs.runDue();
    expect(await t.kernel.db.selectFrom('page_feedback').select('id').where('id', '=', 'old-feedback').executeTakeFirst()).toBeUndefined();
  });
});
