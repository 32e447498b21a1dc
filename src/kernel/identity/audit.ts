import type { Executor } from '../db/transaction.js';
import { newId, nowIso, toJson } from '../db/values.js';
import type { Actor } from './authorization.js';

export interface AuditEntry {
  actor: Actor | { kind: 'system'; label: string };
  /** A stable code: "login", "login.failed", "grant.create", "unit.create", "report.transition"… */
  action: string;
  resourceType?: string;
  resourceId?: string;
  unitCode?: string;
  ip?: string | null;
  details?: Record<string, unknown>;
}

function actorFields(actor: AuditEntry['actor']): { actor_id: string | null; actor_label: string } {
  if (actor.kind === 'system') return { actor_id: null, actor_label: actor.label };
  if (actor.kind === 'anonymous') return { actor_id: null, actor_label: 'anonymous' };
  // Residents are named by id only, so erasing an account leaves no personal data in this
  // append-only log; agents act professionally and are named by their e-mail.
  const label = actor.kind === 'agent' ? `agent:${actor.account.email}` : `citizen:${actor.account.id}`;
  return { actor_id: actor.account.id, actor_label: label };
}

/**
 * Appends to the audit log, in the caller's transaction so the record and the change it describes
 * commit together. The table is append-only: nothing in the code updates or deletes its rows.
 */
export async function audit(db: Executor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: newId(),
      at: nowIso(),
      ...actorFields(entry.actor),
      action: entry.action,
      resource_type: entry.resourceType ?? null,
      resource_id: entry.resourceId ?? null,
      unit_code: entry.unitCode ?? null,
      ip: entry.ip ?? null,
      details: toJson(entry.details ?? {}),
    })
    .execute();
}
