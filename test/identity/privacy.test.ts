import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineModule } from '../../src/kernel/modules.js';
import { catalogue } from '../../src/modules/catalogue.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { csrfCookieAndToken } from '../support/csrf.js';
import { createCitizen, sessionCookie } from '../support/identity.js';

const erased: string[] = [];
/** A module holding personal data, as proposals or reports will. */
const notebook = defineModule({
  code: 'notebook',
  personalData: {
    export: async (_kernel, accountId) => ({ notes: [`note of ${accountId}`] }),
    erase: async (_trx, accountId) => {
      erased.push(accountId);
    },
  },
});

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ catalogue: [...catalogue, notebook], overrides: { modules: ['pages', 'notebook'] } });
});
afterAll(async () => t?.close());

async function post(cookie: string, body: string) {
  const { cookie: csrf, token } = await csrfCookieAndToken(t.app, { url: '/account/data', headers: { cookie } });
  return t.app.inject({
    method: 'POST',
    url: '/account/delete',
    payload: `${body}&_csrf=${encodeURIComponent(token)}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${cookie}; ${csrf}` },
  });
}

describe('personal data', () => {
  it('is reserved to the signed-in resident', async () => {
    expect((await t.app.inject('/account/data.json')).statusCode).toBe(401);
    const page = await t.app.inject({ url: '/account/data', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Faccount%2Fdata');
  });

  it('downloads as JSON with the account, attribute sources, sessions and each module’s data, without secrets', async () => {
    const id = await createCitizen(t.kernel, { email: 'ines@example.org', password: 'a long enough password' });
    await t.kernel.db
      .insertInto('identity_attributes')
      .values({ account_id: id, name: 'given_name', value: 'Inès', source: 'self', level: 100, updated_at: new Date().toISOString() })
      .execute();
    const cookie = await sessionCookie(t.kernel, id);
    const res = await t.app.inject({ url: '/account/data.json', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('attachment');
    const data = res.json();
    expect(data.account).toMatchObject({ id, email: 'ines@example.org', kind: 'citizen' });
    expect(data.identityAttributes).toEqual([expect.objectContaining({ name: 'given_name', value: 'Inès', source: 'self', level: 100 })]);
    expect(data.sessions).toHaveLength(1);
    expect(data.modules.notebook).toEqual({ notes: [`note of ${id}`] });
    expect(res.body).not.toContain('scrypt$');
  });

  it('refuses deletion with a wrong password and changes nothing', async () => {
    const id = await createCitizen(t.kernel, { email: 'wrong@example.org', password: 'a long enough password' });
    const cookie = await sessionCookie(t.kernel, id);
    const res = await post(cookie, 'password=nope');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Le mot de passe est incorrect');
    const row = await t.kernel.db.selectFrom('accounts').select(['status', 'email']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'active', email: 'wrong@example.org' });
    expect(erased).not.toContain(id);
  });

  it('deletes the account: identity data erased, modules asked to anonymise, sessions ended, e-mail freed', async () => {
    const id = await createCitizen(t.kernel, { email: 'leaving@example.org', password: 'a long enough password' });
    await t.kernel.db
      .insertInto('identity_attributes')
      .values({ account_id: id, name: 'family_name', value: 'Durand', source: 'self', level: 100, updated_at: new Date().toISOString() })
      .execute();
    const cookie = await sessionCookie(t.kernel, id);
    const res = await post(cookie, `password=${encodeURIComponent('a long enough password')}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Compte supprimé');
    const row = await t.kernel.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'deleted', email: `deleted-${id}@invalid`, display_name: '', password_hash: null });
    expect(await t.kernel.db.selectFrom('identity_attributes').selectAll().where('account_id', '=', id).execute()).toEqual([]);
    expect(await t.kernel.db.selectFrom('sessions').selectAll().where('account_id', '=', id).execute()).toEqual([]);
    expect(erased).toContain(id);
    expect((await t.app.inject({ url: '/account/data.json', headers: { cookie } })).statusCode).toBe(401);
    const trail = await t.kernel.db.selectFrom('audit_log').selectAll().where('action', '=', 'account.deleted').execute();
    expect(trail).toEqual([expect.objectContaining({ actor_id: id, actor_label: `citizen:${id}`, ip: null })]);
    expect(JSON.stringify(trail)).not.toContain('leaving@example.org');
  });
});
