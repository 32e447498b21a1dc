import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, nowIso } from '../../src/kernel/db/values.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { csrfCookieAndToken } from '../support/csrf.js';
import { Visitor } from '../support/visitor.js';
import { ADMIN_EMAIL, accountId, createTestAdmin, logInAgent, PASSWORD } from './agents-fixtures.js';

/**
 * The back office end to end: an administrator sets up the city's units, a role and agents; each
 * agent then sees exactly what their unit allows, and nothing else, even by guessing addresses.
 */
let t: TestApp;
let admin: Visitor;
beforeAll(async () => {
  t = await createTestApp({ overrides: { publicUrl: 'http://civitas.test' } });
  await createTestAdmin(t.kernel);
  admin = await logInAgent(t.app, ADMIN_EMAIL);
});
afterAll(async () => t?.close());

const unitName = async (code: string) =>
  (await t.kernel.db.selectFrom('units').select('name_fr').where('code', '=', code).executeTakeFirst())?.name_fr;
const status = async (email: string) =>
  (await t.kernel.db.selectFrom('accounts').select('status').where('email', '=', email).executeTakeFirstOrThrow()).status;
const grantCount = async () =>
  Number(
    (
      await t.kernel.db
        .selectFrom('grants')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

async function createUnit(visitor: Visitor, code: string, parent: string, name: string) {
  await visitor.get('/admin/units');
  return visitor.post('/admin/units', { code, parent, name_fr: name, name_en: name });
}

describe('an administrator sets up units, roles and agents', () => {
  it('sees every section of the back office', async () => {
    const home = await admin.get('/admin');
    expect(home.status).toBe(200);
    for (const href of ['/admin/units', '/admin/roles', '/admin/agents', '/admin/audit', '/admin/jobs'])
      expect(home.body).toContain(`href="${href}"`);
  });

  it('creates the city, then two arrondissements below it', async () => {
    expect((await createUnit(admin, 'paris', '', 'Ville de Paris')).status).toBe(303);
    const created = await createUnit(admin, 'paris-11', 'paris', 'Mairie du 11e');
    expect(created.status).toBe(303);
    expect(created.location).toBe('/admin/units?created=paris-11');
    expect((await createUnit(admin, 'paris-12', 'paris', 'Mairie du 12e')).status).toBe(303);
    const units = await t.kernel.db.selectFrom('units').select(['code', 'path']).orderBy('path').execute();
    expect(units).toEqual([
      { code: 'paris', path: '/paris/' },
      { code: 'paris-11', path: '/paris/paris-11/' },
      { code: 'paris-12', path: '/paris/paris-12/' },
    ]);
    const page = await admin.get('/admin/units');
    expect(page.body).toContain('Mairie du 11e');
  });

  it('shows the form again with its errors, naming each field', async () => {
    const res = await createUnit(admin, 'Bad Code!', 'paris', '');
    expect(res.status).toBe(400);
    expect(res.body).toContain('class="error-summary"');
    expect(res.body).toContain('href="#code"');
    expect(res.body).toContain('aria-invalid="true"');
    expect(await unitName('Bad Code!')).toBeUndefined();
  });

  it('renames a unit', async () => {
    await admin.get('/admin/units/paris-11');
    const res = await admin.post('/admin/units/paris-11', { name_fr: 'Mairie du 11e arrondissement', name_en: '11th district town hall' });
    expect(res.status).toBe(303);
    expect(await unitName('paris-11')).toBe('Mairie du 11e arrondissement');
  });

  it('creates roles from the permissions the kernel and modules declare', async () => {
    const form = await admin.get('/admin/roles/new');
    for (const code of ['admin.units', 'admin.agents', 'admin.audit', 'citizens.view']) expect(form.body).toContain(`value="${code}"`);
    expect(form.body).toContain('Rechercher et exporter le journal d’audit');
    const res = await admin.post('/admin/roles', {
      code: 'mairie-admin',
      name_fr: 'Administrateur de mairie',
      name_en: 'Town hall administrator',
      permissions: ['admin.units', 'admin.agents', 'admin.audit'],
    });
    expect(res.status).toBe(303);
    await admin.get('/admin/roles/new');
    await admin.post('/admin/roles', {
      code: 'superviseur',
      name_fr: 'Superviseur',
      name_en: 'Supervisor',
      permissions: ['admin.roles', 'admin.jobs'],
    });
    const role = await t.kernel.db.selectFrom('roles').select('permissions').where('code', '=', 'mairie-admin').executeTakeFirstOrThrow();
    expect(JSON.parse(role.permissions)).toEqual(['admin.agents', 'admin.audit', 'admin.units']);
  });

  it('creates an agent with an initial password and a role in the 11th', async () => {
    await admin.get('/admin/agents/new');
    const res = await admin.post('/admin/agents', {
      email: 'Jeanne@Paris.test',
      display_name: 'Jeanne Onze',
      access: 'password',
      password: PASSWORD,
      role: 'mairie-admin',
      unit: 'paris-11',
    });
    expect(res.status).toBe(303);
    const page = await admin.get(res.location as string);
    expect(page.body).toContain('L’agent a été créé.');
    expect(page.body).toContain('Administrateur de mairie – Mairie du 11e arrondissement');
  });

  it('creates an agent with a set-password link, which works once', async () => {
    await admin.get('/admin/agents/new');
    const res = await admin.post('/admin/agents', {
      email: 'paul@paris.test',
      display_name: 'Paul Douze',
      access: 'link',
      role: 'mairie-admin',
      unit: 'paris-12',
    });
    expect(res.status).toBe(200);
    const link = /(http:\/\/civitas\.test\/admin\/password\?token=[\w-]+)/.exec(res.body)?.[1] as string;
    expect(link).toBeTruthy();
    const paul = new Visitor(t.app);
    expect((await paul.get(link)).status).toBe(200);
    const token = new URL(link).searchParams.get('token') as string;
    const mismatch = await paul.post('/admin/password', { token, new_password: PASSWORD, confirm_password: 'something else entirely' });
    expect(mismatch.status).toBe(400);
    const set = await paul.post('/admin/password', { token, new_password: PASSWORD, confirm_password: PASSWORD });
    expect(set.status).toBe(303);
    expect(set.location).toBe('/admin/login?password=set');
    expect((await paul.get(link)).body).toContain('a expiré ou a déjà servi');
    expect(
      (await paul.post('/admin/password', { token, new_password: 'another long password', confirm_password: 'another long password' }))
        .status,
    ).toBe(400);
    await logInAgent(t.app, 'paul@paris.test');
  });
});

describe('an agent sees exactly what their unit allows', () => {
  let jeanne: Visitor;
  beforeAll(async () => {
    jeanne = await logInAgent(t.app, 'jeanne@paris.test');
  });

  it('lists only the sections of the permissions held', async () => {
    const home = await jeanne.get('/admin');
    expect(home.status).toBe(200);
    for (const href of ['/admin/units', '/admin/agents', '/admin/audit']) expect(home.body).toContain(`href="${href}"`);
    for (const href of ['/admin/roles', '/admin/jobs']) expect(home.body).not.toContain(`href="${href}"`);
    expect((await jeanne.get('/admin/roles')).status).toBe(403);
    expect((await jeanne.get('/admin/jobs')).status).toBe(403);
  });

  it('sees the units and agents of the 11th only', async () => {
    const units = await jeanne.get('/admin/units');
    expect(units.body).toContain('Mairie du 11e arrondissement');
    expect(units.body).not.toContain('Mairie du 12e');
    expect(units.body).not.toContain('href="/admin/units/paris"');
    const agents = await jeanne.get('/admin/agents');
    expect(agents.body).toContain('jeanne@paris.test');
    expect(agents.body).not.toContain('paul@paris.test');
    expect(agents.body).not.toContain(ADMIN_EMAIL);
  });

  it('is refused another unit’s resources reached by guessing their address, and nothing changes', async () => {
    const paul = await accountId(t.kernel, 'paul@paris.test');
    const adminId = await accountId(t.kernel, ADMIN_EMAIL);
    expect((await jeanne.get('/admin/units/paris-12')).status).toBe(403);
    expect((await jeanne.get('/admin/units/paris')).status).toBe(403);
    expect((await jeanne.get(`/admin/agents/${paul}`)).status).toBe(403);
    await jeanne.get('/admin/units');
    expect((await jeanne.post('/admin/units/paris-12', { name_fr: 'Piraté', name_en: 'Hacked' })).status).toBe(403);
    expect(await unitName('paris-12')).toBe('Mairie du 12e');
    expect((await jeanne.post(`/admin/agents/${paul}/disable`)).status).toBe(403);
    expect((await jeanne.post(`/admin/agents/${adminId}/disable`)).status).toBe(403);
    expect(await status('paul@paris.test')).toBe('active');
    const paulGrant = await t.kernel.db.selectFrom('grants').select('id').where('account_id', '=', paul).executeTakeFirstOrThrow();
    expect((await jeanne.post(`/admin/agents/${paul}/grants/${paulGrant.id}/revoke`)).status).toBe(403);
    expect((await createUnit(jeanne, 'paris-12-voirie', 'paris-12', 'Voirie du 12e')).status).toBe(403);
    expect((await createUnit(jeanne, 'lyon', '', 'Lyon')).status).toBe(403);
    expect(await unitName('paris-12-voirie')).toBeUndefined();
    expect(await unitName('lyon')).toBeUndefined();
  });

  it('manages the units below their own', async () => {
    expect((await createUnit(jeanne, 'paris-11-etat-civil', 'paris-11', 'État civil du 11e')).status).toBe(303);
    expect(await unitName('paris-11-etat-civil')).toBe('État civil du 11e');
  });

  it('cannot give rights they do not hold, nor outside their units', async () => {
    const me = await accountId(t.kernel, 'jeanne@paris.test');
    const before = await grantCount();
    await jeanne.get(`/admin/agents/${me}`);
    // A role with permissions Jeanne does not hold, in her own unit.
    expect((await jeanne.post(`/admin/agents/${me}/grants`, { role: 'superviseur', unit: 'paris-11' })).status).toBe(403);
    // Her own role, but in another arrondissement, or city-wide.
    expect((await jeanne.post(`/admin/agents/${me}/grants`, { role: 'mairie-admin', unit: 'paris-12' })).status).toBe(403);
    expect((await jeanne.post(`/admin/agents/${me}/grants`, { role: 'mairie-admin', unit: 'paris' })).status).toBe(403);
    expect(await grantCount()).toBe(before);
    // Nor through a new agent.
    await jeanne.get('/admin/agents/new');
    const created = await jeanne.post('/admin/agents', {
      email: 'complice@paris.test',
      display_name: 'Complice',
      access: 'password',
      password: PASSWORD,
      role: 'mairie-admin',
      unit: 'paris-12',
    });
    expect(created.status).toBe(403);
    expect(
      await t.kernel.db.selectFrom('accounts').select('id').where('email', '=', 'complice@paris.test').executeTakeFirst(),
    ).toBeUndefined();
  });

  it('creates an agent in their unit; deactivating them ends their live session at once', async () => {
    await jeanne.get('/admin/agents/new');
    const created = await jeanne.post('/admin/agents', {
      email: 'marc@paris.test',
      display_name: 'Marc Onze',
      access: 'password',
      password: PASSWORD,
      role: 'mairie-admin',
      unit: 'paris-11-etat-civil',
    });
    expect(created.status).toBe(303);
    const marcId = await accountId(t.kernel, 'marc@paris.test');
    const marc = await logInAgent(t.app, 'marc@paris.test');
    expect((await marc.get('/admin')).status).toBe(200);

    await jeanne.get(`/admin/agents/${marcId}`);
    const disabled = await jeanne.post(`/admin/agents/${marcId}/disable`);
    expect(disabled.status).toBe(303);
    expect(await status('marc@paris.test')).toBe('disabled');
    expect(await t.kernel.db.selectFrom('sessions').select('id').where('account_id', '=', marcId).execute()).toEqual([]);
    const next = await marc.get('/admin');
    expect(next.status).toBe(303);
    expect(next.location).toBe('/admin/login?next=%2Fadmin');

    const retry = new Visitor(t.app);
    await retry.get('/admin/login');
    const refused = await retry.post('/admin/login', { email: 'marc@paris.test', password: PASSWORD });
    expect(refused.status).toBe(401);
    expect(refused.body).toContain('Adresse e-mail ou mot de passe incorrect');

    await jeanne.get(`/admin/agents/${marcId}`);
    expect((await jeanne.post(`/admin/agents/${marcId}/enable`)).status).toBe(303);
    await logInAgent(t.app, 'marc@paris.test');
  });

  it('cannot deactivate their own account', async () => {
    const me = await accountId(t.kernel, 'jeanne@paris.test');
    await jeanne.get(`/admin/agents/${me}`);
    expect((await jeanne.post(`/admin/agents/${me}/disable`)).status).toBe(403);
    expect(await status('jeanne@paris.test')).toBe('active');
  });

  it('refuses an admin form posted without its CSRF token, or with another browser’s, and changes nothing', async () => {
    await jeanne.get('/admin/units');
    const missing = await jeanne.post(
      '/admin/units',
      { code: 'paris-11-csrf', parent: 'paris-11', name_fr: 'X', name_en: 'X' },
      { csrf: false },
    );
    expect(missing.status).toBe(403);
    const other = await csrfCookieAndToken(t.app, '/admin/login');
    const forged = await jeanne.post('/admin/units', {
      _csrf: other.token,
      code: 'paris-11-csrf',
      parent: 'paris-11',
      name_fr: 'X',
      name_en: 'X',
    });
    expect(forged.status).toBe(403);
    expect(await unitName('paris-11-csrf')).toBeUndefined();
  });

  it('sees in the audit log the entries about their units only', async () => {
    const log = await jeanne.get('/admin/audit');
    expect(log.status).toBe(200);
    expect(log.body).toContain('paris-11-etat-civil');
    expect(log.body).not.toContain('paris-12');
  });
});

describe('the audit log, for an administrator', () => {
  it('lists every action, newest first, and filters them', async () => {
    const page = await admin.get('/admin/audit');
    for (const action of [
      'unit.create',
      'unit.rename',
      'role.create',
      'agent.create',
      'grant.create',
      'agent.disable',
      'agent.enable',
      'login',
      'login.failed',
      'password.changed',
    ]) {
      expect(page.body, action).toContain(`<td>${action}</td>`);
    }
    const grants = await admin.get('/admin/audit?action=grant');
    expect(grants.body).toContain('<td>grant.create</td>');
    expect(grants.body).not.toContain('<td>unit.create</td>');
    const byActor = await admin.get('/admin/audit?actor=JEANNE');
    expect(byActor.body).toContain('agent:jeanne@paris.test');
    expect(byActor.body).not.toContain(`agent:${ADMIN_EMAIL}`);
    expect((await admin.get('/admin/audit?from=2024-13-45')).status).toBe(400);
  });

  it('exports the same search as CSV', async () => {
    const csv = await admin.get('/admin/audit.csv?action=agent');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('at,actor_label,action,resource_type,resource_id,unit_code,ip,details');
    const actions = lines.slice(1).map((l) => l.split(',')[2]);
    expect(actions).toEqual(expect.arrayContaining(['agent.create', 'agent.disable', 'agent.enable']));
    expect(actions.every((a) => a?.startsWith('agent.'))).toBe(true);
    // Decoding the body as text drops the byte-order mark spreadsheets need: check the bytes.
    const raw = await t.app.inject({ url: '/admin/audit.csv', headers: { cookie: `civitas_session=${admin.cookie('civitas_session')}` } });
    expect([...raw.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const exported = await t.kernel.db.selectFrom('audit_log').select('action').where('action', '=', 'audit.export').execute();
    expect(exported.length).toBe(2);
  });
});

describe('failed jobs', () => {
  it('lists dead jobs and replays one, recording who did', async () => {
    const id = newId();
    await t.kernel.db
      .insertInto('jobs')
      .values({
        id,
        name: 'kernel:prune-rate-limits',
        payload: '{"why":"test"}',
        status: 'dead',
        attempts: 5,
        max_attempts: 5,
        run_at: nowIso(),
        lease_until: null,
        locked_by: null,
        last_error: 'Boom: the SMTP server refused',
        unique_key: null,
        created_at: nowIso(),
        updated_at: nowIso(),
      })
      .execute();
    const page = await admin.get('/admin/jobs');
    expect(page.body).toContain('Boom: the SMTP server refused');
    const res = await admin.post(`/admin/jobs/${id}/replay`);
    expect(res.status).toBe(303);
    const job = await t.kernel.db.selectFrom('jobs').select(['status', 'attempts']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(job).toEqual({ status: 'queued', attempts: 0 });
    expect((await admin.post(`/admin/jobs/${id}/replay`)).status).toBe(404);
    const entry = await t.kernel.db
      .selectFrom('audit_log')
      .select(['actor_label', 'resource_id'])
      .where('action', '=', 'job.replay')
      .executeTakeFirstOrThrow();
    expect(entry).toEqual({ actor_label: `agent:${ADMIN_EMAIL}`, resource_id: id });
  });
});
