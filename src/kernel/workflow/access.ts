import { HttpError } from '../http/errors.js';
import { type Actor, can, scopesOf } from '../identity/authorization.js';
import type { Workflow } from './definition.js';
import type { WorkflowItem } from './items.js';

/** The permissions that run a workflow's agent actions: holding one lets an agent see its items. */
export function workflowPermissions(wf: Workflow): string[] {
  return [...new Set(Object.values(wf.actions).flatMap((a) => (a.permission ? [a.permission] : [])))];
}

/** The units (paths) whose items of this workflow the agent may see, or 'all'. */
export function itemScopes(actor: Actor, wf: Workflow): string[] | 'all' {
  const scopes = new Set<string>();
  for (const p of workflowPermissions(wf)) {
    const s = scopesOf(actor, p);
    if (s === 'all') return 'all';
    for (const path of s) scopes.add(path);
  }
  return [...scopes];
}

export function assertMayWork(actor: Actor, wf: Workflow, item: WorkflowItem): void {
  if (!workflowPermissions(wf).some((p) => can(actor, p, { unitPath: item.unitPath }))) {
    throw new HttpError(403, 'auth.out-of-unit', 'You may not see this item: it belongs to another unit or service.');
  }
}
