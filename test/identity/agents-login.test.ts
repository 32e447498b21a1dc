import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin } from '../../src/kernel/identity/accounts.js';
import { SESSION_COOKIE } from '../../src/kernel/identity/sessions.js';
import { hashToken } from '../../src/kernel/identity/tokens.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCitizen, sessionCookie } from '../support/identity.js';
import { Visitor } from '../support/visitor.js';
import { accountId, logInAgent, PASSWORD, totpCode } from './agents-fixtures.js';

/** The agents' login: generic answers, throttling, fresh sessions, safe redirects, own password. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    overrides: {
      identity: { idleMinutes: 60, absoluteHours: 12, requireAgentMfa: false, maxFailedLogins: 3, maxFailedLoginsPerAddress: 6 },
    },
  });
  for (const who of ['anne', 'bruno', 'chloe', 'david', 'disabled']) {
    await createAdmin(t.kernel.db, { email: `${who}@paris.test`, password: PASSWORD });
  }
  await t.kernel.db.updateTable('accounts').set({ status: 'disabled' }).where('email', '=', 'disabled@paris.test').execute();
});
afterAll(async () => t?.close());

async function attempt(email: string, password: string, ip = '10.0.0.1', next?: string) {
  const visitor = new Visitor(t.app, { ip });
  await visitor.get('/admin/login');
  const res = await visitor.post('/admin/login', next ? { email, password, next } : { email, password });
  return { res, visitor };
}

const messageOf = (body: string) => /<a href="#email">([^<]+)<\/a>/.exec(body)?.[1];

describe('login answers', () => {
  it('say the same thing for an unknown address, a wrong password, a disabled account or a resident', async () => {
    await createCitizen(t.kernel, { email: 'resident@paris.test', password: PASSWORD });
    const answers = [
      await attempt('nobody@paris.test', PASSWORD, '10.1.0.1'),
      await attempt('anne@paris.test', 'wrong password entirely', '10.1.0.2'),
      await attempt('disabled@paris.test', PASSWORD, '10.1.0.3'),
      await attempt('resident@paris.test', PASSWORD, '10.1.0.4'),
    ];
    for (const { res, visitor } of answers) {
      expect(res.status).toBe(401);
      expect(messageOf(res.body)).toBe('Adresse e-mail ou mot de passe incorrect');
      expect(visitor.cookie(SESSION_COOKIE)).toBeUndefined();
    }
    const failed = await t.kernel.db
      .selectFrom('audit_log')
      .select(['ip', 'details'])
      .where('action', '=', 'login.failed')
      .orderBy('id')
      .execute();
    expect(failed.map((f) => f.ip)).toEqual(['10.1.0.1', '10.1.0.2', '10.1.0.3', '10.1.0.4']);
  });

  it('open a fresh session with a secure cookie, and record the login', async () => {
    const { res } = await attempt('anne@paris.test', PASSWORD, '10.1.0.5');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/admin');
    const set = res.headers['set-cookie'] as string;
    expect(set).toMatch(new RegExp(`^${SESSION_COOKIE}=[\\w-]{43}; Path=/; HttpOnly; SameSite=Lax$`));
    const login = await t.kernel.db
      .selectFrom('audit_log')
      .select(['actor_label', 'ip'])
      .where('action', '=', 'login')
      .executeTakeFirstOrThrow();
    expect(login).toEqual({ actor_label: 'agent:anne@paris.test', ip: '10.1.0.5' });
  });

  it('never reuse a session id planted before login, and close the session the browser had', async () => {
    const planted = new Visitor(t.app, { ip: '10.1.0.6' });
    planted.setCookie(SESSION_COOKIE, 'A'.repeat(43));
    await planted.get('/admin/login');
    expect((await planted.post('/admin/login', { email: 'anne@paris.test', password: PASSWORD })).status).toBe(303);
    expect(planted.cookie(SESSION_COOKIE)).not.toBe('A'.repeat(43));
    expect(
      await t.kernel.db
        .selectFrom('sessions')
        .select('id')
        .where('id', '=', hashToken('A'.repeat(43)))
        .executeTakeFirst(),
    ).toBeUndefined();

    const resident = await createCitizen(t.kernel, { email: 'resident2@paris.test', password: PASSWORD });
    const before = new Visitor(t.app, { ip: '10.1.0.7' });
    const [name, value] = (await sessionCookie(t.kernel, resident)).split('=') as [string, string];
    before.setCookie(name, value);
    await before.get('/admin/login');
    expect((await before.post('/admin/login', { email: 'anne@paris.test', password: PASSWORD })).status).toBe(303);
    expect(before.cookie(SESSION_COOKIE)).not.toBe(value);
    expect(await t.kernel.db.selectFrom('sessions').select('id').where('account_id', '=', resident).execute()).toEqual([]);
  });

  it('follow `next` within the back office only', async () => {
    expect((await attempt('anne@paris.test', PASSWORD, '10.1.0.8', '/admin/audit?action=login')).res.location).toBe(
      '/admin/audit?action=login',
    );
    for (const next of ['https://evil.example/admin', '//evil.example', '/\\evil.example', '/pages', '/administrator', '/admin/login']) {
      expect((await attempt('anne@paris.test', PASSWORD, '10.1.0.8', next)).res.location, next).toBe('/admin');
    }
  });
});

describe('login throttling', () => {
  it('locks an account after its failures, from whatever address, even with the right password', async () => {
    for (const ip of ['10.2.0.1', '10.2.0.2', '10.2.0.3'])
      expect((await attempt('bruno@paris.test', 'wrong guess number', ip)).res.status).toBe(401);
    const locked = await attempt('bruno@paris.test', PASSWORD, '10.2.0.4');
    expect(locked.res.status).toBe(429);
    expect(messageOf(locked.res.body)).toBe('Trop de tentatives de connexion. Réessayez dans 15 minutes.');
    expect(locked.visitor.cookie(SESSION_COOKIE)).toBeUndefined();
    // An unknown address is locked the same way: the lock does not reveal which accounts exist.
    for (let i = 0; i < 3; i++) await attempt('ghost@paris.test', 'wrong guess number', `10.2.1.${i}`);
    expect((await attempt('ghost@paris.test', 'wrong guess number', '10.2.1.9')).res.status).toBe(429);
    // Other accounts are not affected.
    expect((await attempt('chloe@paris.test', PASSWORD, '10.2.0.5')).res.status).toBe(303);
  });

  it('locks an address after its failures, whatever the accounts tried', async () => {
    const ip = '10.3.0.1';
    for (let i = 0; i < 6; i++) expect((await attempt(`guess${i}@paris.test`, 'wrong guess number', ip)).res.status).toBe(401);
    expect((await attempt('david@paris.test', PASSWORD, ip)).res.status).toBe(429);
    expect((await attempt('david@paris.test', PASSWORD, '10.3.0.2')).res.status).toBe(303);
  });
});

describe('an agent’s own account', () => {
  it('changes the password after confirming the current one, which ends the other sessions', async () => {
    const here = await logInAgent(t.app, 'chloe@paris.test', PASSWORD, '10.4.0.1');
    const elsewhere = await logInAgent(t.app, 'chloe@paris.test', PASSWORD, '10.4.0.2');
    await here.get('/admin/account');
    const wrong = await here.post('/admin/account/password', {
      current_password: 'not the password',
      new_password: 'a brand new long password',
      confirm_password: 'a brand new long password',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain('href="#current_password"');
    const short = await here.post('/admin/account/password', {
      current_password: PASSWORD,
      new_password: 'short',
      confirm_password: 'short',
    });
    expect(short.status).toBe(400);
    expect(short.body).toContain('au moins 12 caractères');
    const changed = await here.post('/admin/account/password', {
      current_password: PASSWORD,
      new_password: 'a brand new long password',
      confirm_password: 'a brand new long password',
    });
    expect(changed.status).toBe(303);
    expect((await here.get(changed.location as string)).body).toContain('Votre mot de passe a été changé.');
    expect((await elsewhere.get('/admin')).status).toBe(303);
    await logInAgent(t.app, 'chloe@paris.test', 'a brand new long password', '10.4.0.3');
    const id = await accountId(t.kernel, 'chloe@paris.test');
    expect(
      await t.kernel.db
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'password.changed')
        .where('resource_id', '=', id)
        .execute(),
    ).toHaveLength(1);
  });

  it('turns optional TOTP off with the password', async () => {
    const visitor = await logInAgent(t.app, 'david@paris.test', PASSWORD, '10.5.0.1');
    expect((await visitor.get('/admin/account')).body).toContain('href="/admin/mfa/setup"');
    const page = await visitor.get('/admin/mfa/setup');
    const secret = (/<code>([A-Z2-7 ]+)<\/code>/.exec(page.body)?.[1] ?? '').replaceAll(' ', '');
    expect((await visitor.post('/admin/mfa/setup', { code: totpCode(secret) })).status).toBe(200);
    // Turned on, it is asked at every login even though the city does not require it.
    const next = new Visitor(t.app, { ip: '10.5.0.2' });
    await next.get('/admin/login');
    expect((await next.post('/admin/login', { email: 'david@paris.test', password: PASSWORD })).location).toBe('/admin/mfa?next=%2Fadmin');
    expect((await next.get('/admin/account')).location).toBe('/admin/mfa');
    const account = await visitor.get('/admin/account');
    expect(account.body).toContain('Désactiver la double authentification');
    expect((await visitor.post('/admin/account/mfa/disable', { disable_password: PASSWORD })).location).toBe(
      '/admin/account?done=mfa-disabled',
    );
    const row = await t.kernel.db
      .selectFrom('accounts')
      .select('totp_enabled_at')
      .where('email', '=', 'david@paris.test')
      .executeTakeFirstOrThrow();
    expect(row.totp_enabled_at).toBeNull();
  });
});
