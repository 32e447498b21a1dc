import { PostgresAdapter, type RawBuilder, sql } from 'kysely';
import { fromJson } from '../../../kernel/db/values.js';
import type { Lang } from '../../../kernel/i18n/types.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { Workflow } from '../../../kernel/workflow/definition.js';
import type { CategoryTree } from '../domain/categories.js';
import { badRequest } from './errors.js';
import type { Value } from './format.js';

export const PAGE_SIZE_MAX = 1000;
const DAY_MS = 24 * 3600 * 1000;
/** The standard's widest window on requested_datetime, and the default one. */
export const SPAN_DAYS = 90;

/** What `GET requests.{fmt}` asks, checked. */
export interface RequestQuery {
  /** Readable references; when given, every other filter is ignored (the standard says so). */
  ids?: string[];
  serviceCodes?: string[];
  /** On requested_datetime, UTC ISO. */
  start?: string;
  end?: string;
  status?: ('open' | 'closed')[];
  /** On updated_datetime (the v2.1 draft's extension), UTC ISO. */
  updatedAfter?: string;
  updatedBefore?: string;
  page: number;
  pageSize: number;
}

/** A query parameter's value; an empty parameter counts as absent. */
export function param(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined;
}

function list(value: string | undefined): string[] | undefined {
  const items = value
    ?.split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  return items?.length ? [...new Set(items)] : undefined;
}

function date(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw badRequest(`${name} must be an ISO 8601 date and time, such as 2026-01-31T08:00:00Z.`);
  return new Date(ms).toISOString();
}

function positive(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = /^\d{1,9}$/.test(value) ? Number(value) : 0;
  if (n < 1 || n > max) throw badRequest(`${name} must be a whole number from 1 to ${max}.`);
  return n;
}

/**
 * Reads the standard's filters plus page/page_size and updated_after/updated_before. Without any
 * date filter the window is the last 90 days of requested_datetime; a start without an end (or an
 * end without a start) spans 90 days; a wider span is refused. Filtering on updates alone (how a
 * client polls for changes) applies no window on requested_datetime.
 */
export function parseRequestQuery(query: unknown, now = new Date()): RequestQuery {
  const page = positive('page', param(query, 'page'), 1, 1_000_000);
  const pageSize = positive('page_size', param(query, 'page_size'), PAGE_SIZE_MAX, PAGE_SIZE_MAX);
  const ids = list(param(query, 'service_request_id'));
  if (ids) return { ids, page, pageSize };
  const statuses = list(param(query, 'status'));
  if (statuses?.some((s) => s !== 'open' && s !== 'closed'))
    throw badRequest('status must be open or closed (or both, separated by a comma).');
  let start = date('start_date', param(query, 'start_date'));
  let end = date('end_date', param(query, 'end_date'));
  const updatedAfter = date('updated_after', param(query, 'updated_after'));
  const updatedBefore = date('updated_before', param(query, 'updated_before'));
  const span = SPAN_DAYS * DAY_MS;
  if (start && end) {
    if (end < start) throw badRequest('end_date must come after start_date.');
    if (Date.parse(end) - Date.parse(start) > span) throw badRequest(`start_date and end_date may be ${SPAN_DAYS} days apart at most.`);
  } else if (start) end = new Date(Date.parse(start) + span).toISOString();
  else if (end) start = new Date(Date.parse(end) - span).toISOString();
  else if (!updatedAfter && !updatedBefore) {
    end = now.toISOString();
    start = new Date(now.getTime() - span).toISOString();
  }
  if (updatedAfter && updatedBefore && updatedBefore < updatedAfter) throw badRequest('updated_before must come after updated_after.');
  return {
    serviceCodes: list(param(query, 'service_code')),
    status: statuses as RequestQuery['status'],
    start,
    end,
    updatedAfter,
    updatedBefore,
    page,
    pageSize,
  };
}

/** Where links point: the city's public address when configured, else the address the client used. */
export interface RecordContext {
  lang: Lang;
  baseUrl: string;
}

/**
 * `column IN (ids)` for a page's thousand ids: on PostgreSQL one array parameter (`= any($1)`), which
 * it parses and plans much faster than a thousand parameters; SQLite takes the list.
 */
function oneOf(kernel: Kernel, column: string, ids: string[]): RawBuilder<boolean> {
  if (kernel.db.getExecutor().adapter instanceof PostgresAdapter) return sql<boolean>`${sql.ref(column)} = any(${ids}::text[])`;
  return sql<boolean>`${sql.ref(column)} in (${sql.join(ids)})`;
}

/** The reports a query selects, newest first, as the standard's records. */
export async function findRequests(
  kernel: Kernel,
  tree: CategoryTree,
  q: RequestQuery,
  ctx: RecordContext,
): Promise<Record<string, Value>[]> {
  let select = kernel.db
    .selectFrom('street_reports as r')
    .innerJoin('workflow_items as i', 'i.id', 'r.item_id')
    .leftJoin('units as u', 'u.path', 'r.unit_path')
    .select([
      'r.id',
      'r.reference',
      'r.category',
      'r.description',
      'r.status',
      'r.address',
      'r.lat',
      'r.lng',
      'r.item_id',
      'r.created_at',
      'r.updated_at',
      'i.workflow',
      'i.version',
      ctx.lang === 'en' ? 'u.name_en as agency' : 'u.name_fr as agency',
    ]);
  if (q.ids) select = select.where('r.reference', 'in', q.ids);
  else {
    if (q.serviceCodes) select = select.where('r.category', 'in', q.serviceCodes);
    if (q.status) select = select.where('r.status', 'in', q.status);
    if (q.start) select = select.where('r.created_at', '>=', q.start);
    if (q.end) select = select.where('r.created_at', '<=', q.end);
    if (q.updatedAfter) select = select.where('r.updated_at', '>', q.updatedAfter);
    if (q.updatedBefore) select = select.where('r.updated_at', '<', q.updatedBefore);
  }
  const rows = await select
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  if (!rows.length) return [];

  // Each item's definition, and the states any of them shows the public: only those history
  // entries can give a request its notes, so only those are read.
  const definitions = new Map<string, Workflow>();
  const publicStates = new Set<string>();
  const definitionOf = (workflow: string, version: number): Workflow => {
    const key = `${workflow}@${version}`;
    let wf = definitions.get(key);
    if (!wf) {
      wf = kernel.workflows.get(workflow, version);
      definitions.set(key, wf);
      for (const [code, state] of Object.entries(wf.states)) if (state.public) publicStates.add(code);
    }
    return wf;
  };
  for (const r of rows) definitionOf(r.workflow, r.version);

  const [history, photos] = await Promise.all([
    publicStates.size
      ? kernel.db
          .selectFrom('workflow_history')
          .select(['item_id', 'action', 'to_state', 'comment', 'fields'])
          .where(
            oneOf(
              kernel,
              'item_id',
              rows.map((r) => r.item_id),
            ),
          )
          .where('to_state', 'in', [...publicStates])
          .orderBy('at')
          .orderBy('id')
          .execute()
      : [],
    kernel.db
      .selectFrom('street_report_photos')
      .select(['report_id', 'file_id'])
      .where(
        oneOf(
          kernel,
          'report_id',
          rows.map((r) => r.id),
        ),
      )
      .where('redacted', '=', 0)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  ]);
  // Each item's last entry whose state is public in its own definition: it alone gives the notes.
  type Entry = (typeof history)[number];
  const itemDefinition = new Map<string, Workflow>();
  for (const r of rows) itemDefinition.set(r.item_id, definitionOf(r.workflow, r.version));
  const lastPublic = new Map<string, Entry>();
  for (const h of history) if (itemDefinition.get(h.item_id)?.states[h.to_state]?.public) lastPublic.set(h.item_id, h);
  const photoOf = new Map<string, string>();
  for (const p of photos) if (!photoOf.has(p.report_id)) photoOf.set(p.report_id, p.file_id);

  const lang = ctx.lang;
  const files = `${ctx.baseUrl}/files/`;
  return rows.map((r) => {
    let notes: string | null = null;
    let expected: string | null = null;
    const h = lastPublic.get(r.item_id);
    if (h) {
      const wf = itemDefinition.get(r.item_id)!;
      // The comment is what the reporter was told; an action that tells no one keeps its note internal.
      const told = h.action ? wf.actions[h.action]?.tasks.some((task) => task.type === 'notify') : false;
      notes = (told && h.comment) || wf.states[h.to_state]!.label[lang];
      // Most entries carry no fields: parse only those that may name a planned date.
      if (r.status === 'open' && h.fields.includes('planned-on')) {
        const planned = fromJson<Record<string, unknown>>(h.fields, {})['planned-on'];
        if (typeof planned === 'string') expected = planned;
      }
    }
    const photo = photoOf.get(r.id);
    return {
      service_request_id: r.reference,
      status: r.status === 'closed' ? 'closed' : 'open',
      status_notes: notes,
      service_name: tree.byCode.get(r.category)?.label[lang] ?? r.category,
      service_code: r.category,
      description: r.description,
      agency_responsible: r.agency ?? null,
      service_notice: null,
      requested_datetime: r.created_at,
      updated_datetime: r.updated_at,
      expected_datetime: expected ? new Date(`${expected}T00:00:00Z`).toISOString() : null,
      address: r.address,
      address_id: null,
      zipcode: r.address ? (ZIPCODE.exec(r.address)?.[0] ?? null) : null,
      lat: r.lat,
      long: r.lng,
      media_url: photo ? files + photo : null,
    };
  });
}

const ZIPCODE = /\b\d{5}\b/;
