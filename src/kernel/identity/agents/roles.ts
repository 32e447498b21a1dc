import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { fromJson, nowIso, toJson } from '../../db/values.js';
import type { FieldProblem } from '../../http/errors.js';
import type { Localized } from '../../i18n/types.js';
import { audit } from '../audit.js';
import { type Actor, can } from '../authorization.js';
import { type Acting, forbidden, invalidForm, notFound } from './acting.js';

export interface Role {
  code: string;
  name: Localized;
  permissions: string[];
}

export interface RoleInput {
  name: Localized;
  permissions: string[];
}

const CODE = /^[a-z0-9][a-z0-9-]{0,62}$/;
const NAME_MAX = 200;

export async function listRoles(db: Db): Promise<Role[]> {
  const rows = await db.selectFrom('roles').selectAll().orderBy('code').execute();
  return rows.map((r) => ({ code: r.code, name: { fr: r.name_fr, en: r.name_en }, permissions: fromJson<string[]>(r.permissions, []) }));
}

export async function roleFor(db: Db, code: string): Promise<Role> {
  const role = (await listRoles(db)).find((r) => r.code === code);
  if (!role) throw notFound(`No role "${code}".`);
  return role;
}

function problemsOf(input: RoleInput, known: readonly string[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const lang of ['fr', 'en'] as const) {
    const name = input.name[lang].trim();
    if (!name || name.length > NAME_MAX) problems.push({ field: `name_${lang}`, message: 'admin.errors.name-required' });
  }
  if (input.permissions.some((p) => !known.includes(p)))
    problems.push({ field: 'permissions', message: 'admin.errors.permission-unknown' });
  return problems;
}

/**
 * A role is the same in every unit it is granted in, so changing it changes what its holders may do
 * there. Without being an administrator, one may put in or take out only permissions one holds in
 * every unit where the role is granted (or, for a role granted nowhere yet, in some unit).
 */
async function assertMayChange(db: Db, actor: Actor, code: string, changed: string[]): Promise<void> {
  const grantedIn = await db
    .selectFrom('grants')
    .innerJoin('units', 'units.code', 'grants.unit_code')
    .select('units.path')
    .distinct()
    .where('grants.role_code', '=', code)
    .execute();
  const missing = changed.filter((p) => (grantedIn.length ? grantedIn.some((g) => !can(actor, p, { unitPath: g.path })) : !can(actor, p)));
  if (missing.length)
    throw forbidden(
      'admin.escalation',
      `You cannot give or take permissions you do not hold wherever this role applies: ${missing.join(', ')}.`,
    );
}

export async function createRole(db: Db, who: Acting, code: string, input: RoleInput, known: readonly string[]): Promise<void> {
  const problems = problemsOf(input, known);
  // "new" is the address of the creation form.
  if (!CODE.test(code) || code === 'new') problems.unshift({ field: 'code', message: 'admin.errors.code-invalid' });
  if (problems.length) throw invalidForm(problems);
  if (await db.selectFrom('roles').select('code').where('code', '=', code).executeTakeFirst()) {
    throw invalidForm([{ field: 'code', message: 'admin.errors.code-taken' }]);
  }
  const permissions = [...new Set(input.permissions)].sort();
  await assertMayChange(db, who.actor, code, permissions);
  await inTransaction(db, async (trx) => {
    const now = nowIso();
    await trx
      .insertInto('roles')
      .values({
        code,
        name_fr: input.name.fr.trim(),
        name_en: input.name.en.trim(),
        permissions: toJson(permissions),
        created_at: now,
        updated_at: now,
      })
      .execute();
    await audit(trx, {
      actor: who.actor,
      action: 'role.create',
      resourceType: 'role',
      resourceId: code,
      ip: who.ip,
      details: { permissions },
    });
  });
}

export async function updateRole(db: Db, who: Acting, code: string, input: RoleInput, known: readonly string[]): Promise<void> {
  const role = await roleFor(db, code);
  const problems = problemsOf(input, known);
  if (problems.length) throw invalidForm(problems);
  // Permissions of modules the city has since disabled are not in the form: keep them.
  const kept = role.permissions.filter((p) => !known.includes(p));
  const permissions = [...new Set([...input.permissions, ...kept])].sort();
  const added = permissions.filter((p) => !role.permissions.includes(p));
  const removed = role.permissions.filter((p) => !permissions.includes(p));
  await assertMayChange(db, who.actor, code, [...added, ...removed]);
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('roles')
      .set({ name_fr: input.name.fr.trim(), name_en: input.name.en.trim(), permissions: toJson(permissions), updated_at: nowIso() })
      .where('code', '=', code)
      .execute();
    await audit(trx, {
      actor: who.actor,
      action: 'role.update',
      resourceType: 'role',
      resourceId: code,
      ip: who.ip,
      details: { added, removed, name: { from: role.name, to: { fr: input.name.fr.trim(), en: input.name.en.trim() } } },
    });
  });
}
