import type { ExpressionBuilder } from 'kysely';
import type { Tables } from '../../../kernel/db/schema.js';
import { fromJson } from '../../../kernel/db/values.js';
import type { Lang } from '../../../kernel/i18n/types.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { WorkflowHistoryTable, WorkflowItemsTable } from '../../../kernel/workflow/migrations.js';
import type { CategoryTree } from '../domain/categories.js';
import { reportWorkflow } from '../workflow.js';
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
 * A history entry `w` of a report's item `i` is in a state that the item's own version of the
 * report workflow (every report follows it: see createReport) shows the public.
 */
function inPublicState(kernel: Kernel, eb: ExpressionBuilder<Tables & { w: WorkflowHistoryTable; i: WorkflowItemsTable }, 'w' | 'i'>) {
  return eb.or(
    kernel.workflows
      .versions(reportWorkflow.code)
      .map((wf) => ({ version: wf.version, states: Object.keys(wf.states).filter((code) => wf.states[code]!.public) }))
      .filter((v) => v.states.length)
      .map((v) => eb.and([eb('i.version', '=', v.version), eb('w.to_state', 'in', v.states)])),
  );
}

/** What the records read of a report (its id only orders the page). */
const COLUMNS = ['reference', 'category', 'description', 'status', 'address', 'lat', 'lng', 'created_at', 'updated_at'] as const;

/**
 * The reports a query selects, newest first, as the standard's records. One statement reads the
 * page with what its records need of other tables: each item's last history entry in a public
 * state (it alone gives the notes: one index seek per report, however long its history) and each
 * report's first photo not redacted.
 */
export async function findRequests(
  kernel: Kernel,
  tree: CategoryTree,
  q: RequestQuery,
  ctx: RecordContext,
): Promise<Record<string, Value>[]> {
  let page = kernel.db
    .selectFrom('street_reports as r')
    .innerJoin('workflow_items as i', 'i.id', 'r.item_id')
    .leftJoin('units as u', 'u.path', 'r.unit_path')
    .select((eb) => [
      'r.id',
      ...COLUMNS.map((c) => `r.${c}` as const),
      'i.version',
      ctx.lang === 'en' ? 'u.name_en as agency' : 'u.name_fr as agency',
      eb
        .selectFrom('workflow_history as w')
        .select('w.id')
        .whereRef('w.item_id', '=', 'r.item_id')
        .where((w) => inPublicState(kernel, w))
        .orderBy('w.at', 'desc')
        .orderBy('w.id', 'desc')
        .limit(1)
        .as('entry_id'),
      eb
        .selectFrom('street_report_photos as p')
        .select('p.file_id')
        .whereRef('p.report_id', '=', 'r.id')
        .where('p.redacted', '=', 0)
        .orderBy('p.created_at')
        .orderBy('p.id')
        .limit(1)
        .as('photo'),
    ]);
  if (q.ids) page = page.where('r.reference', 'in', q.ids);
  else {
    if (q.serviceCodes) page = page.where('r.category', 'in', q.serviceCodes);
    if (q.status) page = page.where('r.status', 'in', q.status);
    if (q.start) page = page.where('r.created_at', '>=', q.start);
    if (q.end) page = page.where('r.created_at', '<=', q.end);
    if (q.updatedAfter) page = page.where('r.updated_at', '>', q.updatedAfter);
    if (q.updatedBefore) page = page.where('r.updated_at', '<', q.updatedBefore);
  }
  const rows = await kernel.db
    .selectFrom(
      page
        .orderBy('r.created_at', 'desc')
        .orderBy('r.id', 'desc')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .as('r'),
    )
    .leftJoin('workflow_history as h', 'h.id', 'r.entry_id')
    .select([
      ...COLUMNS.map((c) => `r.${c}` as const),
      'r.version',
      'r.agency',
      'r.photo',
      'h.action',
      'h.to_state',
      'h.comment',
      'h.fields',
    ])
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .execute();

  const lang = ctx.lang;
  const files = `${ctx.baseUrl}/files/`;
  return rows.map((r) => {
    let notes: string | null = null;
    let expected: string | null = null;
    if (r.to_state) {
      const wf = kernel.workflows.get(reportWorkflow.code, r.version);
      // The comment is what the reporter was told; an action that tells no one keeps its note internal.
      const told = r.action ? wf.actions[r.action]?.tasks.some((task) => task.type === 'notify') : false;
      notes = (told && r.comment) || wf.states[r.to_state]!.label[lang];
      // Most entries carry no fields: parse only those that may name a planned date.
      if (r.status === 'open' && r.fields?.includes('planned-on')) {
        const planned = fromJson<Record<string, unknown>>(r.fields, {})['planned-on'];
        if (typeof planned === 'string') expected = planned;
      }
    }
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
      media_url: r.photo ? files + r.photo : null,
    };
  });
}

const ZIPCODE = /\b\d{5}\b/;
