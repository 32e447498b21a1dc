import { sql } from 'kysely';
import { batchedLookup } from '../db/batched-lookup.js';
import type { Executor } from '../db/transaction.js';
import { fromJson } from '../db/values.js';
import type { Profile } from './citizens/profile.js';
import type { SessionAccount, SessionRow } from './sessions.js';

export interface Grant {
  role: string;
  unit: string;
  /** Path of the unit ("/paris/mairie-11/"): the grant covers it and every unit below it. */
  unitPath: string;
  permissions: ReadonlySet<string>;
}

/** Who is acting: nobody, a resident, or an agent with grants. */
export type Actor =
  | { kind: 'anonymous' }
  | {
      kind: 'citizen';
      account: SessionAccount;
      session: SessionRow;
      /** Read with the session on routes that declare `config.withProfile` (see `readSessionWithProfile`). */
      profile?: Profile & { hasPassword: boolean };
    }
  | { kind: 'agent'; account: SessionAccount; session: SessionRow; grants: Grant[]; admin: boolean };

export const ANONYMOUS: Actor = { kind: 'anonymous' };

/** What a permission is checked against: the unit the resource belongs to, as a path. */
export interface ResourceScope {
  unitPath?: string | null;
}

/**
 * The one authorization rule, for routes, pages, menus and APIs alike: an agent may use a
 * permission on a resource when one of their roles includes it in the resource's unit or a unit
 * above it. Without a resource, holding the permission in any unit suffices (to list one's queue).
 * Administrators may do everything.
 */
export function can(actor: Actor, permission: string, resource?: ResourceScope): boolean {
  if (actor.kind !== 'agent') return false;
  if (actor.admin) return true;
  return actor.grants.some(
    (g) => g.permissions.has(permission) && (resource === undefined || resource.unitPath?.startsWith(g.unitPath) === true),
  );
}

/** A route's or menu entry's rule: the permission, or any one of several, in some unit. */
export type PermissionRule = string | readonly string[];

/** Whether the actor holds the permission, or one of the permissions, in some unit. */
export function holds(actor: Actor, rule: PermissionRule): boolean {
  return typeof rule === 'string' ? can(actor, rule) : rule.some((permission) => can(actor, permission));
}

/** The units (as paths) in which the actor holds a permission: to filter lists by unit in SQL. */
export function scopesOf(actor: Actor, permission: string): string[] | 'all' {
  if (actor.kind !== 'agent') return [];
  if (actor.admin) return 'all';
  return actor.grants.filter((g) => g.permissions.has(permission)).map((g) => g.unitPath);
}

// Read on every agent's request: compiled once, batched per event-loop turn (see batchedLookup).
const selectGrants = batchedLookup(
  'grants',
  (_engine, match) => sql<{ account_id: string; role_code: string; unit_code: string; path: string; permissions: string }>`
    select g.account_id, g.role_code, g.unit_code, u.path, r.permissions
    from grants g join roles r on r.code = g.role_code join units u on u.code = g.unit_code
    where g.account_id ${match}`,
  (row) => row.account_id,
);

export async function loadGrants(db: Executor, accountId: string): Promise<Grant[]> {
  const rows = await selectGrants(db, accountId);
  return rows.map((r) => ({
    role: r.role_code,
    unit: r.unit_code,
    unitPath: r.path,
    permissions: new Set(fromJson<string[]>(r.permissions, [])),
  }));
}
