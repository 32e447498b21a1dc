import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { Tables } from '../../../kernel/db/schema.js';
import type { Executor } from '../../../kernel/db/transaction.js';
import type { BBox } from '../../../kernel/geo/point-in-polygon.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { findItem, itemHistory } from '../../../kernel/workflow/items.js';
import { MAP_BAND_SQL, MAP_BANDS_PER_DEGREE } from '../migrations/0004_map_bands.js';
import { reportWorkflow } from '../workflow.js';
import type { CategoryTree } from './categories.js';

/** States that take a report off the public map and list (archived: closed and internal). */
export const HIDDEN_STATES = Object.entries(reportWorkflow.states)
  .filter(([, s]) => !s.public && ['closed', 'cancelled'].includes(s.status))
  .map(([code]) => code);

/** What the public list, map and API may filter on. Dates are the city's days, `YYYY-MM-DD`, inclusive. */
export interface PublicFilters {
  status?: 'open' | 'closed';
  /** Any node of the tree: a family stands for every leaf below it. */
  category?: string;
  district?: string;
  from?: string;
  to?: string;
  bbox?: BBox;
}

export interface PublicReportRow {
  id: string;
  reference: string;
  category: string;
  district: string;
  address: string | null;
  lat: number;
  lng: number;
  state: string;
  status: string;
  followers: number;
  createdAt: string;
}

type ReportQuery<O> = SelectQueryBuilder<Tables, 'street_reports', O>;

function leavesUnder(tree: CategoryTree, code: string): string[] {
  const node = tree.byCode.get(code);
  if (!node) return [code];
  const out: string[] = [];
  const walk = (c: typeof node) => (c.children.length ? c.children.forEach(walk) : out.push(c.code));
  walk(node);
  return out;
}

/** Beyond this many bands (a box over ~0.2° of latitude: bigger than a city) the query reads latitudes instead. */
const MAP_BANDS_MAX = 200;

/** The bands of latitude a box crosses (migration 0004), or null when there are too many to name. */
export function mapBands(bbox: BBox): number[] | null {
  const first = Math.floor(bbox.minLat * MAP_BANDS_PER_DEGREE);
  const last = Math.floor(bbox.maxLat * MAP_BANDS_PER_DEGREE);
  if (!(last - first < MAP_BANDS_MAX)) return null;
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/**
 * The filters as SQL. The status is always constrained (both values when unfiltered) and the box
 * names its bands of latitude then bounds longitude and latitude, so the `(status, band, lng, lat,
 * state, category, id)` index serves the map's box query with one short range per band.
 */
function filtered<O>(query: ReportQuery<O>, tree: CategoryTree, f: PublicFilters): ReportQuery<O> {
  let q = query.where('status', 'in', f.status ? [f.status] : ['open', 'closed']);
  if (f.bbox) {
    const bands = mapBands(f.bbox);
    if (bands) q = q.where(sql.raw<number>(MAP_BAND_SQL), 'in', bands);
    q = q
      .where('lng', '>=', f.bbox.minLon)
      .where('lng', '<=', f.bbox.maxLon)
      .where('lat', '>=', f.bbox.minLat)
      .where('lat', '<=', f.bbox.maxLat);
  }
  if (HIDDEN_STATES.length) q = q.where('state', 'not in', HIDDEN_STATES);
  if (f.category) {
    // In a box, the category is checked in the map index rather than sought: PostgreSQL (before 17)
    // would otherwise try every band with every leaf of a family, hundreds of descents of the index.
    const category = f.bbox ? sql<string>`${sql.ref('category')} || ''` : sql.ref('category');
    q = q.where(category, 'in', leavesUnder(tree, f.category));
  }
  if (f.district) q = q.where('district', '=', f.district);
  // Days as the resident reads them; times are UTC, a few hours' blur at the edges of a day is accepted.
  if (f.from) q = q.where('created_at', '>=', `${f.from}T00:00:00.000Z`);
  if (f.to) q = q.where('created_at', '<=', `${f.to}T23:59:59.999Z`);
  return q;
}

const columns = ['id', 'reference', 'category', 'district', 'address', 'lat', 'lng', 'state', 'status', 'followers', 'created_at'] as const;

function toRow(r: { [K in (typeof columns)[number]]: Tables['street_reports'][K] }): PublicReportRow {
  return {
    id: r.id,
    reference: r.reference,
    category: r.category,
    district: r.district,
    address: r.address,
    lat: Number(r.lat),
    lng: Number(r.lng),
    state: r.state,
    status: r.status,
    followers: Number(r.followers),
    createdAt: r.created_at,
  };
}

/** A cursor of the list: the last row's creation time and id (keyset pagination, newest first). */
export function listCursor(row: Pick<PublicReportRow, 'createdAt' | 'id'>): string {
  return Buffer.from(`${row.createdAt}|${row.id}`).toString('base64url');
}

function parseCursor(cursor: string | undefined): { at: string; id: string } | null {
  if (!cursor) return null;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  return at && id && /^[0-9a-f]{28}$/.test(id) ? { at, id } : null;
}

/** One page of public reports, newest first, and the cursor of the next page when there is one. */
export async function listPublicReports(
  db: Executor,
  tree: CategoryTree,
  filters: PublicFilters,
  page: { after?: string; limit: number },
): Promise<{ rows: PublicReportRow[]; next: string | null }> {
  const after = parseCursor(page.after);
  let q = filtered(db.selectFrom('street_reports').select([...columns]), tree, filters);
  if (after) {
    q = q.where((eb: ExpressionBuilder<Tables, 'street_reports'>) =>
      eb.or([eb('created_at', '<', after.at), eb.and([eb('created_at', '=', after.at), eb('id', '<', after.id)])]),
    );
  }
  const rows = (
    await q
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit + 1)
      .execute()
  ).map(toRow);
  const more = rows.length > page.limit;
  if (more) rows.pop();
  return { rows, next: more && rows.length ? listCursor(rows.at(-1)!) : null };
}

/** How many public reports the filters select. */
export async function countPublicReports(db: Executor, tree: CategoryTree, filters: PublicFilters): Promise<number> {
  const row = await filtered(
    db.selectFrom('street_reports').select((eb) => eb.fn.countAll<number>().as('n')),
    tree,
    filters,
  ).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The reports of a box, for a map that shows each one (the caller clusters first, and asks for them within a limit). */
export async function reportsInBox(db: Executor, tree: CategoryTree, filters: PublicFilters & { bbox: BBox }, limit: number) {
  return (await boxQuery(db, tree, filters, limit).execute()).map(toRow);
}

/** The map's query, exported so tests can check its plan on both engines. */
export function boxQuery(db: Executor, tree: CategoryTree, filters: PublicFilters & { bbox: BBox }, limit: number) {
  return filtered(db.selectFrom('street_reports').select([...columns]), tree, filters).limit(limit);
}

export interface Cluster {
  lat: number;
  lng: number;
  count: number;
  /** The report, when the cell holds only one. */
  id: string | null;
}

/**
 * Reports of a box grouped on a grid of `cellsAcross` columns (square cells on the ground), in SQL:
 * however many reports there are, the map receives at most one mark per cell, placed at the mean
 * of its points.
 */
export async function clusterReports(
  db: Executor,
  tree: CategoryTree,
  filters: PublicFilters & { bbox: BBox },
  grid: { cellLat: number; cellLng: number },
): Promise<Cluster[]> {
  const rows = await clusterQuery(db, tree, filters, grid).execute();
  return rows.map((r) => {
    const count = Number(r.n);
    // The sums divided here are what avg() divides on both engines: the same means, to the last bit.
    return { lat: Number(r.lat) / count, lng: Number(r.lng) / count, count, id: r.id };
  });
}

/**
 * The clusters' query, exported so tests can check its plan on both engines. It answers sums and
 * the id of single reports only: less for the engine to accumulate and to send.
 */
export function clusterQuery(
  db: Executor,
  tree: CategoryTree,
  filters: PublicFilters & { bbox: BBox },
  grid: { cellLat: number; cellLng: number },
) {
  const { bbox } = filters;
  return filtered(
    db
      .selectFrom('street_reports')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>('lat').as('lat'),
        eb.fn.sum<number>('lng').as('lng'),
        sql<string | null>`case when count(*) = 1 then min(id) end`.as('id'),
      ]),
    tree,
    filters,
  ).groupBy([
    sql`cast(floor((lat - ${bbox.minLat}) / ${grid.cellLat}) as integer)`,
    sql`cast(floor((lng - ${bbox.minLon}) / ${grid.cellLng}) as integer)`,
  ]);
}

export interface PublicHistoryEntry {
  state: string;
  at: string;
  /** The comment agents or contractors addressed to the reporter, when the step has one. */
  comment: string | null;
  photo: string | null;
}

export interface PublicReport extends PublicReportRow {
  description: string;
  channel: string;
  accountId: string | null;
  closedAt: string | null;
  /** The last state the public may see (an internal step shows as the public one before it). */
  publicState: string;
  photos: { fileId: string; kind: string }[];
  history: PublicHistoryEntry[];
}

/** A report as the public sees it, or null when it does not exist or is off the public record. */
export async function findPublicReport(db: Executor, kernel: Pick<Kernel, 'workflows'>, id: string): Promise<PublicReport | null> {
  const row = await db
    .selectFrom('street_reports')
    .select([...columns, 'description', 'channel', 'account_id', 'closed_at', 'item_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row || HIDDEN_STATES.includes(row.state)) return null;
  const item = await findItem(db, row.item_id);
  const states = item ? kernel.workflows.get(item.workflow, item.version).states : reportWorkflow.states;
  const history = (await itemHistory(db, row.item_id))
    .filter((h) => states[h.to]?.public)
    .map((h) => {
      const photo = h.fields.after;
      return {
        state: h.to,
        at: h.at,
        comment: h.comment,
        photo: typeof photo === 'string' ? photo : Array.isArray(photo) && typeof photo[0] === 'string' ? photo[0] : null,
      };
    });
  const photos = await db
    .selectFrom('street_report_photos')
    .select(['file_id', 'kind'])
    .where('report_id', '=', id)
    .where('redacted', '=', 0)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return {
    ...toRow(row),
    description: row.description,
    channel: row.channel,
    accountId: row.account_id,
    closedAt: row.closed_at,
    publicState: states[row.state]?.public ? row.state : (history.at(-1)?.state ?? reportWorkflow.initial),
    photos: photos.map((p) => ({ fileId: p.file_id, kind: p.kind })),
    history,
  };
}
