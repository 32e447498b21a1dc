import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../../src/kernel/demo.js';
import type { FieldDef } from '../../../src/kernel/forms/index.js';
import type { Category } from '../../../src/modules/street-reports/domain/categories.js';
import { open311Command } from '../../../src/modules/street-reports/open311/cli.js';
import { escapeXml, toXml } from '../../../src/modules/street-reports/open311/format.js';
import { answersFor, datatypeOf, serviceDefinition } from '../../../src/modules/street-reports/open311/services.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { csrfCookieAndToken } from '../../support/csrf.js';
import { sessionCookie } from '../../support/identity.js';
import { PARIS_11, POTHOLE } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemoOnce(t.kernel);
});
afterAll(() => t?.close());

const post = (key: string) =>
  t.app.inject({
    method: 'POST',
    url: '/open311/v2/requests.json',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ api_key: key, service_code: POTHOLE, lat: String(PARIS_11.lat), long: String(PARIS_11.lng) }).toString(),
  });

async function run(...args: string[]): Promise<{ out: string; err: string }> {
  let out = '';
  let err = '';
  await open311Command.run(t.kernel, args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { out, err };
}

describe('Open311 keys', () => {
  it('are issued and revoked by administrators in the back office, the key shown once', async () => {
    const admin = await t.kernel.db
      .selectFrom('accounts')
      .select('id')
      .where('email', '=', 'admin@ville.example')
      .executeTakeFirstOrThrow();
    const session = await sessionCookie(t.kernel, admin.id);
    const page = await t.app.inject({ method: 'GET', url: '/admin/open311/keys', headers: { cookie: session, accept: 'text/html' } });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('name="name"');
    const { cookie, token } = await csrfCookieAndToken(t.app, { url: '/admin/open311/keys', headers: { cookie: session } });
    const headers = { cookie: `${session}; ${cookie}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };

    const empty = await t.app.inject({ method: 'POST', url: '/admin/open311/keys', headers, payload: `_csrf=${token}&name=` });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('error-summary');

    const created = await t.app.inject({ method: 'POST', url: '/admin/open311/keys', headers, payload: `_csrf=${token}&name=Appli+iOS` });
    expect(created.statusCode).toBe(200);
    expect(created.headers['cache-control']).toBe('no-store');
    const key = /<code class="break">(o311_[\w-]+)<\/code>/.exec(created.body)?.[1];
    expect(key).toBeDefined();
    // Only the hash is kept.
    const row = await t.kernel.db
      .selectFrom('street_report_open311_keys')
      .selectAll()
      .where('name', '=', 'Appli iOS')
      .executeTakeFirstOrThrow();
    expect(row.key_hash).not.toContain(key!);
    expect(row.created_by).toBe(admin.id);
    expect((await post(key!)).statusCode).toBe(200);
    const listed = await t.app.inject({ method: 'GET', url: '/admin/open311/keys', headers: { cookie: session, accept: 'text/html' } });
    expect(listed.body).not.toContain(key!);
    expect(listed.body).toContain('<caption');
    expect(listed.body).toContain('Appli iOS');

    const revoked = await t.app.inject({ method: 'POST', url: `/admin/open311/keys/${row.id}/revoke`, headers, payload: `_csrf=${token}` });
    expect(revoked.statusCode).toBe(303);
    expect((await post(key!)).statusCode).toBe(403);
    const audit = await t.kernel.db.selectFrom('audit_log').select('action').where('resource_id', '=', row.id).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['open311.key.create', 'open311.key.revoke']);
  });

  it('are refused to residents and anonymous visitors', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/admin/open311/keys' })).statusCode).toBe(401);
    const resident = await t.kernel.db
      .selectFrom('accounts')
      .select('id')
      .where('email', '=', 'camille.martin@example.org')
      .executeTakeFirstOrThrow();
    const res = await t.app.inject({
      method: 'GET',
      url: '/admin/open311/keys',
      headers: { cookie: await sessionCookie(t.kernel, resident.id) },
    });
    expect(res.statusCode).toBe(403);
  });

  it('are issued, listed and revoked with `civitas open311`', async () => {
    const { out, err } = await run('create-key', 'Partner', 'app');
    const key = out.trim();
    expect(key).toMatch(/^o311_[\w-]{43}$/);
    expect(err).toContain('Partner app');
    expect((await post(key)).statusCode).toBe(200);
    expect((await run('keys')).out).toMatch(/active {2}Partner app/);
    expect((await run('revoke-key', 'Partner', 'app')).out).toContain('revoked');
    expect((await post(key)).statusCode).toBe(403);
    await expect(run('revoke-key', 'Nobody')).rejects.toThrow(/No active Open311 key/);
    await expect(run('create-key')).rejects.toThrow(/usage/);
  });

  it('are counted per key, so a busy client app is not refused at the per-address limit of forms', async () => {
    // The city's default is 120 state-changing requests a minute per address.
    const answers = await Promise.all(Array.from({ length: 130 }, () => post('o311_unknown')));
    expect(answers.every((a) => a.statusCode === 403)).toBe(true);
  });
});

describe('extra questions as Open311 attributes', () => {
  const questions: FieldDef[] = [
    {
      type: 'choice',
      code: 'size',
      label: { fr: 'Taille', en: 'Size' },
      required: true,
      options: [
        { value: 'small', label: { fr: 'Petit', en: 'Small' } },
        { value: 'large', label: { fr: 'Grand', en: 'Large' } },
      ],
    },
    {
      type: 'section',
      code: 'more',
      title: { fr: 'Plus', en: 'More' },
      fields: [
        { type: 'integer', code: 'count', label: { fr: 'Combien', en: 'How many' }, min: 1 },
        {
          type: 'choices',
          code: 'kinds',
          label: { fr: 'Genres', en: 'Kinds' },
          options: [
            { value: 'glass', label: { fr: 'Verre', en: 'Glass' } },
            { value: 'metal', label: { fr: 'Métal', en: 'Metal' } },
          ],
        },
        { type: 'explanation', code: 'note', text: { fr: 'Ne touchez pas.', en: 'Do not touch.' } },
      ],
    },
    { type: 'photo', code: 'extra', label: { fr: 'Photo', en: 'Photo' } },
    { type: 'date', code: 'seen', label: { fr: 'Vu le', en: 'Seen on' } },
  ];
  const leaf = { code: 'x.y', label: { fr: 'X', en: 'X' }, parents: ['x'], children: [], weight: 1, questions } as Category;
  const t = (key: string) => key;

  it('maps the forms engine’s types to the standard’s datatypes', () => {
    expect(
      ['text', 'textarea', 'integer', 'decimal', 'date', 'choice', 'yesno', 'choices', 'email'].map((type) => datatypeOf(type as never)),
    ).toEqual(['string', 'text', 'number', 'number', 'datetime', 'singlevaluelist', 'singlevaluelist', 'multivaluelist', 'string']);
    const definition = serviceDefinition(leaf, 'en', t);
    const def = definition as { attributes: Record<string, unknown>[] };
    expect(def.attributes.map((a) => [a.code, a.datatype, a.required, a.variable, a.order])).toEqual([
      ['size', 'singlevaluelist', true, true, 1],
      ['count', 'number', false, true, 2],
      ['kinds', 'multivaluelist', false, true, 3],
      ['note', 'string', false, false, 4],
      ['seen', 'datetime', false, true, 5],
    ]);
    expect(def.attributes[0]?.values).toEqual([
      { key: 'small', name: 'Small' },
      { key: 'large', name: 'Large' },
    ]);
    const xml = toXml('service_definition', definition);
    expect(xml).toContain('<attribute><variable>true</variable><code>size</code><datatype>singlevaluelist</datatype>');
    expect(xml).toContain('<values><value><key>small</key><name>Small</name></value>');
  });

  it('checks posted attributes with the forms engine: required, typed, listed', () => {
    expect(answersFor(leaf, { size: ['large'], count: ['3'], kinds: ['glass', 'metal'], seen: ['2026-11-20T08:00:00Z'] })).toEqual({
      answers: { size: 'large', count: 3, kinds: ['glass', 'metal'], seen: '2026-11-20' },
      problems: [],
    });
    const bad = answersFor(leaf, { count: ['zero'], kinds: ['wood'], colour: ['red'] });
    expect(bad.problems.map((p) => p.field)).toEqual(['attribute[size]', 'attribute[count]', 'attribute[kinds]', 'attribute[colour]']);
  });

  it('escapes XML and leaves out characters XML cannot carry', () => {
    expect(escapeXml('a<b>&"c"\'\u0001\ud800z')).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;z');
    expect(escapeXml('😀 é')).toBe('😀 é');
  });
});
