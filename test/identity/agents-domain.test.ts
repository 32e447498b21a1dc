import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpError } from '../../src/kernel/http/errors.js';
import type { Acting } from '../../src/kernel/identity/agents/acting.js';
import {
  agentFor,
  createAgent,
  grantRole,
  listAgents,
  manages,
  revokeGrant,
  setAgentStatus,
} from '../../src/kernel/identity/agents/agents.js';
import { safeNext } from '../../src/kernel/identity/agents/login.js';
import { consumeRecoveryCode, newRecoveryCodes } from '../../src/kernel/identity/agents/recovery-codes.js';
import { createRole, updateRole } from '../../src/kernel/identity/agents/roles.js';
import { claimStep, matchingStep, newTotpSecret } from '../../src/kernel/identity/agents/totp.js';
import { createUnitAs, renameUnitAs, unitsWhere } from '../../src/kernel/identity/agents/unit-admin.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { agentActor, createTestAdmin, PASSWORD, totpCode } from './agents-fixtures.js';

/** The back office's rules as plain functions, without HTTP. */
let t: TestApp;
let admin: Acting;
let known: string[];
const ids: Record<string, string> = {};
const as = async (name: string): Promise<Acting> => ({ actor: await agentActor(t.kernel, ids[name] as string), ip: '127.0.0.1' });
const status = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (err: HttpError) => err.statusCode ?? err,
  );
const count = async (table: 'grants' | 'roles' | 'units' | 'accounts' | 'audit_log') =>
  Number(
    (
      await t.kernel.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  t = await createTestApp();
  known = t.kernel.permissions.map((p) => p.code);
  admin = { actor: await agentActor(t.kernel, await createTestAdmin(t.kernel)), ip: '127.0.0.1' };
  await createUnitAs(t.kernel.db, admin, { code: 'city', parentCode: null, name: { fr: 'Ville', en: 'City' } });
  for (const code of ['d1', 'd2']) await createUnitAs(t.kernel.db, admin, { code, parentCode: 'city', name: { fr: code, en: code } });
  await createRole(
    t.kernel.db,
    admin,
    'manager',
    { name: { fr: 'Gestion', en: 'Manager' }, permissions: ['admin.agents', 'admin.units', 'admin.roles'] },
    known,
  );
  await createRole(t.kernel.db, admin, 'auditor', { name: { fr: 'Audit', en: 'Auditor' }, permissions: ['admin.audit'] }, known);
  await createRole(t.kernel.db, admin, 'viewer', { name: { fr: 'Vue', en: 'Viewer' }, permissions: ['citizens.view'] }, known);
  const agent = async (name: string, role: string, unit: string) => {
    ids[name] = (
      await createAgent(t.kernel.db, admin, { email: `${name}@city.test`, displayName: name, password: PASSWORD, role, unit })
    ).id;
  };
  await agent('m1', 'manager', 'd1');
  await agent('v1', 'viewer', 'd1');
  await agent('v2', 'viewer', 'd2');
  await agent('both', 'viewer', 'd1');
  await grantRole(t.kernel.db, admin, ids.both as string, { role: 'viewer', unit: 'd2' });
  await grantRole(t.kernel.db, admin, ids.m1 as string, { role: 'viewer', unit: 'd1' });
});
afterAll(async () => t?.close());

describe('managing agents within one’s units', () => {
  it('lists the agents whose every grant lies within the manager’s units', async () => {
    const m1 = await as('m1');
    const emails = (await listAgents(t.kernel.db, m1.actor)).map((a) => a.email);
    expect(emails).toEqual(['m1@city.test', 'v1@city.test']);
    expect(manages(m1.actor, { isAdmin: false, grants: [] })).toBe(false);
    expect(await status(agentFor(t.kernel.db, m1.actor, ids.both as string))).toBe(403);
    expect(await status(agentFor(t.kernel.db, m1.actor, '0'.repeat(28)))).toBe(404);
  });

  it('refuses every escalation: other units, permissions not held, grants made above', async () => {
    const m1 = await as('m1');
    const before = { grants: await count('grants'), audit: await count('audit_log') };
    expect(await status(grantRole(t.kernel.db, m1, ids.v1 as string, { role: 'viewer', unit: 'd2' }))).toBe(403);
    expect(await status(grantRole(t.kernel.db, m1, ids.v1 as string, { role: 'auditor', unit: 'd1' }))).toBe(403);
    expect(await status(grantRole(t.kernel.db, m1, ids.m1 as string, { role: 'manager', unit: 'city' }))).toBe(403);
    expect(await status(grantRole(t.kernel.db, m1, ids.v2 as string, { role: 'viewer', unit: 'd1' }))).toBe(403);
    const adminGrant = (await agentFor(t.kernel.db, admin.actor, ids.both as string)).grants[0]?.id as string;
    expect(await status(revokeGrant(t.kernel.db, m1, ids.both as string, adminGrant))).toBe(403);
    expect(await status(setAgentStatus(t.kernel.db, m1, ids.v2 as string, 'disabled'))).toBe(403);
    expect(await status(setAgentStatus(t.kernel.db, m1, ids.m1 as string, 'disabled'))).toBe(403);
    expect(await status(createAgent(t.kernel.db, m1, { email: 'x@city.test', displayName: 'X', role: 'auditor', unit: 'd1' }))).toBe(403);
    expect(await status(createAgent(t.kernel.db, m1, { email: 'y@city.test', displayName: 'Y' }))).toBe(400);
    expect({ grants: await count('grants'), audit: await count('audit_log') }).toEqual(before);
  });

  it('grants, revokes and deactivates within the unit, each with its audit entry', async () => {
    const m1 = await as('m1');
    await grantRole(t.kernel.db, m1, ids.v1 as string, { role: 'manager', unit: 'd1' });
    expect(await status(grantRole(t.kernel.db, m1, ids.v1 as string, { role: 'manager', unit: 'd1' }))).toBe(400);
    const grant = (await agentFor(t.kernel.db, m1.actor, ids.v1 as string)).grants.find((g) => g.roleCode === 'manager');
    await revokeGrant(t.kernel.db, m1, ids.v1 as string, grant?.id as string);
    await setAgentStatus(t.kernel.db, m1, ids.v1 as string, 'disabled');
    const actions = await t.kernel.db
      .selectFrom('audit_log')
      .select(['action', 'unit_code', 'actor_label'])
      .where('actor_label', '=', 'agent:m1@city.test')
      // Entries of the same millisecond have ids in random order: compare by action.
      .orderBy('action')
      .execute();
    expect(actions).toEqual([
      { action: 'agent.disable', unit_code: null, actor_label: 'agent:m1@city.test' },
      { action: 'grant.create', unit_code: 'd1', actor_label: 'agent:m1@city.test' },
      { action: 'grant.revoke', unit_code: 'd1', actor_label: 'agent:m1@city.test' },
    ]);
    await setAgentStatus(t.kernel.db, m1, ids.v1 as string, 'active');
  });

  it('validates a new agent’s fields all at once', async () => {
    const err = await createAgent(t.kernel.db, admin, { email: 'not-an-email', displayName: ' ', password: 'short' }).catch(
      (e: HttpError) => e,
    );
    expect((err as HttpError).fields.map((f) => f.field)).toEqual(['email', 'display_name', 'password']);
    expect(await status(createAgent(t.kernel.db, admin, { email: 'M1@city.test', displayName: 'Again', password: PASSWORD }))).toBe(400);
  });
});

describe('roles and units', () => {
  it('lets a non-administrator change a role only with permissions held wherever it is granted', async () => {
    const m1 = await as('m1');
    // m1 holds admin.roles in d1 only; "viewer" is also granted in d2.
    expect(
      await status(
        updateRole(t.kernel.db, m1, 'viewer', { name: { fr: 'Vue', en: 'Viewer' }, permissions: ['citizens.view', 'admin.units'] }, known),
      ),
    ).toBe(403);
    expect(await status(createRole(t.kernel.db, m1, 'sneaky', { name: { fr: 'S', en: 'S' }, permissions: ['admin.jobs'] }, known))).toBe(
      403,
    );
    await createRole(t.kernel.db, m1, 'clerk', { name: { fr: 'Guichet', en: 'Clerk' }, permissions: ['admin.units'] }, known);
    expect(await status(createRole(t.kernel.db, admin, 'bad', { name: { fr: 'B', en: 'B' }, permissions: ['no.such'] }, known))).toBe(400);
    expect(await status(createRole(t.kernel.db, admin, 'new', { name: { fr: 'B', en: 'B' }, permissions: [] }, known))).toBe(400);
  });

  it('keeps permissions of modules disabled since', async () => {
    await t.kernel.db
      .updateTable('roles')
      .set({ permissions: '["citizens.view","reports.triage"]' })
      .where('code', '=', 'viewer')
      .execute();
    await updateRole(t.kernel.db, admin, 'viewer', { name: { fr: 'Vue', en: 'Viewer' }, permissions: ['citizens.view'] }, known);
    const row = await t.kernel.db.selectFrom('roles').select('permissions').where('code', '=', 'viewer').executeTakeFirstOrThrow();
    expect(JSON.parse(row.permissions)).toEqual(['citizens.view', 'reports.triage']);
  });

  it('creates and renames units only within one’s own', async () => {
    const m1 = await as('m1');
    await createUnitAs(t.kernel.db, m1, { code: 'd1-a', parentCode: 'd1', name: { fr: 'A', en: 'A' } });
    expect(await status(createUnitAs(t.kernel.db, m1, { code: 'd2-a', parentCode: 'd2', name: { fr: 'A', en: 'A' } }))).toBe(403);
    expect(await status(createUnitAs(t.kernel.db, m1, { code: 'top', parentCode: null, name: { fr: 'T', en: 'T' } }))).toBe(403);
    expect(await status(renameUnitAs(t.kernel.db, m1, 'city', { fr: 'X', en: 'X' }))).toBe(403);
    expect(await status(renameUnitAs(t.kernel.db, m1, 'd1-a', { fr: '', en: 'A' }))).toBe(400);
    expect(await status(createUnitAs(t.kernel.db, admin, { code: 'd1-a', parentCode: 'city', name: { fr: 'A', en: 'A' } }))).toBe(409);
    expect((await unitsWhere(t.kernel.db, m1.actor, 'admin.units')).map((u) => u.code)).toEqual(['d1', 'd1-a']);
  });
});

describe('second factor primitives', () => {
  it('accepts a TOTP code one step either side of now, and each step once, in order', async () => {
    const secret = newTotpSecret();
    const now = Date.now();
    const step = Math.floor(now / 30_000);
    expect(matchingStep(secret, totpCode(secret), now)).toBe(step);
    expect(matchingStep(secret, totpCode(secret, -1), now)).toBe(step - 1);
    expect(matchingStep(secret, totpCode(secret, 2), now)).toBeNull();
    expect(matchingStep(secret, 'abcdef', now)).toBeNull();
    const id = ids.v2 as string;
    expect(await claimStep(t.kernel.db, id, step)).toBe(true);
    expect(await claimStep(t.kernel.db, id, step)).toBe(false);
    expect(await claimStep(t.kernel.db, id, step - 1)).toBe(false);
    expect(await claimStep(t.kernel.db, id, step + 1)).toBe(true);
  });

  it('accepts a recovery code once, even sent twice at the same moment', async () => {
    const { codes, stored } = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    const id = ids.v2 as string;
    await t.kernel.db.updateTable('accounts').set({ recovery_codes: stored }).where('id', '=', id).execute();
    const results = await Promise.all([
      consumeRecoveryCode(t.kernel.db, id, codes[0] as string),
      consumeRecoveryCode(t.kernel.db, id, codes[0] as string),
    ]);
    expect(results.sort()).toEqual([false, true]);
    expect(await consumeRecoveryCode(t.kernel.db, id, 'aaaa-bbbb-cccc-dddd')).toBe(false);
    expect(await consumeRecoveryCode(t.kernel.db, id, codes[1] as string)).toBe(true);
  });

  it('only follows `next` to the back office', () => {
    expect(safeNext('/admin/agents?x=1')).toBe('/admin/agents?x=1');
    for (const bad of ['https://evil.example', '//evil.example', '/admin\\@evil', '/adminx', '/admin/login?next=/admin', 42, undefined]) {
      expect(safeNext(bad), String(bad)).toBeUndefined();
    }
  });
});
