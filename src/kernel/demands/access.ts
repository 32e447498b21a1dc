import { HttpError } from '../http/errors.js';
import { type Actor, can, scopesOf } from '../identity/authorization.js';
import type { Kernel } from '../kernel.js';
import type { DemandScopes, DemandSummary } from './queries.js';

/** Per demand type, the units where the agent holds the type's permission: to filter lists in SQL. */
export function demandAccess(kernel: Pick<Kernel, 'demandTypes'>, actor: Actor): DemandScopes {
  return [...kernel.demandTypes.values()].map((d) => ({ type: d.type, scopes: scopesOf(actor, d.permission) }));
}

/** Refuses an agent a demand outside the units where they hold its type's permission. */
export function assertMayHandle(kernel: Pick<Kernel, 'demandTypes'>, actor: Actor, demand: DemandSummary): void {
  const type = kernel.demandTypes.get(demand.type);
  if (!type || !can(actor, type.permission, { unitPath: demand.unitPath })) {
    throw new HttpError(403, 'auth.out-of-unit', 'You may not see this request: it belongs to another unit or service.');
  }
}
