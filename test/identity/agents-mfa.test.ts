import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { Visitor } from '../support/visitor.js';
import { ADMIN_EMAIL, accountId, createTestAdmin, PASSWORD, totpCode } from './agents-fixtures.js';

/** Two-factor authentication when the city makes it mandatory for agents. */
let t: TestApp;
let secret: string;
let recoveryCodes: string[];
/** The code that turned two-factor on: the replay test sends it again, whatever the clock says by then. */
let setupCode: string;
beforeAll(async () => {
  t = await createTestApp({
    overrides: {
      identity: { idleMinutes: 60, absoluteHours: 12, requireAgentMfa: true, maxFailedLogins: 5, maxFailedLoginsPerAddress: 100 },
    },
  });
  await createTestAdmin(t.kernel);
});
afterAll(async () => t?.close());

/** Password step only: the session exists but has not passed the second factor. */
async function passwordStep(): Promise<{ visitor: Visitor; location: string }> {
  const visitor = new Visitor(t.app);
  await visitor.get('/admin/login?next=%2Fadmin%2Faudit');
  const res = await visitor.post('/admin/login', { email: ADMIN_EMAIL, password: PASSWORD, next: '/admin/audit' });
  expect(res.status).toBe(303);
  return { visitor, location: res.location as string };
}

async function secondStep(visitor: Visitor, code: string) {
  await visitor.get('/admin/mfa');
  return visitor.post('/admin/mfa', { code, next: '/admin/audit' });
}

describe('setting up TOTP', () => {
  let visitor: Visitor;

  it('sends an agent without a second factor to set one up, whatever page they ask for', async () => {
    const first = await passwordStep();
    visitor = first.visitor;
    expect(first.location).toBe('/admin/mfa/setup?next=%2Fadmin%2Faudit');
    const elsewhere = await visitor.get('/admin/units');
    expect(elsewhere.status).toBe(303);
    expect(elsewhere.location).toBe('/admin/mfa/setup');
  });

  it('shows the QR code as an image and the secret as text, the same on reload', async () => {
    const page = await visitor.get('/admin/mfa/setup?next=%2Fadmin%2Faudit');
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="[^"]+" width="200" height="200"/);
    secret = (/<code>([A-Z2-7 ]+)<\/code>/.exec(page.body)?.[1] ?? '').replaceAll(' ', '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const svg = Buffer.from(/base64,([^"]+)"/.exec(page.body)?.[1] ?? '', 'base64').toString();
    expect(svg).toMatch(/^<svg/);
    expect((await visitor.get('/admin/mfa/setup')).body).toContain(secret.slice(0, 4));
  });

  it('refuses a wrong code', async () => {
    const res = await visitor.post('/admin/mfa/setup', { code: '000000' === totpCode(secret) ? '111111' : '000000' });
    expect(res.status).toBe(400);
    expect(res.body).toContain('Ce code n’est pas valable');
    const account = await t.kernel.db
      .selectFrom('accounts')
      .select('totp_enabled_at')
      .where('email', '=', ADMIN_EMAIL)
      .executeTakeFirstOrThrow();
    expect(account.totp_enabled_at).toBeNull();
  });

  it('turns on with a code from the app, and shows ten single-use recovery codes once', async () => {
    await visitor.get('/admin/mfa/setup');
    setupCode = totpCode(secret);
    const res = await visitor.post('/admin/mfa/setup', { code: setupCode, next: '/admin/audit' });
    expect(res.status).toBe(200);
    recoveryCodes = [...res.body.matchAll(/<code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})<\/code>/g)].map((m) => m[1] as string);
    expect(recoveryCodes).toHaveLength(10);
    expect(res.body).toContain('href="/admin/audit"');
    const stored = await t.kernel.db
      .selectFrom('accounts')
      .select(['recovery_codes', 'totp_enabled_at'])
      .where('email', '=', ADMIN_EMAIL)
      .executeTakeFirstOrThrow();
    expect(stored.totp_enabled_at).not.toBeNull();
    for (const code of recoveryCodes) expect(stored.recovery_codes).not.toContain(code);
    // This session passed the second factor by setting it up.
    expect((await visitor.get('/admin/audit')).status).toBe(200);
    // The set-up page cannot be used again to replace the device.
    expect((await visitor.get('/admin/mfa/setup')).location).toBe('/admin/account');
    const audit = await t.kernel.db.selectFrom('audit_log').select('action').where('action', '=', 'mfa.enable').execute();
    expect(audit).toHaveLength(1);
  });
});

describe('logging in with TOTP', () => {
  it('asks for the code after the password, and keeps every page closed until then', async () => {
    const { visitor, location } = await passwordStep();
    expect(location).toBe('/admin/mfa?next=%2Fadmin%2Faudit');
    const closed = await visitor.get('/admin/audit');
    expect(closed.status).toBe(303);
    expect(closed.location).toBe('/admin/mfa');
    // The set-up page does not let a password-only session replace the device either.
    expect((await visitor.get('/admin/mfa/setup')).location).toBe('/admin/mfa');
  });

  it('refuses the code already used (replay), accepts the next one once', async () => {
    const { visitor } = await passwordStep();
    const replayed = await secondStep(visitor, setupCode);
    expect(replayed.status).toBe(400);
    const next = totpCode(secret, 1);
    const passed = await secondStep(visitor, next);
    expect(passed.status).toBe(303);
    expect(passed.location).toBe('/admin/audit');
    expect((await visitor.get('/admin/audit')).status).toBe(200);

    const other = (await passwordStep()).visitor;
    expect((await secondStep(other, next)).status).toBe(400);
    expect((await other.get('/admin/audit')).status).toBe(303);
  });

  it('accepts each recovery code once, typed in any case and with spaces', async () => {
    const first = (await passwordStep()).visitor;
    const code = recoveryCodes[0] as string;
    expect((await secondStep(first, ` ${code.toUpperCase().replaceAll('-', ' ')} `)).status).toBe(303);
    expect((await first.get('/admin/audit')).status).toBe(200);
    const second = (await passwordStep()).visitor;
    expect((await secondStep(second, code)).status).toBe(400);
    expect((await second.get('/admin/account')).status).toBe(303);
    const account = await first.get('/admin/account');
    expect(account.body).toContain('Codes de secours restants : 9.');
    const audit = await t.kernel.db.selectFrom('audit_log').select('details').where('action', '=', 'mfa.passed').execute();
    expect(audit.map((a) => JSON.parse(a.details).method).sort()).toEqual(['recovery', 'totp']);
  });

  it('throttles wrong codes: past the limit even a right code is refused', async () => {
    const id = await accountId(t.kernel, ADMIN_EMAIL);
    const counter = `admin-mfa:acct:${id}`;
    await t.kernel.db.deleteFrom('rate_limits').where('key', '=', counter).execute();
    const { visitor } = await passwordStep();
    for (let i = 0; i < 5; i++) expect((await secondStep(visitor, 'wrong-code')).status).toBe(400);
    const refused = await secondStep(visitor, recoveryCodes[1] as string);
    expect(refused.status).toBe(429);
    expect(refused.body).toContain('Trop de codes incorrects');
    const left = await t.kernel.db.selectFrom('accounts').select('recovery_codes').where('id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.parse(left.recovery_codes as string)).toHaveLength(9);
    await t.kernel.db.deleteFrom('rate_limits').where('key', '=', counter).execute();
  });
});

describe('resetting TOTP when it is mandatory', () => {
  it('asks for the password, then sends the agent to set up a new device', async () => {
    const { visitor } = await passwordStep();
    expect((await secondStep(visitor, recoveryCodes[2] as string)).status).toBe(303);
    const page = await visitor.get('/admin/account');
    expect(page.body).toContain('Réinitialiser (nouveau téléphone)');
    expect(page.body).not.toContain('Désactiver la double authentification');
    const wrong = await visitor.post('/admin/account/mfa/disable', { disable_password: 'not my password at all' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain('Le mot de passe actuel est incorrect');
    await visitor.get('/admin/account');
    const reset = await visitor.post('/admin/account/mfa/disable', { disable_password: PASSWORD });
    expect(reset.status).toBe(303);
    expect(reset.location).toBe('/admin/mfa/setup');
    expect((await visitor.get('/admin/audit')).location).toBe('/admin/mfa/setup');
    const account = await t.kernel.db
      .selectFrom('accounts')
      .select(['totp_secret', 'totp_enabled_at', 'recovery_codes'])
      .where('email', '=', ADMIN_EMAIL)
      .executeTakeFirstOrThrow();
    expect(account).toEqual({ totp_secret: null, totp_enabled_at: null, recovery_codes: null });
    expect(await t.kernel.db.selectFrom('audit_log').select('id').where('action', '=', 'mfa.disable').execute()).toHaveLength(1);
  });
});
