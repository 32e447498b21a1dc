import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely';
import type { Tables } from '../../../kernel/db/schema.js';
import type { Executor } from '../../../kernel/db/transaction.js';
import { distanceMetres } from '../../../kernel/geo/point-in-polygon.js';
import { HttpError } from '../../../kernel/http/errors.js';
import { type Actor, can, scopesOf } from '../../../kernel/identity/authorization.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { CategoryTree } from './categories.js';

export const PRIORITIES = [0, 1, 2, 3] as const;
export const QUEUE_PAGE = 50;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** What an agent narrows the queue to; every field is optional and checked (unknown values are dropped). */
export interface QueueFilter {
  state?: string;
  /** A node of the category tree at any level: its leaves are matched. */
  category?: string;
  district?: string;
  /** Created on or after this day, on or before that one (YYYY-MM-DD, UTC days). */
  from?: string;
  to?: string;
  priority?: number;
  sort: 'date' | 'priority';
  /** Selected reports (route sheet): only these, still within the agent's units. */
  ids?: string[];
}

type Query = Record<string, unknown>;

function one(query: Query, name: string): string {
  const value = query[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
}

function validDay(value: string): string | undefined {
  if (!DAY.test(value)) return undefined;
  return new Date(`${value}T00:00:00Z`).toISOString().startsWith(value) ? value : undefined;
}

/** Reads the filter from a query string, keeping only values that mean something here. */
export function parseQueueFilter(kernel: Kernel, categories: CategoryTree, query: Query): QueueFilter {
  const states = kernel.workflows.latest('street-reports:report').states;
  const state = one(query, 'state');
  const category = one(query, 'category');
  const district = one(query, 'district');
  const priority = Number.parseInt(one(query, 'priority'), 10);
  const idsRaw = query.ids;
  const ids = (Array.isArray(idsRaw) ? idsRaw : [idsRaw]).filter((v): v is string => typeof v === 'string' && /^[0-9a-f]{28}$/.test(v));
  return {
    ...(states[state] ? { state } : {}),
    ...(categories.byCode.has(category) ? { category } : {}),
    ...(kernel.districts.byCode(district) ? { district } : {}),
    ...(validDay(one(query, 'from')) ? { from: one(query, 'from') } : {}),
    ...(validDay(one(query, 'to')) ? { to: one(query, 'to') } : {}),
    ...((PRIORITIES as readonly number[]).includes(priority) ? { priority } : {}),
    sort: one(query, 'sort') === 'priority' ? 'priority' : 'date',
    ...(ids.length ? { ids: ids.slice(0, 500) } : {}),
  };
}

/** The filter as a query string (for links: pages, views, exports), without the leading "?". */
export function filterQuery(filter: QueueFilter, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of ['state', 'category', 'district', 'from', 'to'] as const) if (filter[key]) params.set(key, filter[key]!);
  if (filter.priority !== undefined) params.set('priority', String(filter.priority));
  if (filter.sort !== 'date') params.set('sort', filter.sort);
  for (const id of filter.ids ?? []) params.append('ids', id);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params.toString();
}

/** The leaf codes under a node of the tree (itself when a leaf). */
export function leavesUnder(categories: CategoryTree, code: string): string[] {
  const node = categories.byCode.get(code);
  if (!node) return [];
  if (node.children.length === 0) return [node.code];
  return node.children.flatMap((c) => leavesUnder(categories, c.code));
}

type ReportQuery = SelectQueryBuilder<Tables, 'street_reports', object>;

/** Reports of the actor's units (`street-reports.view`), narrowed by the filter, in SQL. */
export function scopedReports(db: Executor, actor: Actor, categories: CategoryTree, filter: QueueFilter): ReportQuery {
  let query = db.selectFrom('street_reports') as ReportQuery;
  const scopes = scopesOf(actor, 'street-reports.view');
  if (scopes !== 'all') {
    query = scopes.length ? query.where((eb) => eb.or(scopes.map((p) => eb('unit_path', 'like', `${p}%`)))) : query.where('id', '=', '');
  }
  if (filter.state) query = query.where('state', '=', filter.state);
  if (filter.category) {
    const leaves = leavesUnder(categories, filter.category);
    query = query.where('category', 'in', leaves.length ? leaves : ['']);
  }
  if (filter.district) query = query.where('district', '=', filter.district);
  if (filter.from) query = query.where('created_at', '>=', `${filter.from}T00:00:00.000Z`);
  if (filter.to) query = query.where('created_at', '<=', `${filter.to}T23:59:59.999Z`);
  if (filter.priority !== undefined) query = query.where('priority', '=', filter.priority);
  if (filter.ids) query = query.where('id', 'in', filter.ids);
  return query;
}

export interface QueueRow {
  id: string;
  reference: string;
  category: string;
  district: string;
  address: string | null;
  lat: number;
  lng: number;
  state: string;
  priority: number;
  created_at: string;
  item_id: string;
  description: string;
  status: string;
  closed_at: string | null;
}

const COLUMNS = [
  'id',
  'reference',
  'category',
  'district',
  'address',
  'lat',
  'lng',
  'state',
  'priority',
  'created_at',
  'item_id',
  'description',
  'status',
  'closed_at',
] as const;

/** The position after a row, opaque to the browser: the sort keys of the last row shown. */
export function cursorOf(row: Pick<QueueRow, 'priority' | 'created_at' | 'id'>, sort: QueueFilter['sort']): string {
  const keys = sort === 'priority' ? [row.priority, row.created_at, row.id] : [row.created_at, row.id];
  return Buffer.from(JSON.stringify(keys)).toString('base64url');
}

function readCursor(cursor: string | undefined, sort: QueueFilter['sort']): (string | number)[] | null {
  if (!cursor) return null;
  try {
    const keys = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    const ok =
      Array.isArray(keys) &&
      (sort === 'priority'
        ? keys.length === 3 && typeof keys[0] === 'number' && typeof keys[1] === 'string' && typeof keys[2] === 'string'
        : keys.length === 2 && typeof keys[0] === 'string' && typeof keys[1] === 'string');
    return ok ? (keys as (string | number)[]) : null;
  } catch {
    return null;
  }
}

/** Rows strictly after the cursor in the order of the sort (newest first; highest priority first). */
function after(query: ReportQuery, sort: QueueFilter['sort'], keys: (string | number)[] | null): ReportQuery {
  if (!keys) return query;
  if (sort === 'priority') {
    const [p, at, id] = keys as [number, string, string];
    return query.where((eb: ExpressionBuilder<Tables, 'street_reports'>) =>
      eb.or([
        eb('priority', '<', p),
        eb.and([eb('priority', '=', p), eb('created_at', '<', at)]),
        eb.and([eb('priority', '=', p), eb('created_at', '=', at), eb('id', '<', id)]),
      ]),
    );
  }
  const [at, id] = keys as [string, string];
  return query.where((eb: ExpressionBuilder<Tables, 'street_reports'>) =>
    eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]),
  );
}

function ordered(query: ReportQuery, sort: QueueFilter['sort']): ReportQuery {
  const byPriority = sort === 'priority' ? query.orderBy('priority', 'desc') : query;
  return byPriority.orderBy('created_at', 'desc').orderBy('id', 'desc');
}

/** One page of the queue (keyset pagination: stable while reports arrive) and the cursor of the next. */
export async function listQueue(
  db: Executor,
  actor: Actor,
  categories: CategoryTree,
  filter: QueueFilter,
  page: { after?: string; limit?: number } = {},
): Promise<{ rows: QueueRow[]; next: string | null }> {
  const limit = page.limit ?? QUEUE_PAGE;
  const query = after(scopedReports(db, actor, categories, filter), filter.sort, readCursor(page.after, filter.sort));
  const rows = (await ordered(query, filter.sort)
    .select(COLUMNS)
    .limit(limit + 1)
    .execute()) as QueueRow[];
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  return { rows: shown, next: more ? cursorOf(shown.at(-1)!, filter.sort) : null };
}

/**
 * Every matching report, read in key-ordered batches: each batch is one short query, so a
 * streamed export never holds more than one batch nor a connection between batches.
 */
export async function* eachReport(
  db: Executor,
  actor: Actor,
  categories: CategoryTree,
  filter: QueueFilter,
  batch = 1000,
): AsyncGenerator<QueueRow[]> {
  let cursor: string | undefined;
  do {
    const page = await listQueue(db, actor, categories, filter, { after: cursor, limit: batch });
    if (page.rows.length) yield page.rows;
    cursor = page.next ?? undefined;
  } while (cursor);
}

export type ReportRow = Tables['street_reports'];

/** A report an agent opens: 404 when unknown, 403 when it belongs to a unit they do not see. */
export async function reportForAgent(db: Executor, actor: Actor, id: string, permission = 'street-reports.view'): Promise<ReportRow> {
  const report = await db.selectFrom('street_reports').selectAll().where('id', '=', id).executeTakeFirst();
  if (!report) throw new HttpError(404, 'street-reports.not-found', 'This report does not exist.');
  if (!can(actor, permission, { unitPath: report.unit_path })) {
    throw new HttpError(403, 'auth.out-of-unit', 'This report belongs to a unit you do not work for.');
  }
  return report as ReportRow;
}

/**
 * A round through the reports: from the first one, always on to the nearest not yet visited
 * (nearest neighbour: not the shortest round, but a sensible one for a field team on foot).
 */
export function routeOrder<T extends { lat: number; lng: number }>(points: readonly T[]): (T & { legMetres: number })[] {
  const left = [...points];
  const first = left.shift();
  if (!first) return [];
  const out = [{ ...first, legMetres: 0 }];
  let here = first;
  while (left.length) {
    let best = 0;
    let bestDistance = Infinity;
    for (let i = 0; i < left.length; i++) {
      const d = distanceMetres([here.lng, here.lat], [left[i]!.lng, left[i]!.lat]);
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
    here = left.splice(best, 1)[0]!;
    out.push({ ...here, legMetres: bestDistance });
  }
  return out;
}
