import type { Db } from '../../db/database.js';
import { inTransaction, type Trx } from '../../db/transaction.js';
import { fromJson, newId, nowIso } from '../../db/values.js';
import type { FieldProblem } from '../../http/errors.js';
import type { Localized } from '../../i18n/types.js';
import { normalizeEmail } from '../accounts.js';
import { audit } from '../audit.js';
import { type Actor, can } from '../authorization.js';
import { hashPassword, passwordProblem } from '../password.js';
import { closeAllSessions } from '../sessions.js';
import { type Acting, forbidden, invalidForm, notFound } from './acting.js';
import { createSetPasswordToken } from './set-password.js';

export interface AgentGrant {
  id: string;
  roleCode: string;
  roleName: Localized;
  unitCode: string;
  unitName: Localized;
  unitPath: string;
  permissions: string[];
}

export interface Agent {
  id: string;
  email: string;
  displayName: string;
  status: 'active' | 'disabled' | 'deleted';
  isAdmin: boolean;
  totpEnabled: boolean;
  lastLoginAt: string | null;
  grants: AgentGrant[];
}

const NAME_MAX = 200;

async function loadAgents(db: Db, id?: string): Promise<Agent[]> {
  let accounts = db
    .selectFrom('accounts')
    .select(['id', 'email', 'display_name', 'status', 'is_admin', 'totp_enabled_at', 'last_login_at'])
    .where('kind', '=', 'agent')
    .orderBy('email');
  if (id) accounts = accounts.where('id', '=', id);
  let grants = db
    .selectFrom('grants')
    .innerJoin('roles', 'roles.code', 'grants.role_code')
    .innerJoin('units', 'units.code', 'grants.unit_code')
    .select([
      'grants.id',
      'grants.account_id',
      'grants.role_code',
      'roles.name_fr as role_fr',
      'roles.name_en as role_en',
      'roles.permissions',
      'grants.unit_code',
      'units.name_fr as unit_fr',
      'units.name_en as unit_en',
      'units.path',
    ])
    .orderBy('units.path')
    .orderBy('grants.role_code');
  if (id) grants = grants.where('grants.account_id', '=', id);
  const byAccount = new Map<string, AgentGrant[]>();
  for (const g of await grants.execute()) {
    const list = byAccount.get(g.account_id) ?? [];
    list.push({
      id: g.id,
      roleCode: g.role_code,
      roleName: { fr: g.role_fr, en: g.role_en },
      unitCode: g.unit_code,
      unitName: { fr: g.unit_fr, en: g.unit_en },
      unitPath: g.path,
      permissions: fromJson<string[]>(g.permissions, []),
    });
    byAccount.set(g.account_id, list);
  }
  return (await accounts.execute()).map((a) => ({
    id: a.id,
    email: a.email,
    displayName: a.display_name,
    status: a.status,
    isAdmin: a.is_admin === 1,
    totpEnabled: !!a.totp_enabled_at,
    lastLoginAt: a.last_login_at,
    grants: byAccount.get(a.id) ?? [],
  }));
}

/**
 * Whether the actor may see and manage an agent: administrators manage everyone; an agent holding
 * `admin.agents` manages the agents whose every grant lies within their units, so that the 11th
 * arrondissement's manager cannot touch someone who also works for the 12th, nor an administrator.
 */
export function manages(actor: Actor, agent: Pick<Agent, 'isAdmin' | 'grants'>): boolean {
  if (actor.kind === 'agent' && actor.admin) return true;
  return !agent.isAdmin && agent.grants.length > 0 && agent.grants.every((g) => can(actor, 'admin.agents', { unitPath: g.unitPath }));
}

export async function listAgents(db: Db, actor: Actor): Promise<Agent[]> {
  return (await loadAgents(db)).filter((a) => manages(actor, a));
}

/** One agent, if the actor manages them: unknown → 404, someone else's → 403. */
export async function agentFor(db: Db, actor: Actor, id: string): Promise<Agent> {
  const [agent] = await loadAgents(db, id);
  if (!agent) throw notFound(`No agent ${id}.`);
  if (!manages(actor, agent)) throw forbidden('admin.out-of-scope', 'This agent works in units you do not manage.');
  return agent;
}

/**
 * No privilege escalation: one may grant a role in a unit only where one manages agents, and only
 * if one holds each of the role's permissions there oneself. Revoking follows the same rule.
 */
function assertMayGrant(actor: Actor, unitPath: string, permissions: readonly string[]): void {
  if (!can(actor, 'admin.agents', { unitPath }))
    throw forbidden('admin.out-of-scope', 'You may only grant or revoke roles within the units you manage.');
  const missing = permissions.filter((p) => !can(actor, p, { unitPath }));
  if (missing.length)
    throw forbidden('admin.escalation', `You cannot grant permissions you do not hold in this unit: ${missing.join(', ')}.`);
}

async function roleAndUnit(db: Db, roleCode: string, unitCode: string) {
  const role = roleCode
    ? await db.selectFrom('roles').select(['code', 'permissions']).where('code', '=', roleCode).executeTakeFirst()
    : undefined;
  const unit = unitCode ? await db.selectFrom('units').select(['code', 'path']).where('code', '=', unitCode).executeTakeFirst() : undefined;
  const problems: FieldProblem[] = [];
  if (!role) problems.push({ field: 'role', message: 'admin.errors.role-required' });
  if (!unit) problems.push({ field: 'unit', message: 'admin.errors.unit-required' });
  if (!role || !unit) throw invalidForm(problems);
  return { role: { code: role.code, permissions: fromJson<string[]>(role.permissions, []) }, unit };
}

async function insertGrant(trx: Trx, who: Acting, accountId: string, roleCode: string, unit: { code: string }): Promise<void> {
  const id = newId();
  await trx
    .insertInto('grants')
    .values({
      id,
      account_id: accountId,
      role_code: roleCode,
      unit_code: unit.code,
      granted_by: who.actor.account.id,
      created_at: nowIso(),
    })
    .execute();
  await audit(trx, {
    actor: who.actor,
    action: 'grant.create',
    resourceType: 'grant',
    resourceId: id,
    unitCode: unit.code,
    ip: who.ip,
    details: { account: accountId, role: roleCode },
  });
}

export interface NewAgent {
  email: string;
  displayName: string;
  /** An initial password the administrator passes on, or none: the agent gets a set-password link. */
  password?: string;
  role?: string;
  unit?: string;
}

/**
 * Creates an agent, with a first role in a unit (required unless the actor is an administrator: an
 * agent without grants would be out of everyone's reach but the administrators'). Returns the
 * set-password link's token when no password was given.
 */
export async function createAgent(db: Db, who: Acting, input: NewAgent): Promise<{ id: string; setPasswordToken?: string }> {
  const email = normalizeEmail(input.email);
  const displayName = input.displayName.trim();
  const problems: FieldProblem[] = [];
  if (!email) problems.push({ field: 'email', message: 'admin.errors.email-invalid' });
  if (!displayName || displayName.length > NAME_MAX) problems.push({ field: 'display_name', message: 'admin.errors.name-required' });
  const weak = input.password === undefined ? undefined : passwordProblem(input.password);
  if (weak) problems.push({ field: 'password', message: `admin.errors.${weak}` });
  if (!input.role && !input.unit && !who.actor.admin) problems.push({ field: 'role', message: 'admin.errors.grant-required' });
  if (problems.length || !email) throw invalidForm(problems);
  const grant = input.role || input.unit ? await roleAndUnit(db, input.role ?? '', input.unit ?? '') : undefined;
  if (grant) assertMayGrant(who.actor, grant.unit.path, grant.role.permissions);
  const taken = await db.selectFrom('accounts').select('id').where('kind', '=', 'agent').where('email', '=', email).executeTakeFirst();
  if (taken) throw invalidForm([{ field: 'email', message: 'admin.errors.email-taken' }]);

  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  return inTransaction(db, async (trx) => {
    const id = newId();
    const now = nowIso();
    await trx
      .insertInto('accounts')
      .values({
        id,
        kind: 'agent',
        email,
        password_hash: passwordHash,
        display_name: displayName,
        status: 'active',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await audit(trx, {
      actor: who.actor,
      action: 'agent.create',
      resourceType: 'account',
      resourceId: id,
      unitCode: grant?.unit.code,
      ip: who.ip,
      details: { email, passwordSet: passwordHash !== null },
    });
    if (grant) await insertGrant(trx, who, id, grant.role.code, grant.unit);
    return passwordHash === null ? { id, setPasswordToken: await createSetPasswordToken(trx, id) } : { id };
  });
}

export async function grantRole(db: Db, who: Acting, agentId: string, input: { role: string; unit: string }): Promise<void> {
  await agentFor(db, who.actor, agentId);
  const { role, unit } = await roleAndUnit(db, input.role, input.unit);
  assertMayGrant(who.actor, unit.path, role.permissions);
  const exists = await db
    .selectFrom('grants')
    .select('id')
    .where('account_id', '=', agentId)
    .where('role_code', '=', role.code)
    .where('unit_code', '=', unit.code)
    .executeTakeFirst();
  if (exists) throw invalidForm([{ field: 'role', message: 'admin.errors.grant-exists' }]);
  await inTransaction(db, (trx) => insertGrant(trx, who, agentId, role.code, unit));
}

export async function revokeGrant(db: Db, who: Acting, agentId: string, grantId: string): Promise<void> {
  const agent = await agentFor(db, who.actor, agentId);
  const grant = agent.grants.find((g) => g.id === grantId);
  if (!grant) throw notFound(`No grant ${grantId} for this agent.`);
  assertMayGrant(who.actor, grant.unitPath, grant.permissions);
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('grants').where('id', '=', grant.id).execute();
    await audit(trx, {
      actor: who.actor,
      action: 'grant.revoke',
      resourceType: 'grant',
      resourceId: grant.id,
      unitCode: grant.unitCode,
      ip: who.ip,
      details: { account: agentId, role: grant.roleCode },
    });
  });
}

/** Deactivating ends every session of the agent in the same transaction: their next request is anonymous. */
export async function setAgentStatus(db: Db, who: Acting, agentId: string, status: 'active' | 'disabled'): Promise<void> {
  const agent = await agentFor(db, who.actor, agentId);
  if (agent.id === who.actor.account.id) throw forbidden('admin.own-account', 'You cannot deactivate or reactivate your own account.');
  if (agent.status === status) return;
  if (agent.status === 'deleted') throw notFound('This account was deleted.');
  await inTransaction(db, async (trx) => {
    await trx.updateTable('accounts').set({ status, updated_at: nowIso() }).where('id', '=', agent.id).execute();
    const closed = status === 'disabled' ? await closeAllSessions(trx, agent.id) : 0;
    await audit(trx, {
      actor: who.actor,
      action: status === 'disabled' ? 'agent.disable' : 'agent.enable',
      resourceType: 'account',
      resourceId: agent.id,
      ip: who.ip,
      details: status === 'disabled' ? { sessionsClosed: closed } : {},
    });
  });
}
