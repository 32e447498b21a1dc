import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, nowIso, toJson } from '../../src/kernel/db/values.js';
import { hashPassword } from '../../src/kernel/identity/password.js';
import { createUnit } from '../../src/kernel/identity/units.js';
import { defineModule } from '../../src/kernel/modules.js';
import { catalogue } from '../../src/modules/catalogue.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCitizen, sessionCookie } from '../support/identity.js';

/**
 * Walks every registered route with each kind of actor and checks that access is granted or refused
 * exactly as the route declares. A new route is covered the moment it is registered.
 */
let t: TestApp;
/** Account of each actor; each request gets a fresh session, since some routes (logout, delete) end theirs. */
const accounts: Partial<Record<Actor, string>> = {};
type Actor = 'anonymous' | 'citizen' | 'agent-without-grant' | 'agent-with-all' | 'admin';
const ACTORS: Actor[] = ['anonymous', 'citizen', 'agent-without-grant', 'agent-with-all', 'admin'];

async function createAgent(email: string, isAdmin: boolean): Promise<string> {
  const id = newId();
  const now = nowIso();
  await t.kernel.db
    .insertInto('accounts')
    .values({
      id,
      kind: 'agent',
      email,
      password_hash: await hashPassword('agent password 123'),
      display_name: email,
      is_admin: isAdmin ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

beforeAll(async () => {
  t = await createTestApp();
  const { kernel } = t;
  await createUnit(kernel.db, { code: 'city', parentCode: null, name: { fr: 'Ville', en: 'City' } });
  const now = nowIso();
  await kernel.db
    .insertInto('roles')
    .values({
      code: 'everything',
      name_fr: 'Tout',
      name_en: 'All',
      permissions: toJson(kernel.permissions.map((p) => p.code)),
      created_at: now,
      updated_at: now,
    })
    .execute();
  const withAll = await createAgent('all@city.example', false);
  await kernel.db
    .insertInto('grants')
    .values({ id: newId(), account_id: withAll, role_code: 'everything', unit_code: 'city', granted_by: null, created_at: now })
    .execute();
  accounts.citizen = await createCitizen(kernel, { email: 'resident@example.org', password: 'resident password' });
  accounts['agent-without-grant'] = await createAgent('none@city.example', false);
  accounts['agent-with-all'] = withAll;
  accounts.admin = await createAgent('admin@city.example', true);
});
afterAll(async () => t?.close());

function expected(rule: string, actor: Actor): 'allowed' | 401 | 403 {
  if (rule === 'public') return 'allowed';
  if (actor === 'anonymous') return 401;
  if (rule === 'auth:citizen') return 'allowed';
  if (actor === 'citizen') return 403;
  if (rule === 'auth:agent') return 'allowed';
  return actor === 'agent-without-grant' ? 403 : 'allowed';
}

describe('the authorization matrix', () => {
  it('has a rule for every route, and covers the kernel’s and the modules’ routes', () => {
    const urls = t.app.accessTable.map((r) => r.url);
    expect(urls).toEqual(expect.arrayContaining(['/', '/healthz', '/pages/:slug', '/api/v1/files', '/account/data']));
    for (const route of t.app.accessTable) expect(route.rule).toMatch(/^(public|auth:(citizen|agent)|permission:[\w.-]+(\|[\w.-]+)*)$/);
  });

  it('grants or refuses every route to every kind of actor as declared', async () => {
    const mismatches: string[] = [];
    for (const route of t.app.accessTable) {
      const url = route.url.replace(/:(\w+)/g, (_m, name: string) => (name === 'id' ? '0'.repeat(28) : `x-${name}`));
      for (const actor of ACTORS) {
        const account = accounts[actor];
        const cookie = account ? await sessionCookie(t.kernel, account) : undefined;
        const res = await t.app.inject({
          method: route.method as 'GET',
          url,
          headers: { accept: 'application/json', 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
          ...(route.method === 'GET' || route.method === 'HEAD' ? {} : { payload: '{}' }),
          remoteAddress: `10.0.${ACTORS.indexOf(actor)}.1`,
        });
        const want = expected(route.rule, actor);
        // Refusals by the access layer, as opposed to a handler's own answer (a failed login is a 401 too).
        const refused = /"code":"auth\.(required|forbidden|mfa-required)"/.test(res.body);
        const ok = want === 'allowed' ? !refused : res.statusCode === want;
        if (!ok)
          mismatches.push(
            `${route.method} ${route.url} [${route.rule}] as ${actor}: expected ${want}, got ${res.statusCode} ${res.body.slice(0, 120)}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
    // Every route × every actor, one after the other: hundreds of requests, more with each module.
  }, 120_000);

  it('refuses to start an app with a route that declares no rule', async () => {
    const careless = defineModule({
      code: 'careless',
      routes(app) {
        app.get('/careless', async () => 'oops');
      },
    });
    await expect(createTestApp({ catalogue: [...catalogue, careless], overrides: { modules: ['pages', 'careless'] } })).rejects.toThrow(
      'Route GET /careless declares no access rule',
    );
  });
});
