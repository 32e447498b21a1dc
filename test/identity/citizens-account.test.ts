import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/kernel/identity/citizens/account-tokens.js';
import { attributesOf, LEVEL, recordAttributes } from '../../src/kernel/identity/citizens/attributes.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCitizen, linkIn, logIn, PASSWORD } from '../support/citizens.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { Visitor } from '../support/visitor.js';

const SITE = 'http://civitas.test';
let t: TestApp;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestApp({ overrides: { smtp: smtp.config, publicUrl: SITE } });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const sessionCount = async (accountId: string) =>
  (await t.kernel.db.selectFrom('sessions').select('id').where('account_id', '=', accountId).execute()).length;

async function signedIn(email: string): Promise<{ id: string; visitor: Visitor }> {
  const id = await createCitizen(t.kernel, email);
  const visitor = new Visitor(t.app);
  expect((await logIn(visitor, email)).status).toBe(303);
  return { id, visitor };
}

const profileFields = {
  givenName: 'Camille',
  familyName: 'Martin',
  birthdate: '1990-05-17',
  address: '12 rue de la Roquette\n75011 Paris',
  phone: '06 12 34 56 78',
  preferredLanguage: 'en',
  notificationChannels: ['email', 'sms'],
};

describe('the account page', () => {
  it('is for signed-in residents: others are sent to log in', async () => {
    const res = await new Visitor(t.app).get('/account');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/login?next=%2Faccount');
  });

  it('edits the profile with post/redirect/get, recording each attribute as self-declared', async () => {
    const { id, visitor } = await signedIn('profile@example.org');
    const page = await visitor.get('/account');
    for (const autocomplete of ['given-name', 'family-name', 'bday', 'street-address', 'tel', 'current-password', 'new-password']) {
      expect(page.body).toContain(`autocomplete="${autocomplete}"`);
    }
    const saved = await visitor.post('/account/profile', profileFields);
    expect(saved.status).toBe(303);
    expect(saved.location).toBe('/account?notice=profile-saved');
    const after = await visitor.follow(saved);
    // The preferred language is a preference for messages; the page stays in the visitor's language.
    expect(after.body).toContain('Vos informations ont été enregistrées.');
    expect(after.body).toContain('12 rue de la Roquette\n75011 Paris');
    const attributes = await attributesOf(t.kernel.db, id);
    expect(attributes.birthdate).toMatchObject({ value: '1990-05-17', source: 'self', level: LEVEL.self });
    expect(attributes.phone?.value).toBe('06 12 34 56 78');
    const account = await t.kernel.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(account).toMatchObject({ preferred_lang: 'en', notify_channels: '["email","sms"]', display_name: 'Camille Martin' });

    // A date typed the French way, without a date picker, is understood.
    await visitor.post('/account/profile', { ...profileFields, birthdate: '7/3/1991' });
    expect((await attributesOf(t.kernel.db, id)).birthdate?.value).toBe('1991-03-07');
  });

  it('refuses invalid details with the error summary and changes nothing', async () => {
    const { id, visitor } = await signedIn('invalid-profile@example.org');
    await visitor.get('/account');
    const res = await visitor.post('/account/profile', {
      ...profileFields,
      givenName: '',
      birthdate: '2999-01-01',
      address: 'x'.repeat(301),
      phone: 'call me',
      notificationChannels: ['sms', 'pigeon'],
    });
    expect(res.status).toBe(400);
    for (const field of ['givenName', 'birthdate', 'address', 'phone', 'notificationChannels'])
      expect(res.body).toContain(`<a href="#${field}">`);
    expect(res.body).toContain('L’adresse doit faire 300 caractères au plus');
    expect(res.body).toContain('value="call me"');
    expect((await attributesOf(t.kernel.db, id)).address).toBeUndefined();
  });

  it('keeps attributes certified by an identity provider out of reach', async () => {
    const { id, visitor } = await signedIn('certified@example.org');
    await recordAttributes(
      t.kernel.db,
      id,
      { given_name: 'Angela', family_name: 'DUBOIS', birthdate: '1962-08-24' },
      { source: 'oidc:https://fc', level: 600 },
    );
    const page = await visitor.get('/account');
    expect(page.body).toMatch(/id="givenName"[^>]*readonly/);
    const res = await visitor.post('/account/profile', {
      ...profileFields,
      givenName: 'Mallory',
      familyName: 'DUBOIS',
      birthdate: '1962-08-24',
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain('<a href="#givenName">Cette information vient de votre fournisseur d’identité');
    const same = await visitor.post('/account/profile', {
      ...profileFields,
      givenName: 'Angela',
      familyName: 'DUBOIS',
      birthdate: '1962-08-24',
    });
    expect(same.status).toBe(303);
    expect((await attributesOf(t.kernel.db, id)).given_name).toMatchObject({ value: 'Angela', level: 600 });
  });

  it('refuses a profile change posted without its CSRF token', async () => {
    const { id, visitor } = await signedIn('csrf-profile@example.org');
    await visitor.get('/account');
    const res = await visitor.post('/account/profile', profileFields, { csrf: false });
    expect(res.status).toBe(403);
    expect((await attributesOf(t.kernel.db, id)).phone).toBeUndefined();
  });
});

describe('GET and PATCH /api/v1/me', () => {
  it('answers 401 problem+json without a session', async () => {
    const res = await new Visitor(t.app).request('GET', '/api/v1/me', { json: undefined });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('reads and changes the profile; refuses unknown, over-long and invalid fields, naming them', async () => {
    const { visitor } = await signedIn('api@example.org');
    const me = await visitor.request('GET', '/api/v1/me', { json: undefined });
    expect(JSON.parse(me.body)).toMatchObject({
      email: 'api@example.org',
      emailVerified: true,
      givenName: 'Camille',
      birthdate: null,
      identityLevel: 0,
    });
    const patched = await visitor.request('PATCH', '/api/v1/me', { json: { phone: '+33 6 12 34 56 78', notificationChannels: ['sms'] } });
    expect(patched.status).toBe(200);
    expect(JSON.parse(patched.body)).toMatchObject({ phone: '+33 6 12 34 56 78', notificationChannels: ['sms'] });

    const unknown = await visitor.request('PATCH', '/api/v1/me', { json: { email: 'new@example.org' } });
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body)).toMatchObject({ code: 'validation', errors: [{ field: 'email', message: 'unknown field' }] });
    const long = await visitor.request('PATCH', '/api/v1/me', { json: { familyName: 'x'.repeat(101) } });
    expect(long.status).toBe(400);
    expect(long.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(long.body).errors).toEqual([{ field: 'familyName', message: 'must NOT have more than 100 characters' }]);
    const date = await visitor.request('PATCH', '/api/v1/me', { json: { birthdate: '1990-02-30', phone: '' } });
    expect(date.status).toBe(400);
    expect(JSON.parse(date.body).errors).toEqual([
      { field: 'birthdate', message: 'Enter a real date of birth, like 14/07/1985' },
      { field: 'notificationChannels', message: 'Enter a phone number to be told by text message' },
    ]);
    expect(JSON.parse((await visitor.request('GET', '/api/v1/me', { json: undefined })).body).phone).toBe('+33 6 12 34 56 78');
  });
});

describe('passwords', () => {
  it('changes the password knowing the current one, ends the other sessions and tells the owner by mail', async () => {
    const { id, visitor } = await signedIn('change@example.org');
    const laptop = new Visitor(t.app);
    await logIn(laptop, 'change@example.org');
    expect(await sessionCount(id)).toBe(2);
    await visitor.get('/account');
    const wrong = await visitor.post('/account/password', {
      currentPassword: 'not the password at all',
      newPassword: 'a brand new passphrase',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain('<a href="#currentPassword">Le mot de passe actuel est incorrect</a>');
    const ok = await visitor.post('/account/password', { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' });
    expect(ok.location).toBe('/account?notice=password-changed');
    expect((await visitor.get('/account')).status).toBe(200);
    expect((await laptop.get('/account')).status).toBe(303);
    expect(await sessionCount(id)).toBe(1);
    await t.kernel.jobs.runDue();
    expect(smtp.to('change@example.org').map((m) => m.subject)).toEqual(['Votre mot de passe a été changé – Ville de Paris']);
    expect((await logIn(new Visitor(t.app), 'change@example.org', 'a brand new passphrase')).status).toBe(303);
  });

  it('resets a forgotten password through the mailed link, which ends every session and works once', async () => {
    const { id, visitor: phone } = await signedIn('forgot@example.org');
    const visitor = new Visitor(t.app);
    expect((await visitor.get('/forgot-password')).status).toBe(200);
    const asked = await visitor.post('/forgot-password', { email: 'Forgot@Example.org' });
    expect(asked.location).toBe('/forgot-password?sent=1');
    expect((await visitor.follow(asked)).body).toContain('Si un compte existe pour cette adresse');
    await t.kernel.jobs.runDue();
    const [mail] = smtp.to('forgot@example.org');
    expect(mail?.subject).toBe('Choisir un nouveau mot de passe – Ville de Paris');
    const link = linkIn(mail, `${SITE}/reset-password/`);

    const form = await visitor.get(link);
    expect(form.status).toBe(200);
    expect(form.body).toContain('autocomplete="new-password"');
    expect((await visitor.post(link, { password: 'short' })).status).toBe(400);
    const done = await visitor.post(link, { password: 'my new memorable passphrase' });
    expect(done.location).toBe('/login?notice=password-reset');
    expect(await sessionCount(id)).toBe(0);
    expect((await phone.get('/account')).status).toBe(303);

    const replay = await visitor.post(link, { password: 'attacker passphrase here' });
    expect(replay.status).toBe(400);
    expect(replay.body).toContain('Lien déjà utilisé');
    expect((await logIn(new Visitor(t.app), 'forgot@example.org')).status).toBe(400);
    expect((await logIn(new Visitor(t.app), 'forgot@example.org', 'my new memorable passphrase')).status).toBe(303);
    await t.kernel.jobs.runDue();
    expect(smtp.to('forgot@example.org').map((m) => m.subject)).toContain('Votre mot de passe a été changé – Ville de Paris');
    const actions = (await t.kernel.db.selectFrom('audit_log').select('action').where('resource_id', '=', id).execute()).map(
      (a) => a.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['password.reset-requested', 'password.reset']));
  });

  it('answers a reset request for an unknown address the same way, and mails nobody', async () => {
    const visitor = new Visitor(t.app);
    await visitor.get('/forgot-password');
    const before = smtp.mails.length;
    const asked = await visitor.post('/forgot-password', { email: 'unknown@example.org' });
    expect(asked.location).toBe('/forgot-password?sent=1');
    await t.kernel.jobs.runDue();
    expect(smtp.mails.length).toBe(before);
    const invalid = await visitor.post('/forgot-password', { email: 'nope' });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toContain('<a href="#email">');
  });

  it('refuses an expired reset link (one hour)', async () => {
    const id = await createCitizen(t.kernel, 'slow@example.org');
    const token = await issueToken(t.kernel.db, id, 'reset-password', new Date(Date.now() - 61 * 60_000));
    const visitor = new Visitor(t.app);
    const res = await visitor.get(`/reset-password/${token}`);
    expect(res.status).toBe(400);
    expect(res.body).toContain('Lien expiré');
    await visitor.get('/forgot-password');
    expect((await visitor.post(`/reset-password/${token}`, { password: 'would be the new one' })).status).toBe(400);
    expect((await logIn(new Visitor(t.app), 'slow@example.org')).status).toBe(303);
  });
});

describe('log out everywhere', () => {
  it('ends every session of the account, this one included', async () => {
    const { id, visitor } = await signedIn('everywhere@example.org');
    const other = new Visitor(t.app);
    await logIn(other, 'everywhere@example.org');
    expect(await sessionCount(id)).toBe(2);
    await visitor.get('/account');
    const res = await visitor.post('/account/sessions/revoke');
    expect(res.location).toBe('/login?notice=sessions-revoked');
    expect(await sessionCount(id)).toBe(0);
    expect((await other.get('/account')).status).toBe(303);
    expect((await visitor.get('/account')).status).toBe(303);
    const audit = await t.kernel.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'sessions.revoked')
      .where('actor_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toEqual({ sessionsEnded: 2 });
  });
});
