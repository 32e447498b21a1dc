import type { Db } from '../db/database.js';
import { type Executor, inTransaction } from '../db/transaction.js';
import { fromJson, newId, nowIso, toJson } from '../db/values.js';
import type { FieldProblem } from '../http/errors.js';
import { type Acting, forbidden, invalidForm, notFound } from '../identity/agents/acting.js';
import { audit } from '../identity/audit.js';
import { type Actor, can, scopesOf } from '../identity/authorization.js';
import type { WebhookEndpointsTable } from './migrations.js';
import { newWebhookSecret } from './sign.js';

export const PERMISSION = 'admin.webhooks';

export interface Endpoint {
  id: string;
  module: string;
  unitPath: string | null;
  url: string;
  description: string;
  /** Event names, or ['*'] for all of the module's events. */
  events: string[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface EndpointInput {
  module: string;
  unitPath: string | null;
  url: string;
  description: string;
  events: string[];
  active: boolean;
}

export function toEndpoint(row: Omit<WebhookEndpointsTable, 'secret'>): Endpoint {
  return {
    id: row.id,
    module: row.module,
    unitPath: row.unit_path,
    url: row.url,
    description: row.description,
    events: fromJson<string[]>(row.events, []),
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Whether an endpoint receives this event: its module, its unit or a unit below, its event filter. */
export function endpointMatches(endpoint: Pick<Endpoint, 'module' | 'unitPath' | 'events' | 'active'>, event: EventScope): boolean {
  if (!endpoint.active || endpoint.module !== event.module) return false;
  if (endpoint.unitPath !== null && !event.unitPath?.startsWith(endpoint.unitPath)) return false;
  return endpoint.events.includes('*') || endpoint.events.includes(event.event);
}

export interface EventScope {
  module: string;
  unitPath: string | null;
  event: string;
}

/** The active endpoints an event goes to, with the secret each delivery is signed with. */
export async function endpointsFor(executor: Executor, event: EventScope): Promise<{ id: string; secret: string }[]> {
  const rows = await executor
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('module', '=', event.module)
    .where('active', '=', 1)
    .orderBy('id')
    .execute();
  return rows.filter((row) => endpointMatches(toEndpoint(row), event)).map((row) => ({ id: row.id, secret: row.secret }));
}

/** Event names: what endpoint filters are typed with and what modules queue. */
export const EVENT_NAME = /^[a-z0-9][a-z0-9._:-]{0,99}$/;
const MAX_EVENTS = 50;
const MAX_URL = 2000;
const MAX_DESCRIPTION = 200;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Event names typed by an agent: separated by commas, spaces or new lines. */
export function parseEvents(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

/**
 * Deliveries carry residents' data and a signature: HTTPS only, except on this machine (a local
 * relay, development). Credentials in the address would end up in logs, so they are refused.
 */
function urlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'admin.webhooks.errors.url';
  }
  if (text.length > MAX_URL || url.username || url.password) return 'admin.webhooks.errors.url';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return undefined;
  return url.protocol === 'http:' ? 'admin.webhooks.errors.url-insecure' : 'admin.webhooks.errors.url';
}

function validate(input: EndpointInput, modules: readonly string[]): void {
  const problems: FieldProblem[] = [];
  if (!modules.includes(input.module)) problems.push({ field: 'module', message: 'admin.webhooks.errors.module' });
  const url = urlProblem(input.url);
  if (url) problems.push({ field: 'url', message: url });
  const wildcard = input.events.includes('*');
  const eventsValid =
    input.events.length > 0 &&
    input.events.length <= MAX_EVENTS &&
    (wildcard ? input.events.length === 1 : input.events.every((e) => EVENT_NAME.test(e)));
  if (!eventsValid) problems.push({ field: 'events', message: 'admin.webhooks.errors.events' });
  if (input.description.length > MAX_DESCRIPTION) problems.push({ field: 'description', message: 'admin.webhooks.errors.description' });
  if (problems.length) throw invalidForm(problems);
}

/** A city-wide endpoint is for administrators; a unit's, for those holding the permission there or above. */
function assertMayManage(actor: Actor, unitPath: string | null): void {
  const allowed = unitPath === null ? actor.kind === 'agent' && actor.admin : can(actor, PERMISSION, { unitPath });
  if (!allowed) throw forbidden('admin.out-of-scope', 'This webhook endpoint is outside the units you administer.');
}

/** The endpoints this actor manages: those of their units and below (every one for administrators). */
export async function listEndpoints(db: Executor, actor: Actor): Promise<Endpoint[]> {
  const scopes = scopesOf(actor, PERMISSION);
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select(['id', 'module', 'unit_path', 'url', 'description', 'events', 'active', 'created_at', 'updated_at'])
    .orderBy('module')
    .orderBy('url')
    .execute();
  return rows
    .filter((row) => scopes === 'all' || (row.unit_path !== null && scopes.some((s) => row.unit_path?.startsWith(s))))
    .map(toEndpoint);
}

/** One endpoint the actor manages: unknown → 404, another unit's → 403. */
export async function endpointFor(db: Executor, actor: Actor, id: string): Promise<Endpoint> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .select(['id', 'module', 'unit_path', 'url', 'description', 'events', 'active', 'created_at', 'updated_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound(`No webhook endpoint ${id}.`);
  assertMayManage(actor, row.unit_path);
  return toEndpoint(row);
}

/** Creates an endpoint with a new secret, returned once for the administrator to give the receiver. */
export async function createEndpoint(
  db: Db,
  who: Acting,
  modules: readonly string[],
  input: EndpointInput,
): Promise<{ id: string; secret: string }> {
  validate(input, modules);
  assertMayManage(who.actor, input.unitPath);
  const id = newId();
  const secret = newWebhookSecret();
  const now = nowIso();
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('webhook_endpoints')
      .values({
        id,
        module: input.module,
        unit_path: input.unitPath,
        url: input.url,
        description: input.description,
        secret,
        events: toJson(input.events),
        active: input.active ? 1 : 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await audit(trx, {
      actor: who.actor,
      action: 'webhook.create',
      resourceType: 'webhook-endpoint',
      resourceId: id,
      ip: who.ip,
      details: { module: input.module, unitPath: input.unitPath, url: input.url, events: input.events },
    });
  });
  return { id, secret };
}

/** Changes an endpoint; the actor must manage it both where it was and where it goes. */
export async function updateEndpoint(db: Db, who: Acting, modules: readonly string[], id: string, input: EndpointInput): Promise<void> {
  const before = await endpointFor(db, who.actor, id);
  validate(input, modules);
  assertMayManage(who.actor, input.unitPath);
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('webhook_endpoints')
      .set({
        module: input.module,
        unit_path: input.unitPath,
        url: input.url,
        description: input.description,
        events: toJson(input.events),
        active: input.active ? 1 : 0,
        updated_at: nowIso(),
      })
      .where('id', '=', id)
      .execute();
    await audit(trx, {
      actor: who.actor,
      action: 'webhook.update',
      resourceType: 'webhook-endpoint',
      resourceId: id,
      ip: who.ip,
      details: {
        from: { module: before.module, unitPath: before.unitPath, url: before.url, events: before.events, active: before.active },
        to: { module: input.module, unitPath: input.unitPath, url: input.url, events: input.events, active: input.active },
      },
    });
  });
}

/** Issues a new secret; the old one stops working at once (deliveries already queued sign with the new one). */
export async function rotateSecret(db: Db, who: Acting, id: string): Promise<string> {
  await endpointFor(db, who.actor, id);
  const secret = newWebhookSecret();
  await inTransaction(db, async (trx) => {
    await trx.updateTable('webhook_endpoints').set({ secret, updated_at: nowIso() }).where('id', '=', id).execute();
    await audit(trx, { actor: who.actor, action: 'webhook.rotate-secret', resourceType: 'webhook-endpoint', resourceId: id, ip: who.ip });
  });
  return secret;
}

/** Deletes an endpoint and its delivery log; its queued jobs then find nothing to send. */
export async function deleteEndpoint(db: Db, who: Acting, id: string): Promise<void> {
  const endpoint = await endpointFor(db, who.actor, id);
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).execute();
    await trx.deleteFrom('webhook_endpoints').where('id', '=', id).execute();
    await audit(trx, {
      actor: who.actor,
      action: 'webhook.delete',
      resourceType: 'webhook-endpoint',
      resourceId: id,
      ip: who.ip,
      details: { module: endpoint.module, unitPath: endpoint.unitPath, url: endpoint.url },
    });
  });
}
