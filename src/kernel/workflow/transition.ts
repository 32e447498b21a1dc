import { sql } from 'kysely';
import { type Executor, inTransaction, type Trx } from '../db/transaction.js';
import { newId, nowIso, toJson } from '../db/values.js';
import { createDemand, updateDemand } from '../demands/demands.js';
import { HttpError } from '../http/errors.js';
import type { Actor } from '../identity/authorization.js';
import { can } from '../identity/authorization.js';
import type { Kernel } from '../kernel.js';
import { type ActionDefinition, durationMs, type Workflow } from './definition.js';
import { type ActionInput, readActionFields } from './fields.js';
import { findItem, type ItemPatch, toItem, type WorkflowItem } from './items.js';
import { runTasks } from './tasks.js';

export const WORKFLOW_TIMER_JOB = 'kernel:workflow-timer';
/** Automatic actions may chain (submitted → accepted → archived), but never loop forever. */
const MAX_AUTOMATIC_CHAIN = 10;

/** Who runs an action: an agent or resident (the request's actor), or the platform itself. */
export type Runner = Actor | 'system';

export interface StartInput {
  workflow: string;
  subject: string;
  unitPath: string | null;
  /** The resident the item belongs to. */
  accountId?: string | null;
  /** Registers the item on the resident's dashboard. */
  demand?: { type: string; title: string; link: string; reference?: string };
  /** Who created it (null: the resident of `accountId`, or the system). */
  actorId?: string | null;
}

/**
 * Starts an item in the latest version of a workflow, in the caller's transaction: its initial
 * state and history entry, its demand, its timers, and the automatic actions of its initial state.
 */
export async function startItem(trx: Trx, kernel: Kernel, input: StartInput): Promise<WorkflowItem> {
  const wf = kernel.workflows.latest(input.workflow);
  const state = wf.states[wf.initial]!;
  const now = nowIso();
  const id = newId();
  let demandId: string | null = null;
  if (input.demand && input.accountId) {
    demandId = (
      await createDemand(trx, kernel, {
        type: input.demand.type,
        accountId: input.accountId,
        title: input.demand.title,
        link: input.demand.link,
        reference: input.demand.reference,
        subject: input.subject,
        unitPath: input.unitPath,
        status: state.status,
        stateLabel: state.public ? state.label : null,
        step: state.step ?? null,
        steps: stepsOf(wf),
        nextAction: state.citizenAction ?? null,
      })
    ).id;
  }
  const row = {
    id,
    workflow: wf.code,
    version: wf.version,
    subject: input.subject,
    state: wf.initial,
    unit_path: input.unitPath,
    account_id: input.accountId ?? null,
    demand_id: demandId,
    revision: 1,
    deadline_at: null,
    state_entered_at: now,
    archived_at: null,
    anonymised_at: null,
    created_at: now,
    updated_at: now,
  };
  await trx.insertInto('workflow_items').values(row).execute();
  const actorId = input.actorId ?? input.accountId ?? null;
  await trx
    .insertInto('workflow_history')
    .values({
      id: newId(),
      item_id: id,
      action: null,
      from_state: null,
      to_state: wf.initial,
      actor_id: actorId,
      actor_kind: actorId ? (input.actorId ? 'agent' : 'citizen') : 'system',
      comment: null,
      fields: '{}',
      at: now,
    })
    .execute();
  const item = toItem(row);
  await kernel.jobs.emit(trx, 'workflow.started', { workflow: wf.code, subject: item.subject, itemId: id, state: wf.initial });
  await armTimers(trx, kernel, wf, item);
  return runAutomatic(trx, kernel, wf, item, 0);
}

function stepsOf(wf: Workflow): number | null {
  const steps = Object.values(wf.states).map((s) => s.step ?? 0);
  const max = Math.max(0, ...steps);
  return max > 0 ? max : null;
}

/** Runs an action in its own transaction (see `applyAction`). */
export function runAction(kernel: Kernel, runner: Runner, itemId: string, action: string, input: ActionInput & { revision?: number } = {}) {
  return inTransaction(kernel.db, async (trx) => {
    const item = await findItem(trx, itemId);
    if (!item) throw new HttpError(404, 'workflow.not-found', 'This item does not exist.');
    return applyAction(trx, kernel, runner, item, action, input);
  });
}

/** Why an actor may not run an action now; null when they may. */
export function refusal(item: WorkflowItem, runner: Runner, action: ActionDefinition): string | null {
  if (item.archivedAt) return 'workflow.archived';
  if (!action.from.includes(item.state)) return 'workflow.not-available';
  if (runner === 'system') return action.by === 'system' ? null : 'workflow.forbidden';
  if (action.by === 'agent')
    return runner.kind === 'agent' && can(runner, action.permission!, { unitPath: item.unitPath }) ? null : 'workflow.forbidden';
  if (action.by === 'citizen') return runner.kind === 'citizen' && runner.account.id === item.accountId ? null : 'workflow.forbidden';
  return 'workflow.forbidden';
}

/** The manual actions this actor may run on the item now, in the definition's order. */
export function availableActions(kernel: Kernel, item: WorkflowItem, actor: Actor): [string, ActionDefinition][] {
  const wf = kernel.workflows.get(item.workflow, item.version);
  return Object.entries(wf.actions).filter(([, a]) => a.trigger === 'manual' && refusal(item, actor, a) === null);
}

const REFUSALS: Record<string, [number, string]> = {
  'workflow.archived': [409, 'This item is archived: no action can be run on it any more.'],
  'workflow.not-available': [409, 'This action is not possible in the item’s current state.'],
  'workflow.forbidden': [403, 'You may not run this action on this item.'],
};

/**
 * One transition, all in the caller's transaction: the state change (guarded by the revision the
 * actor saw, so of two agents acting at once one wins and the other gets a conflict), the history
 * entry with the action's fields, the tasks, the demand update, the outgoing event and the timers
 * of the new state; then the automatic actions of the new state.
 */
export async function applyAction(
  trx: Trx,
  kernel: Kernel,
  runner: Runner,
  item: WorkflowItem,
  actionCode: string,
  input: ActionInput & { revision?: number } = {},
  depth = 0,
): Promise<WorkflowItem> {
  const wf = kernel.workflows.get(item.workflow, item.version);
  const action = wf.actions[actionCode];
  if (!action) throw new HttpError(404, 'workflow.unknown-action', `The workflow has no action "${actionCode}".`);
  if (input.revision !== undefined && input.revision !== item.revision) throw conflict();
  const refused = refusal(item, runner, action);
  if (refused) throw new HttpError(REFUSALS[refused]![0], refused, REFUSALS[refused]![1]);

  const now = nowIso();
  const moved = await trx
    .updateTable('workflow_items')
    .set({ state: action.to, revision: item.revision + 1, state_entered_at: now, updated_at: now })
    .where('id', '=', item.id)
    .where('revision', '=', item.revision)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) throw conflict();

  const { comment, values } = await readActionFields(trx, kernel, action, item.id, input);
  const actorId = runner === 'system' ? null : runner.kind === 'anonymous' ? null : runner.account.id;
  const actorKind = runner === 'system' || runner.kind === 'anonymous' ? 'system' : runner.kind;
  await trx
    .insertInto('workflow_history')
    .values({
      id: newId(),
      item_id: item.id,
      action: actionCode,
      from_state: item.state,
      to_state: action.to,
      actor_id: actorId,
      actor_kind: actorKind,
      comment,
      fields: toJson(values),
      at: now,
    })
    .execute();

  let next: WorkflowItem = { ...item, state: action.to, revision: item.revision + 1, stateEnteredAt: now, updatedAt: now };
  const patch: ItemPatch = {};
  const fields = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));
  if (comment) fields.comment = comment;
  await runTasks({ trx, kernel, workflow: wf, item: next, action: actionCode, fields, actorId, patch }, action.tasks);
  next = await applyPatch(trx, next, patch);

  const owner = kernel.modules.find((m) => wf.code.startsWith(`${m.code}:`));
  await owner?.onTransition?.(trx, kernel, { item: next, action: actionCode, from: item.state, to: action.to });

  if (next.demandId && !next.anonymisedAt) {
    const state = wf.states[action.to]!;
    await updateDemand(trx, next.demandId, {
      status: state.status,
      ...(state.public ? { stateLabel: state.label } : {}),
      ...(state.step !== undefined ? { step: state.step } : {}),
      nextAction: state.citizenAction ?? null,
      ...(patch.unitPath !== undefined ? { unitPath: patch.unitPath } : {}),
    });
  }
  await kernel.jobs.emit(trx, 'workflow.transition', {
    workflow: wf.code,
    subject: next.subject,
    itemId: next.id,
    action: actionCode,
    from: item.state,
    to: action.to,
    actorId,
  });
  await armTimers(trx, kernel, wf, next);
  return runAutomatic(trx, kernel, wf, next, depth);
}

function conflict(): HttpError {
  return new HttpError(
    409,
    'workflow.conflict',
    'Someone changed this item meanwhile: nothing was done. Look at its new state and act again if needed.',
  );
}

async function applyPatch(trx: Trx, item: WorkflowItem, patch: ItemPatch): Promise<WorkflowItem> {
  if (Object.keys(patch).length === 0) return item;
  const now = nowIso();
  await trx
    .updateTable('workflow_items')
    .set({
      ...(patch.unitPath !== undefined ? { unit_path: patch.unitPath } : {}),
      ...(patch.deadlineAt !== undefined ? { deadline_at: patch.deadlineAt } : {}),
      ...(patch.archivedAt ? { archived_at: patch.archivedAt } : {}),
      ...(patch.anonymise ? { account_id: null, anonymised_at: now } : {}),
    })
    .where('id', '=', item.id)
    .execute();
  if (patch.anonymise) {
    // Free text may hold a name or an address: it goes; the codes of what happened stay.
    await trx.updateTable('workflow_history').set({ comment: null, fields: '{}' }).where('item_id', '=', item.id).execute();
  }
  return {
    ...item,
    ...(patch.unitPath !== undefined ? { unitPath: patch.unitPath } : {}),
    ...(patch.deadlineAt !== undefined ? { deadlineAt: patch.deadlineAt } : {}),
    ...(patch.archivedAt ? { archivedAt: patch.archivedAt } : {}),
    ...(patch.anonymise ? { accountId: null, anonymisedAt: now } : {}),
  };
}

/**
 * Queues the timer actions of the item's current state as jobs due at their time. Each names the
 * revision it was armed for: when it fires after anything else happened to the item, it does nothing.
 */
async function armTimers(trx: Executor, kernel: Kernel, wf: Workflow, item: WorkflowItem): Promise<void> {
  for (const [code, action] of Object.entries(wf.actions)) {
    if (action.trigger !== 'timer' || !action.from.includes(item.state) || !action.timer) continue;
    const due =
      'after' in action.timer
        ? new Date(Date.parse(item.stateEnteredAt) + durationMs(action.timer.after))
        : item.deadlineAt
          ? new Date(item.deadlineAt)
          : null;
    if (!due) continue;
    await kernel.jobs.enqueue(
      trx,
      WORKFLOW_TIMER_JOB,
      { itemId: item.id, action: code, revision: item.revision },
      { runAt: due, uniqueKey: `workflow-timer:${item.id}:${item.revision}:${code}` },
    );
  }
}

async function runAutomatic(trx: Trx, kernel: Kernel, wf: Workflow, item: WorkflowItem, depth: number): Promise<WorkflowItem> {
  const automatic = Object.entries(wf.actions).find(([, a]) => a.trigger === 'automatic' && a.from.includes(item.state));
  if (!automatic || item.archivedAt) return item;
  if (depth >= MAX_AUTOMATIC_CHAIN) throw new Error(`Workflow "${wf.code}": automatic actions loop from state "${item.state}".`);
  return applyAction(trx, kernel, 'system', item, automatic[0], {}, depth + 1);
}

/** Job: a timer action falls due. Stale timers (the item moved on since) do nothing. */
export async function workflowTimerJob(payload: { itemId: string; action: string; revision: number }, kernel: Kernel): Promise<void> {
  await inTransaction(kernel.db, async (trx) => {
    const item = await findItem(trx, payload.itemId);
    if (!item || item.revision !== payload.revision) return;
    const wf = kernel.workflows.get(item.workflow, item.version);
    const action = wf.actions[payload.action];
    if (!action || refusal(item, 'system', action)) return;
    await applyAction(trx, kernel, 'system', item, payload.action, { revision: payload.revision });
  });
}

/** Lock-free count used by the back office: items per state of a workflow. */
export async function countByState(executor: Executor, workflow: string): Promise<Record<string, number>> {
  const { rows } = await sql<{ state: string; n: number }>`
    select state, count(*) as n from workflow_items where workflow = ${workflow} and archived_at is null group by state`.execute(executor);
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}
