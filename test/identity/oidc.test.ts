import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributesOf, identityLevel, LEVEL } from '../../src/kernel/identity/citizens/attributes.js';
import { signUp } from '../../src/kernel/identity/citizens/signup.js';
import { hashToken } from '../../src/kernel/identity/tokens.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCitizen, logIn, PASSWORD } from '../support/citizens.js';
import { FRANCECONNECT_USER, startOidcProvider, type TestIdentity, type TestOidcProvider } from '../support/oidc-provider.js';
import { type Visit, Visitor } from '../support/visitor.js';

const SITE = 'http://civitas.test';
const CALLBACK = `${SITE}/auth/oidc/callback`;
let t: TestApp;
let provider: TestOidcProvider;
beforeAll(async () => {
  provider = await startOidcProvider();
  t = await createTestApp({ overrides: { publicUrl: SITE, oidc: provider.config() } });
  await provider.register(CALLBACK);
});
afterAll(async () => {
  await t?.close();
  await provider?.close();
});

function identity(n: number, email: string): TestIdentity {
  return { sub: `subject-${n}`, claims: { ...FRANCECONNECT_USER.claims, given_name: `Prénom${n}`, family_name: `NOM${n}`, email } };
}

/** Starts a login and follows the provider's redirects up to, not into, the app's callback; returns its URL. */
async function toCallback(visitor: Visitor, start: Visit | string = '/auth/oidc'): Promise<string> {
  let visit: Visit = typeof start === 'string' ? await visitor.get(start) : start;
  for (let hop = 0; hop < 10; hop++) {
    if (!visit.location) throw new Error(`No redirect from ${visit.url} (${visit.status}): ${visit.body.slice(0, 500)}`);
    if (visit.location.startsWith(CALLBACK)) return visit.location;
    visit = await visitor.get(visit.location);
  }
  throw new Error('The provider never sent the browser back');
}

const accountByEmail = (email: string) =>
  t.kernel.db.selectFrom('accounts').selectAll().where('kind', '=', 'citizen').where('email', '=', email).executeTakeFirst();
const sessionsOf = (accountId: string) => t.kernel.db.selectFrom('sessions').selectAll().where('account_id', '=', accountId).execute();
const allSessions = async () => (await t.kernel.db.selectFrom('sessions').select('id').execute()).length;

describe('login through the OpenID Connect provider', () => {
  it('offers the provider’s button on the login page', async () => {
    const page = await new Visitor(t.app).get('/login?next=/pages');
    expect(page.body).toContain('<a class="button" href="/auth/oidc?next=%2Fpages">Se connecter avec FranceConnect</a>');
  });

  it('runs the code flow with PKCE, state and nonce, creates the account from the claims and keeps the acr', async () => {
    provider.user = identity(1, 'Angela.Dubois@Example.org');
    const visitor = new Visitor(t.app);
    const start = await visitor.get('/auth/oidc?next=/pages/mentions-legales');
    expect(start.status).toBe(303);
    const authorize = new URL(start.location as string);
    expect(authorize.origin).toBe(provider.issuer);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: provider.clientId,
      redirect_uri: CALLBACK,
      scope: 'openid profile email birth',
      code_challenge_method: 'S256',
      acr_values: 'eidas1',
    });
    expect(authorize.searchParams.get('state')).toMatch(/^[\w-]{40,}$/);
    expect(authorize.searchParams.get('nonce')).toMatch(/^[\w-]{40,}$/);
    expect(start.headers['set-cookie']).toMatch(/civitas_oidc=[\w-]+; Max-Age=600; Path=\/auth\/oidc; HttpOnly; SameSite=Lax/);

    const callback = await toCallback(visitor, start);
    const back = await visitor.get(callback);
    expect(back.status).toBe(303);
    expect(back.location).toBe('/pages/mentions-legales');
    expect(visitor.cookie('civitas_session')).toMatch(/^[\w-]{43}$/);

    const account = await accountByEmail('angela.dubois@example.org');
    expect(account).toMatchObject({ password_hash: null, display_name: 'Prénom1 NOM1' });
    expect(account?.email_verified_at).not.toBeNull();
    const id = account?.id as string;
    const source = `oidc:${provider.issuer}`;
    const attributes = await attributesOf(t.kernel.db, id);
    for (const [name, value] of Object.entries({
      given_name: 'Prénom1',
      family_name: 'NOM1',
      birthdate: '1962-08-24',
      gender: 'female',
      birthplace: '75107',
      birthcountry: '99100',
      email: 'angela.dubois@example.org',
    })) {
      expect(attributes[name], name).toMatchObject({ value, source, level: LEVEL.identityProvider });
    }
    expect(await identityLevel(t.kernel.db, id)).toBe(600);
    expect(await sessionsOf(id)).toMatchObject([{ method: source, acr: 'eidas1' }]);
    const link = await t.kernel.db.selectFrom('oidc_links').selectAll().where('account_id', '=', id).executeTakeFirstOrThrow();
    expect(link).toMatchObject({ issuer: provider.issuer, subject: 'subject-1', acr: 'eidas1' });
    const audit = await t.kernel.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('actor_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(audit.action).toBe('login');
    expect(JSON.parse(audit.details)).toEqual({ method: source, acr: 'eidas1', outcome: 'created' });

    // The account page shows the certified identity, read-only.
    const page = await visitor.get('/account');
    expect(page.body).toContain('Identité certifiée par FranceConnect');
    expect(page.body).toMatch(/id="familyName"[^>]*readonly/);
    expect(await t.kernel.db.selectFrom('oidc_login_states').select('id').execute()).toEqual([]);

    // A second login finds the same account through the link.
    const again = new Visitor(t.app);
    await again.get(await toCallback(again));
    expect((await accountByEmail('angela.dubois@example.org'))?.id).toBe(id);
    expect(await sessionsOf(id)).toHaveLength(2);
  });

  it('refuses a replayed callback: the state works once', async () => {
    provider.user = identity(2, 'replay@example.org');
    const visitor = new Visitor(t.app);
    const callback = await toCallback(visitor);
    const cookie = visitor.cookie('civitas_oidc') as string;
    expect((await visitor.get(callback)).status).toBe(303);
    const sessions = await allSessions();
    // Even with the state cookie put back, the state is gone from the server.
    visitor.setCookie('civitas_oidc', cookie);
    const replay = await visitor.get(callback);
    expect(replay.status).toBe(400);
    expect(replay.body).toContain('Connexion à reprendre');
    expect(replay.body).toContain('Rien n’a été modifié');
    expect(await allSessions()).toBe(sessions);
  });

  it('refuses a reused authorization code, even with our side of the login replayed', async () => {
    provider.user = identity(3, 'reuse@example.org');
    const visitor = new Visitor(t.app);
    const callback = await toCallback(visitor);
    const state = new URL(callback).searchParams.get('state') as string;
    const cookie = visitor.cookie('civitas_oidc') as string;
    const saved = await t.kernel.db
      .selectFrom('oidc_login_states')
      .selectAll()
      .where('id', '=', hashToken(state))
      .executeTakeFirstOrThrow();
    expect((await visitor.get(callback)).status).toBe(303);
    const sessions = await allSessions();

    // Put back the state row and cookie: only the provider's single-use code now stands in the way.
    await t.kernel.db.insertInto('oidc_login_states').values(saved).execute();
    visitor.setCookie('civitas_oidc', cookie);
    visitor.setCookie('civitas_session', '');
    const res = await visitor.get(callback);
    expect(res.status).toBe(400);
    expect(res.body).toContain('Connexion refusée');
    expect(await allSessions()).toBe(sessions);
  });

  it('refuses a code injected into another login (PKCE and nonce do not match)', async () => {
    provider.user = identity(7, 'inject@example.org');
    const victimOfTheft = new Visitor(t.app);
    const stolen = new URL(await toCallback(victimOfTheft));
    const attacker = new Visitor(t.app);
    const fresh = new URL((await attacker.get('/auth/oidc')).location as string).searchParams.get('state') as string;
    const forged = new URL(CALLBACK);
    forged.search = stolen.search;
    forged.searchParams.set('state', fresh);
    const res = await attacker.get(forged.href);
    expect(res.status).toBe(400);
    expect(res.body).toContain('Connexion refusée');
    expect(attacker.cookie('civitas_session')).toBeUndefined();
    expect(await accountByEmail('inject@example.org')).toBeUndefined();
  });

  it('refuses a wrong or missing state, and a callback finished in another browser (login CSRF)', async () => {
    provider.user = identity(4, 'state@example.org');
    const visitor = new Visitor(t.app);
    const callback = new URL(await toCallback(visitor));
    const accounts = (await t.kernel.db.selectFrom('accounts').select('id').execute()).length;
    for (const tamper of [(u: URL) => u.searchParams.set('state', 'wrong-state'), (u: URL) => u.searchParams.delete('state')]) {
      const url = new URL(callback);
      tamper(url);
      const res = await visitor.get(url.href);
      expect(res.status).toBe(400);
      expect(res.body).toContain('Connexion à reprendre');
    }
    // The attacker's own, valid callback opened in the victim's browser (no state cookie there).
    const victim = new Visitor(t.app);
    expect((await victim.get(callback.href)).status).toBe(400);
    expect(victim.cookie('civitas_session')).toBeUndefined();
    expect((await t.kernel.db.selectFrom('accounts').select('id').execute()).length).toBe(accounts);
    expect(await accountByEmail('state@example.org')).toBeUndefined();
  });

  it('says the login was cancelled when the provider answers with an error', async () => {
    const visitor = new Visitor(t.app);
    const state = new URL((await visitor.get('/auth/oidc')).location as string).searchParams.get('state') as string;
    const res = await visitor.get(`/auth/oidc/callback?error=access_denied&state=${state}`);
    expect(res.status).toBe(400);
    expect(res.body).toContain('Connexion annulée');
  });
});

describe('linking a first OpenID Connect login to an existing account', () => {
  it('links to the resident’s account with the same verified e-mail', async () => {
    const id = await createCitizen(t.kernel, 'linked@example.org');
    provider.user = identity(5, 'LINKED@example.org');
    const visitor = new Visitor(t.app);
    await visitor.get(await toCallback(visitor));
    expect(visitor.cookie('civitas_session')).toBeDefined();
    expect(await t.kernel.db.selectFrom('oidc_links').select('account_id').where('subject', '=', 'subject-5').executeTakeFirst()).toEqual({
      account_id: id,
    });
    expect((await attributesOf(t.kernel.db, id)).given_name).toMatchObject({ value: 'Prénom5', level: 600 });
    // The password still works alongside.
    expect((await logIn(new Visitor(t.app), 'linked@example.org')).status).toBe(303);
    const audit = await t.kernel.db
      .selectFrom('audit_log')
      .select('details')
      .where('actor_id', '=', id)
      .where('action', '=', 'login')
      .execute();
    expect(audit.map((a) => JSON.parse(a.details).outcome)).toContain('linked');
  });

  it('does not hand an unverified account’s password to whoever opened it: the account is reclaimed, its password wiped', async () => {
    await signUp(
      t.kernel,
      { email: 'squatted@example.org', password: PASSWORD, givenName: 'Mallory', familyName: 'Squatter' },
      { lang: 'fr', ip: null },
    );
    const squatted = await accountByEmail('squatted@example.org');
    provider.user = identity(6, 'squatted@example.org');
    const visitor = new Visitor(t.app);
    await visitor.get(await toCallback(visitor));
    const account = await accountByEmail('squatted@example.org');
    expect(account?.id).toBe(squatted?.id);
    expect(account?.password_hash).toBeNull();
    expect(account?.email_verified_at).not.toBeNull();
    const attributes = await attributesOf(t.kernel.db, account?.id as string);
    expect(attributes.given_name).toMatchObject({ value: 'Prénom6', level: 600 });
    expect(Object.values(attributes).every((a) => a.level === 600)).toBe(true);
    expect(
      await t.kernel.db
        .selectFrom('account_tokens')
        .select('id')
        .where('account_id', '=', account?.id as string)
        .execute(),
    ).toEqual([]);
    expect((await logIn(new Visitor(t.app), 'squatted@example.org')).status).toBe(400);
  });
  it('refuses to link a second identity of the provider to an account another one already holds', async () => {
    provider.user = identity(8, 'twice@example.org');
    const first = new Visitor(t.app);
    await first.get(await toCallback(first));
    const id = (await accountByEmail('twice@example.org'))?.id as string;
    provider.user = identity(9, 'twice@example.org');
    const second = new Visitor(t.app);
    const res = await second.get(await toCallback(second));
    expect(res.status).toBe(400);
    expect(res.body).toContain('Adresse déjà utilisée');
    expect(second.cookie('civitas_session')).toBeUndefined();
    expect(await t.kernel.db.selectFrom('oidc_links').select('subject').where('account_id', '=', id).execute()).toEqual([
      { subject: 'subject-8' },
    ]);
  });
});

describe('without a reachable or configured provider', () => {
  it('shows a friendly 503 page when the provider cannot be reached, and no error at boot', async () => {
    const offline = await createTestApp({ overrides: { publicUrl: SITE, oidc: { ...provider.config(), issuer: 'http://127.0.0.1:9' } } });
    try {
      const res = await new Visitor(offline.app).get('/auth/oidc');
      expect(res.status).toBe(503);
      expect(res.body).toContain('FranceConnect est indisponible');
      expect(res.body).toContain('href="/login"');
    } finally {
      await offline.close();
    }
  });

  it('has no OpenID Connect routes nor button when none is configured', async () => {
    const plain = await createTestApp({ overrides: { publicUrl: SITE } });
    try {
      const visitor = new Visitor(plain.app);
      expect((await visitor.get('/auth/oidc')).status).toBe(404);
      expect((await visitor.get('/auth/oidc/callback?state=x&code=y')).status).toBe(404);
      expect((await visitor.get('/login')).body).not.toContain('/auth/oidc');
    } finally {
      await plain.close();
    }
  });
});
