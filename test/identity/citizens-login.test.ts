import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin } from '../../src/kernel/identity/accounts.js';
import { signUp } from '../../src/kernel/identity/citizens/signup.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCitizen, logIn, PASSWORD } from '../support/citizens.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { Visitor } from '../support/visitor.js';

let t: TestApp;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestApp({
    overrides: {
      smtp: smtp.config,
      publicUrl: 'http://civitas.test',
      identity: { idleMinutes: 60, absoluteHours: 12, requireAgentMfa: false, maxFailedLogins: 3, maxFailedLoginsPerAddress: 6 },
    },
  });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const sessionRows = (accountId: string) => t.kernel.db.selectFrom('sessions').selectAll().where('account_id', '=', accountId).execute();
let nextIp = 1;
/** Each test its own client address, so per-address throttling of one test does not spill into another. */
const visitor = () => new Visitor(t.app, { ip: `198.51.100.${nextIp++}` });

describe('password login', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie and goes to a local `next`, never to another site', async () => {
    await createCitizen(t.kernel, 'next@example.org');
    const v = visitor();
    const res = await logIn(v, 'next@example.org', PASSWORD, '/pages/mentions-legales');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/pages/mentions-legales');
    expect(res.headers['set-cookie']).toMatch(/civitas_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax/);
    expect(res.headers['set-cookie']).not.toMatch(/Secure/);
    // Browsers drop tabs and newlines in URLs, and read a backslash as a slash: each would make "//evil.example".
    for (const next of [
      '//evil.example/x',
      'https://evil.example/',
      '/\\evil.example',
      'javascript:alert(1)',
      '/\t/evil.example',
      '/\n/evil.example',
    ]) {
      expect((await logIn(visitor(), 'next@example.org', PASSWORD, next)).location, next).toBe('/account');
    }
  });

  it('marks the cookie Secure when served over TLS', async () => {
    const proxied = await createTestApp({ overrides: { trustProxy: true } });
    try {
      await createCitizen(proxied.kernel, 'tls@example.org');
      const page = await proxied.app.inject({ url: '/login', headers: { 'x-forwarded-proto': 'https' } });
      const csrf = page.cookies.find((c) => c.name === 'civitas_csrf')?.value as string;
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;
      const res = await proxied.app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'x-forwarded-proto': 'https', 'content-type': 'application/x-www-form-urlencoded', cookie: `civitas_csrf=${csrf}` },
        payload: new URLSearchParams({ _csrf: token, email: 'tls@example.org', password: PASSWORD }).toString(),
      });
      expect(res.statusCode).toBe(303);
      expect(res.headers['set-cookie']).toMatch(/civitas_session=.*; Secure/);
    } finally {
      await proxied.close();
    }
  });

  it('gives the same answer for an unknown address, a wrong password and an agent’s account', async () => {
    await createCitizen(t.kernel, 'known@example.org');
    await createAdmin(t.kernel.db, { email: 'agent@example.org', password: PASSWORD });
    const answers = [
      await logIn(visitor(), 'nobody@example.org', PASSWORD),
      await logIn(visitor(), 'known@example.org', 'wrong password, long enough'),
      await logIn(visitor(), 'agent@example.org', PASSWORD),
    ];
    for (const res of answers) {
      expect(res.status).toBe(400);
      expect(res.body).toContain('<a href="#email">Adresse électronique ou mot de passe incorrect</a>');
      expect(res.headers['set-cookie'] ?? '').not.toContain('civitas_session');
    }
    const failed = await t.kernel.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'login.failed').execute();
    expect(failed.map((f) => JSON.parse(f.details).email)).toEqual(
      expect.arrayContaining(['nobody@example.org', 'known@example.org', 'agent@example.org']),
    );
  });

  it('throttles an account after N failures, even with the right password then, without telling whether it exists', async () => {
    await createCitizen(t.kernel, 'target@example.org');
    for (const email of ['target@example.org', 'ghost@example.org']) {
      for (let i = 0; i < 3; i++) expect((await logIn(visitor(), email, 'wrong password, long enough')).status).toBe(400);
      const blocked = await logIn(visitor(), email, PASSWORD);
      expect(blocked.status).toBe(429);
      expect(blocked.headers['retry-after']).toMatch(/^\d+$/);
      expect(blocked.body).toContain('Trop de tentatives de connexion ont échoué');
    }
    // Successful logins count nothing: another account is unaffected.
    await createCitizen(t.kernel, 'other@example.org');
    expect((await logIn(visitor(), 'other@example.org')).status).toBe(303);
  });

  it('throttles a client address trying many accounts', async () => {
    await createCitizen(t.kernel, 'spray@example.org');
    const attacker = new Visitor(t.app, { ip: '203.0.113.66' });
    for (let i = 0; i < 6; i++) expect((await logIn(attacker, `victim${i}@example.org`, 'wrong password, long enough')).status).toBe(400);
    expect((await logIn(attacker, 'spray@example.org')).status).toBe(429);
    expect((await logIn(visitor(), 'spray@example.org')).status).toBe(303);
  });

  it('does not log in an unverified address, and mails the link again', async () => {
    await signUp(
      t.kernel,
      { email: 'pending@example.org', password: PASSWORD, givenName: 'Paul', familyName: 'Petit' },
      { lang: 'fr', ip: null },
    );
    await t.kernel.jobs.runDue();
    const res = await logIn(visitor(), 'pending@example.org');
    expect(res.status).toBe(403);
    expect(res.body).toContain('Confirmez d’abord votre adresse électronique');
    await t.kernel.jobs.runDue();
    expect(smtp.to('pending@example.org').map((m) => m.subject)).toEqual([
      'Confirmez votre adresse électronique – Ville de Paris',
      'Confirmez votre adresse électronique – Ville de Paris',
    ]);
  });

  it('refuses a login posted without its CSRF token', async () => {
    await createCitizen(t.kernel, 'csrf@example.org');
    const v = visitor();
    await v.get('/login');
    const res = await v.post('/login', { email: 'csrf@example.org', password: PASSWORD }, { csrf: false });
    expect(res.status).toBe(403);
    expect(v.cookie('civitas_session')).toBeUndefined();
  });
});

describe('sessions', () => {
  it('never keeps a session id set before login (session fixation)', async () => {
    const attackerId = await createCitizen(t.kernel, 'fixer@example.org');
    const victimId = await createCitizen(t.kernel, 'fixed@example.org');
    const attacker = visitor();
    await logIn(attacker, 'fixer@example.org');
    const planted = attacker.cookie('civitas_session') as string;

    // The attacker plants their own live session id, then the victim logs in in that browser.
    const victim = visitor();
    victim.setCookie('civitas_session', planted);
    expect((await logIn(victim, 'fixed@example.org')).status).toBe(303);
    const after = victim.cookie('civitas_session');
    expect(after).toBeDefined();
    expect(after).not.toBe(planted);
    expect(await sessionRows(attackerId)).toEqual([]);
    expect(await sessionRows(victimId)).toHaveLength(1);
    // The planted id opens nothing any more.
    const replay = new Visitor(t.app);
    replay.setCookie('civitas_session', planted);
    expect((await replay.get('/account')).location).toBe('/login?next=%2Faccount');

    // An id made up by the attacker is just as useless.
    const made = visitor();
    made.setCookie('civitas_session', 'A'.repeat(43));
    await logIn(made, 'fixed@example.org');
    expect(made.cookie('civitas_session')).not.toBe('A'.repeat(43));
  });

  it('ends the session on the server at logout: the old cookie no longer works', async () => {
    const id = await createCitizen(t.kernel, 'leaving@example.org');
    const v = visitor();
    await logIn(v, 'leaving@example.org');
    const cookie = v.cookie('civitas_session') as string;
    expect((await v.get('/account')).status).toBe(200);
    const out = await v.post('/logout');
    expect(out.location).toBe('/login?notice=logged-out');
    expect(v.cookie('civitas_session')).toBeUndefined();
    expect((await v.follow(out)).body).toContain('Vous êtes déconnecté(e).');
    expect(await sessionRows(id)).toEqual([]);
    const stolen = new Visitor(t.app);
    stolen.setCookie('civitas_session', cookie);
    expect((await stolen.get('/account')).status).toBe(303);
    const audit = await t.kernel.db.selectFrom('audit_log').select('action').where('actor_id', '=', id).execute();
    expect(audit.map((a) => a.action)).toEqual(['login', 'logout']);
  });

  it('ends a session left idle longer than the configured time', async () => {
    const id = await createCitizen(t.kernel, 'idle@example.org');
    const v = visitor();
    await logIn(v, 'idle@example.org');
    await t.kernel.db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - 61 * 60_000).toISOString() })
      .where('account_id', '=', id)
      .execute();
    expect((await v.get('/account')).status).toBe(303);
    expect(await sessionRows(id)).toEqual([]);
  });
});
