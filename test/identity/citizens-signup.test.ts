import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/kernel/identity/citizens/account-tokens.js';
import { attributesOf, identityLevel, LEVEL } from '../../src/kernel/identity/citizens/attributes.js';
import { createMailer } from '../../src/kernel/mail/mailer.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { linkIn, logIn, PASSWORD } from '../support/citizens.js';
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

const accountOf = (email: string) =>
  t.kernel.db.selectFrom('accounts').selectAll().where('kind', '=', 'citizen').where('email', '=', email).executeTakeFirst();
const countAccounts = async () => (await t.kernel.db.selectFrom('accounts').select('id').execute()).length;
const signupFields = (email: string) => ({ givenName: 'Camille', familyName: 'Martin', email, password: PASSWORD, consent: 'yes' });

describe('sign-up, e-mail verification and first login', () => {
  it('signs up, mails the link over SMTP only once the job runs, verifies the address and logs in', async () => {
    const visitor = new Visitor(t.app);
    const form = await visitor.get('/signup');
    expect(form.status).toBe(200);
    expect(form.body).toContain('autocomplete="given-name"');
    expect(form.body).toContain('autocomplete="new-password"');

    const sent = await visitor.post('/signup', signupFields('Camille.Martin@Example.org'));
    expect(sent.status).toBe(303);
    expect(sent.location).toBe('/signup/sent');
    expect((await visitor.follow(sent)).body).toContain('Consultez votre messagerie');
    const account = await accountOf('camille.martin@example.org');
    expect(account).toMatchObject({ email_verified_at: null, display_name: 'Camille Martin', preferred_lang: 'fr' });
    expect(account?.password_hash).toMatch(/^scrypt\$/);

    // The mail is a job committed with the account: nothing is sent before a worker runs it.
    expect(smtp.to('camille.martin@example.org')).toEqual([]);
    await t.kernel.jobs.runDue();
    const [mail] = smtp.to('camille.martin@example.org');
    expect(mail?.subject).toBe('Confirmez votre adresse électronique – Ville de Paris');
    expect(mail?.html).toContain('<a href="http://civitas.test/verify-email/');
    const link = linkIn(mail, `${SITE}/verify-email/`);
    // Tokens are stored hashed: the link's secret is not in the database.
    const token = link.split('/').pop() as string;
    expect(await t.kernel.db.selectFrom('account_tokens').select('id').where('id', '=', token).executeTakeFirst()).toBeUndefined();

    // Opening the link (as a mail scanner would) does not use it; the button does.
    const confirm = await visitor.get(link);
    expect(confirm.status).toBe(200);
    expect(confirm.body).toContain('Confirmer mon adresse');
    const verified = await visitor.post(link);
    expect(verified.location).toBe('/login?notice=email-verified');
    expect((await visitor.follow(verified)).body).toContain('Votre adresse est confirmée');
    expect((await accountOf('camille.martin@example.org'))?.email_verified_at).not.toBeNull();
    const attributes = await attributesOf(t.kernel.db, account?.id as string);
    expect(attributes.email).toMatchObject({ source: 'email', level: LEVEL.emailVerified });
    expect(attributes.given_name).toMatchObject({ value: 'Camille', source: 'self', level: LEVEL.self });
    expect(await identityLevel(t.kernel.db, account?.id as string)).toBe(0); // no birth date yet

    const login = await logIn(visitor, 'camille.martin@example.org');
    expect(login.status).toBe(303);
    expect(login.location).toBe('/account');
    expect((await visitor.get('/account')).body).toContain('Camille');

    // The link worked once: used again, it says so and changes nothing.
    const replay = await visitor.get(link);
    expect(replay.status).toBe(400);
    expect(replay.body).toContain('Lien déjà utilisé');
    expect((await visitor.post(link)).status).toBe(400);

    const actions = (
      await t.kernel.db
        .selectFrom('audit_log')
        .select('action')
        .where('resource_id', '=', account?.id as string)
        .execute()
    ).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['signup', 'email.verified', 'login']));
  });

  it('answers a sign-up with a registered address like any other, and mails its owner instead', async () => {
    const visitor = new Visitor(t.app);
    await visitor.get('/signup');
    await visitor.post('/signup', signupFields('taken@example.org'));
    await t.kernel.jobs.runDue();
    const before = await accountOf('taken@example.org');
    const accounts = await countAccounts();

    const again = await visitor.post('/signup', { ...signupFields('taken@example.org'), password: 'another password entirely' });
    expect(again.status).toBe(303);
    expect(again.location).toBe('/signup/sent');
    await t.kernel.jobs.runDue();
    expect(smtp.to('taken@example.org').map((m) => m.subject)).toEqual([
      'Confirmez votre adresse électronique – Ville de Paris',
      'Vous avez déjà un compte – Ville de Paris',
    ]);
    expect(linkIn(smtp.to('taken@example.org')[1], SITE)).toBe(`${SITE}/forgot-password`);
    expect(await countAccounts()).toBe(accounts);
    expect((await accountOf('taken@example.org'))?.password_hash).toBe(before?.password_hash);
  });

  it('mails in the language the person used', async () => {
    const visitor = new Visitor(t.app, { lang: 'en' });
    expect((await visitor.get('/signup')).body).toContain('Create an account');
    await visitor.post('/signup', signupFields('english@example.org'));
    await t.kernel.jobs.runDue();
    const [mail] = smtp.to('english@example.org');
    expect(mail?.subject).toBe('Confirm your e-mail address – City of Paris');
    expect(mail?.text).toContain('This link works for 48 hours, once.');
  });

  it('refuses invalid input with the error summary, keeps what was typed but the password, and stores nothing', async () => {
    const visitor = new Visitor(t.app);
    await visitor.get('/signup');
    const accounts = await countAccounts();
    const res = await visitor.post('/signup', {
      givenName: '',
      familyName: 'M'.repeat(101),
      email: 'not-an-address<script>',
      password: 'short',
      consent: '',
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain('<a href="#givenName">Indiquez votre prénom</a>');
    expect(res.body).toContain('<a href="#familyName">Ce nom doit faire 100 caractères au plus</a>');
    expect(res.body).toContain('<a href="#email">Indiquez une adresse électronique valide');
    expect(res.body).toContain('<a href="#password">Le mot de passe doit faire au moins 12 caractères</a>');
    expect(res.body).toContain('<a href="#consent">');
    expect(res.body).toContain('value="not-an-address&lt;script>"');
    expect(res.body).toContain('aria-describedby="email-hint email-error"');
    expect(res.body).not.toContain('value="short"');
    expect(await countAccounts()).toBe(accounts);
  });

  it('refuses a sign-up posted without its CSRF token', async () => {
    const visitor = new Visitor(t.app);
    await visitor.get('/signup');
    const accounts = await countAccounts();
    const res = await visitor.post('/signup', signupFields('forged@example.org'), { csrf: false });
    expect(res.status).toBe(403);
    expect(res.body).toContain('Le formulaire a expiré ou ne vient pas de ce site');
    expect(await countAccounts()).toBe(accounts);
  });

  it('refuses an expired verification link and an unknown one, clearly', async () => {
    const visitor = new Visitor(t.app);
    await visitor.get('/signup');
    await visitor.post('/signup', signupFields('late@example.org'));
    const account = await accountOf('late@example.org');
    const old = await issueToken(t.kernel.db, account?.id as string, 'verify-email', new Date(Date.now() - 49 * 3600_000));
    const expired = await visitor.get(`/verify-email/${old}`);
    expect(expired.status).toBe(400);
    expect(expired.body).toContain('Lien expiré');
    await visitor.get('/signup');
    expect((await visitor.post(`/verify-email/${old}`)).status).toBe(400);
    expect((await accountOf('late@example.org'))?.email_verified_at).toBeNull();
    const unknown = await visitor.get(`/verify-email/${'x'.repeat(43)}`);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain('Lien invalide');
  });

  it('keeps a mail when the SMTP server is down: the job fails, stays queued and is retried later', async () => {
    const down = await createTestApp({ overrides: { smtp: { ...smtp.config, port: 9 }, publicUrl: SITE } });
    try {
      const visitor = new Visitor(down.app);
      await visitor.get('/signup');
      await visitor.post('/signup', signupFields('patient@example.org'));
      await down.kernel.jobs.runDue();
      const job = await down.kernel.db.selectFrom('jobs').selectAll().where('name', '=', 'kernel:send-mail').executeTakeFirstOrThrow();
      expect(job).toMatchObject({ status: 'queued', attempts: 1 });
      expect(job.last_error).toMatch(/ECONNREFUSED/);
      expect(Date.parse(job.run_at)).toBeGreaterThan(Date.now());
    } finally {
      await down.close();
    }
  });
});

describe('the local outbox, without SMTP', () => {
  it('writes each mail as a readable .eml file, atomically', async () => {
    const dataDir = t.testDb.dataDir;
    const mailer = createMailer(
      { dataDir, smtp: { port: 587, secure: false, from: 'Civitas <no-reply@civitas.localhost>' } },
      pino({ level: 'silent' }),
    );
    await mailer.send({ to: 'dev@example.org', subject: 'Essai – accentué', text: 'Bonjour,\n\nhttp://civitas.test/verify-email/abc' });
    const outbox = join(dataDir, 'outbox');
    expect(existsSync(outbox)).toBe(true);
    const files = readdirSync(outbox);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.eml$/);
    const eml = readFileSync(join(outbox, files[0] as string), 'utf8');
    expect(eml).toContain('To: dev@example.org');
    expect(eml).toContain('Subject: =?UTF-8?Q?Essai_=E2=80=93_accentu=C3=A9?=');
    expect(eml).toContain('http://civitas.test/verify-email/abc');
  });
});
