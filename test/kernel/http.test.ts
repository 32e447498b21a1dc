import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileAllSerializers } from '../../src/kernel/http/serialization.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { csrfCookieAndToken } from '../support/csrf.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ overrides: { metrics: { token: 'a-long-enough-metrics-token', public: false } } });
});
afterAll(async () => t?.close());

const feedbackCount = async () =>
  Number(
    (
      await t.kernel.db
        .selectFrom('page_feedback')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('health and readiness', () => {
  it('answers /healthz without touching the database, and /readyz with it', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', database: t.kernel.database.engine });
  });
});

describe('response serializers', () => {
  it('are compiled on first use, and every route’s response schema compiles', async () => {
    const me = await t.app.inject('/api/v1/pages');
    expect(me.statusCode).toBe(200);
    expect(Array.isArray(me.json().pages ?? me.json())).toBe(true);
    expect(compileAllSerializers(t.app)).toBeGreaterThan(10);
  });
});

describe('JSON API errors are problem+json with the offending fields', () => {
  const post = (payload: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    t.app.inject({ method: 'POST', url: '/api/v1/pages/accessibilite/feedback', payload, headers });

  it('accepts a valid body', async () => {
    const before = await feedbackCount();
    const res = await post(JSON.stringify({ useful: true, comment: 'Clear.' }));
    expect(res.statusCode).toBe(201);
    expect(await feedbackCount()).toBe(before + 1);
  });

  it('refuses malformed JSON', async () => {
    const before = await feedbackCount();
    const res = await post('{"useful": tru');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, code: 'body.invalid-json', detail: expect.stringContaining('not valid JSON') });
    expect(res.body).not.toMatch(/at .*\.js:\d+/); // no stack trace
    expect(await feedbackCount()).toBe(before);
  });

  it('refuses a content type it does not take', async () => {
    const res = await post('<feedback/>', { 'content-type': 'application/xml' });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ code: 'body.unsupported-type', detail: expect.stringContaining('application/xml') });
  });

  it('refuses unknown fields, naming them', async () => {
    const before = await feedbackCount();
    const res = await post(JSON.stringify({ useful: true, admin: true }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation', errors: [{ field: 'admin', message: 'unknown field' }] });
    expect(await feedbackCount()).toBe(before);
  });

  it('refuses missing and mistyped fields, listing all of them', async () => {
    const res = await post(JSON.stringify({ comment: 5 }));
    expect(res.statusCode).toBe(400);
    const fields = res
      .json()
      .errors.map((e: { field: string }) => e.field)
      .sort();
    expect(fields).toEqual(['comment', 'useful']);
  });

  it('refuses an over-long field', async () => {
    const res = await post(JSON.stringify({ useful: false, comment: 'x'.repeat(1001) }));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field: 'comment', message: 'must NOT have more than 1000 characters' }]);
  });

  it('refuses a body over the size limit', async () => {
    const before = await feedbackCount();
    const res = await post(JSON.stringify({ useful: true, comment: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'body.too-large' });
    expect(await feedbackCount()).toBe(before);
  });

  it('answers 404 for an unknown page or route', async () => {
    expect((await t.app.inject('/api/v1/pages/nope')).json()).toMatchObject({ status: 404, detail: 'No page "nope".' });
    expect((await t.app.inject('/api/v1/nothing')).statusCode).toBe(404);
  });

  it('refuses a path-traversal slug by its schema', async () => {
    const res = await t.app.inject('/api/v1/pages/..%2F..%2Fetc%2Fpasswd');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('slug');
  });
});

describe('HTML errors are friendly pages', () => {
  it('renders a 404 page in the layout, in the visitor’s language', async () => {
    const res = await t.app.inject({ url: '/no/such/page', headers: { accept: 'text/html', 'accept-language': 'en' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<html lang="en"');
    expect(res.body).toContain('Page not found');
    expect(res.body).toContain('href="/"');
  });
});

describe('security', () => {
  it('sends a CSP without inline scripts and the usual headers, and a request id', async () => {
    const res = await t.app.inject('/');
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-request-id']).toMatch(/^[\w-]{8,}$/);
    expect(res.body).not.toMatch(/<script>(?!<\/script>)/);
  });

  it('keeps a sane caller-provided request id and replaces a bad one', async () => {
    expect((await t.app.inject({ url: '/', headers: { 'x-request-id': 'trace-12345678' } })).headers['x-request-id']).toBe(
      'trace-12345678',
    );
    expect((await t.app.inject({ url: '/', headers: { 'x-request-id': 'bad id\u0000' } })).headers['x-request-id']).not.toContain(' ');
  });

  it('refuses a form posted without its CSRF token, or with a forged one, and stores nothing', async () => {
    const before = await feedbackCount();
    const missing = await t.app.inject({
      method: 'POST',
      url: '/pages/accessibilite/feedback',
      payload: 'useful=yes',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    });
    expect(missing.statusCode).toBe(403);
    expect(missing.body).toContain('Rechargez la page');
    const { cookie } = await csrfCookieAndToken(t.app, '/pages/accessibilite');
    const forged = await t.app.inject({
      method: 'POST',
      url: '/pages/accessibilite/feedback',
      payload: 'useful=yes&_csrf=forged-token-value-that-is-wrong',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    });
    expect(forged.statusCode).toBe(403);
    expect(await feedbackCount()).toBe(before);
  });

  it('takes a form with a valid token, then redirects (post/redirect/get)', async () => {
    const before = await feedbackCount();
    const { cookie, token } = await csrfCookieAndToken(t.app, '/pages/accessibilite');
    const res = await t.app.inject({
      method: 'POST',
      url: '/pages/accessibilite/feedback',
      payload: `useful=no&comment=${encodeURIComponent('Trop long')}&_csrf=${encodeURIComponent(token)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/pages/accessibilite?feedback=sent#feedback');
    expect(await feedbackCount()).toBe(before + 1);
  });
});

describe('metrics', () => {
  it('are closed without the token and open with it', async () => {
    expect((await t.app.inject('/metrics')).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong-token-wrong-token' } })).statusCode).toBe(404);
    await t.app.inject('/pages');
    const res = await t.app.inject({ url: '/metrics', headers: { authorization: 'Bearer a-long-enough-metrics-token' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('civitas_http_requests_total{method="GET",route="/pages",status="200"}');
    expect(res.body).toContain('civitas_http_request_duration_seconds_bucket');
    expect(res.body).toMatch(/civitas_jobs\{status="queued"\} \d+/);
  });
});

describe('OpenAPI', () => {
  it('documents the APIs at /api/docs (JSON under /api/, and Open311), and nothing else', async () => {
    const doc = (await t.app.inject('/api/docs')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/pages', '/api/v1/pages/{slug}', '/api/v1/pages/{slug}/feedback', '/api/v1/files']),
    );
    expect(Object.keys(doc.paths).filter((p) => !p.startsWith('/api/') && !p.startsWith('/open311/v2/'))).toEqual([]);
    expect(doc.paths['/api/v1/pages/{slug}/feedback'].post.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
  });
});

describe('language', () => {
  it('follows ?lang=, remembers it in a cookie, then Accept-Language, then the city default', async () => {
    const fr = await t.app.inject('/');
    expect(fr.body).toContain('<html lang="fr"');
    const en = await t.app.inject('/?lang=en');
    expect(en.body).toContain('<html lang="en"');
    const langCookie = (en.cookies as { name: string; value: string }[]).find((c) => c.name === 'lang');
    expect(langCookie?.value).toBe('en');
    expect((await t.app.inject({ url: '/pages', headers: { cookie: 'lang=en' } })).body).toContain('<html lang="en"');
    expect((await t.app.inject({ url: '/pages', headers: { 'accept-language': 'en-US,en;q=0.9' } })).body).toContain('<html lang="en"');
  });
});
