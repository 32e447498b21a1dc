import type { Executor } from '../db/transaction.js';
import { newId, nowIso, toJson } from '../db/values.js';
import { HttpError } from '../http/errors.js';
import type { Kernel } from '../kernel.js';
import { FINISHED_STATUSES, type GenericStatus, type LocalText } from '../workflow/definition.js';
import { nextReference } from './reference.js';

export interface NewDemand {
  /** "<module>:<code>" of a type a module declared. */
  type: string;
  accountId: string;
  title: string;
  subject: string;
  link: string;
  unitPath: string | null;
  status?: GenericStatus;
  stateLabel?: LocalText | null;
  step?: number | null;
  steps?: number | null;
  nextAction?: LocalText | null;
  /** The module's own reference when it has one (a street report's "W-202611-000123"); else one is made. */
  reference?: string;
}

/** Registers a resident's demand, in the caller's transaction; returns its id and reference. */
export async function createDemand(trx: Executor, kernel: Pick<Kernel, 'demandTypes'>, input: NewDemand) {
  const type = kernel.demandTypes.get(input.type);
  if (!type) throw new Error(`Unknown demand type "${input.type}": declare it in the module's demandTypes.`);
  const id = newId();
  const now = nowIso();
  const reference = input.reference ?? (await nextReference(trx, type.referencePrefix));
  const status = input.status ?? 'ongoing';
  await trx
    .insertInto('demands')
    .values({
      id,
      type: type.type,
      module: type.module,
      reference,
      account_id: input.accountId,
      title: input.title,
      status,
      state_label: input.stateLabel ? toJson(input.stateLabel) : null,
      step: input.step ?? null,
      steps: input.steps ?? null,
      next_action: input.nextAction ? toJson(input.nextAction) : null,
      unit_path: input.unitPath,
      link: input.link,
      subject: input.subject,
      unread_for_agents: 0,
      unread_for_citizen: 0,
      created_at: now,
      updated_at: now,
      closed_at: FINISHED_STATUSES.has(status) ? now : null,
    })
    .execute();
  await addDemandEvent(trx, id, 'created', { status, label: input.stateLabel ?? null }, true, now);
  return { id, reference };
}

export interface DemandUpdate {
  status: GenericStatus;
  /** Public label of the new state; omitted for an internal state (the resident keeps the last public one). */
  stateLabel?: LocalText;
  step?: number | null;
  nextAction?: LocalText | null;
  unitPath?: string | null;
}

/** Moves a demand to a new status, with a timeline entry the resident sees when the state is public. */
export async function updateDemand(trx: Executor, demandId: string, update: DemandUpdate): Promise<void> {
  const now = nowIso();
  await trx
    .updateTable('demands')
    .set({
      status: update.status,
      ...(update.stateLabel ? { state_label: toJson(update.stateLabel) } : {}),
      ...(update.step !== undefined ? { step: update.step } : {}),
      ...(update.nextAction !== undefined ? { next_action: update.nextAction ? toJson(update.nextAction) : null } : {}),
      ...(update.unitPath !== undefined ? { unit_path: update.unitPath } : {}),
      updated_at: now,
      closed_at: FINISHED_STATUSES.has(update.status) ? now : null,
    })
    .where('id', '=', demandId)
    .execute();
  await addDemandEvent(trx, demandId, 'status', { status: update.status, label: update.stateLabel ?? null }, !!update.stateLabel, now);
}

export async function addDemandEvent(
  trx: Executor,
  demandId: string,
  kind: 'created' | 'status' | 'message' | 'document' | 'notification',
  data: Record<string, unknown>,
  visibleToCitizen: boolean,
  at: string = nowIso(),
): Promise<void> {
  await trx
    .insertInto('demand_events')
    .values({ id: newId(), demand_id: demandId, kind, data: toJson(data), public: visibleToCitizen ? 1 : 0, at })
    .execute();
}

export const MESSAGE_MAX_LENGTH = 5000;

/**
 * A message on a demand, from its resident or from an agent, with attachments (uploaded files,
 * attached here). The other side's unread counter goes up; the timeline records it.
 */
export async function postMessage(
  trx: Executor,
  kernel: Pick<Kernel, 'files'>,
  input: { demandId: string; authorId: string; authorKind: 'citizen' | 'agent'; body: string; fileIds?: readonly string[] },
): Promise<string> {
  const body = input.body.trim();
  if (!body)
    throw new HttpError(400, 'demands.message-empty', 'Write a message.', [{ field: 'body', message: 'demands.errors.message-empty' }]);
  if (body.length > MESSAGE_MAX_LENGTH) {
    throw new HttpError(400, 'demands.message-too-long', `A message has at most ${MESSAGE_MAX_LENGTH} characters.`, [
      { field: 'body', message: 'demands.errors.message-too-long' },
    ]);
  }
  const id = newId();
  const now = nowIso();
  await trx
    .insertInto('demand_messages')
    .values({ id, demand_id: input.demandId, author_id: input.authorId, author_kind: input.authorKind, body, created_at: now })
    .execute();
  if (input.fileIds?.length) await kernel.files.attach(trx, input.fileIds, `demands:message:${id}`);
  const counter = input.authorKind === 'citizen' ? 'unread_for_agents' : 'unread_for_citizen';
  await trx
    .updateTable('demands')
    .set((eb) => ({ [counter]: eb(counter, '+', 1), updated_at: now }))
    .where('id', '=', input.demandId)
    .execute();
  await addDemandEvent(
    trx,
    input.demandId,
    'message',
    { messageId: id, authorKind: input.authorKind, files: input.fileIds?.length ?? 0 },
    true,
    now,
  );
  return id;
}

/** The resident (or an agent) has read the demand's messages. */
export async function markRead(executor: Executor, demandId: string, reader: 'citizen' | 'agent'): Promise<void> {
  await executor
    .updateTable('demands')
    .set(reader === 'citizen' ? { unread_for_citizen: 0 } : { unread_for_agents: 0 })
    .where('id', '=', demandId)
    .execute();
}
