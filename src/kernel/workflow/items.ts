import type { Selectable } from 'kysely';
import type { Executor } from '../db/transaction.js';
import type { WorkflowItemsTable } from './migrations.js';

export interface WorkflowItem {
  id: string;
  workflow: string;
  version: number;
  subject: string;
  state: string;
  unitPath: string | null;
  accountId: string | null;
  demandId: string | null;
  revision: number;
  deadlineAt: string | null;
  stateEnteredAt: string;
  archivedAt: string | null;
  anonymisedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What tasks change on the item besides its state; applied by the engine after the tasks ran. */
export interface ItemPatch {
  unitPath?: string | null;
  deadlineAt?: string | null;
  archivedAt?: string;
  anonymise?: true;
}

export function toItem(row: Selectable<WorkflowItemsTable>): WorkflowItem {
  return {
    id: row.id,
    workflow: row.workflow,
    version: Number(row.version),
    subject: row.subject,
    state: row.state,
    unitPath: row.unit_path,
    accountId: row.account_id,
    demandId: row.demand_id,
    revision: Number(row.revision),
    deadlineAt: row.deadline_at,
    stateEnteredAt: row.state_entered_at,
    archivedAt: row.archived_at,
    anonymisedAt: row.anonymised_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function findItem(executor: Executor, id: string): Promise<WorkflowItem | null> {
  const row = await executor.selectFrom('workflow_items').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toItem(row) : null;
}

export async function findItemBySubject(executor: Executor, subject: string): Promise<WorkflowItem | null> {
  const row = await executor.selectFrom('workflow_items').selectAll().where('subject', '=', subject).executeTakeFirst();
  return row ? toItem(row) : null;
}

export interface HistoryEntry {
  id: string;
  action: string | null;
  from: string | null;
  to: string;
  actorId: string | null;
  actorKind: 'agent' | 'citizen' | 'system';
  actorName: string | null;
  comment: string | null;
  fields: Record<string, unknown>;
  at: string;
}

/** The item's history, oldest first, with the name of each acting person. */
export async function itemHistory(executor: Executor, itemId: string): Promise<HistoryEntry[]> {
  const rows = await executor
    .selectFrom('workflow_history as h')
    .leftJoin('accounts as a', 'a.id', 'h.actor_id')
    .select([
      'h.id',
      'h.action',
      'h.from_state',
      'h.to_state',
      'h.actor_id',
      'h.actor_kind',
      'h.comment',
      'h.fields',
      'h.at',
      'a.display_name',
    ])
    .where('h.item_id', '=', itemId)
    .orderBy('h.at')
    .orderBy('h.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    from: r.from_state,
    to: r.to_state,
    actorId: r.actor_id,
    actorKind: r.actor_kind,
    actorName: r.display_name ?? null,
    comment: r.comment,
    fields: JSON.parse(r.fields) as Record<string, unknown>,
    at: r.at,
  }));
}
