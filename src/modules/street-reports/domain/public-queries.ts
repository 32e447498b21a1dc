import { type ExpressionBuilder, PostgresAdapter, type SelectQueryBuilder, sql } from 'kysely';
import type { Tables } from '../../../kernel/db/schema.js';
import type { Executor } from '../../../kernel/db/transaction.js';
import type { BBox } from '../../../kernel/geo/point-in-polygon.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { findItem, itemHistory } from '../../../kernel/workflow/items.js';
import { MAP_BAND_SQL, MAP_BANDS_PER_DEGREE } from '../migrations/0004_map_bands.js';
import {
  cellNorth,
  cellWest,
  cellX,
  cellXSql,
  cellY,
  cellYSql,
  MAP_CELL_ID_PARTS,
  MAP_CELL_ZOOMS,
  MAP_CELLS_HIDDEN_STATES,
} from '../migrations/0005_map_cells.js';
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

/** Ids as `newId()` makes them: the counted cells can give back no other (migration 0005). */
const ID_DIGITS = /^[0-9a-f]{28}$/;

/** A counted cell's id parts (migration 0005) as the id's 28 hexadecimal digits. */
function idText(postgres: boolean) {
  const parts = MAP_CELL_ID_PARTS.map((part) => (postgres ? sql`lpad(to_hex(${sql.ref(part)}), 7, '0')` : sql.ref(part)));
  return postgres ? sql.join(parts, sql` || `) : sql`printf('%07x%07x%07x%07x', ${sql.join(parts)})`;
}

/** The finest zoom the map answers (cells of ~5 cm): beyond it a box is a few reports anyway. */
const MAP_ZOOM_MAX = 28;

/** The zoom whose cells (Web Mercator, 2^zoom across the world) are the smallest at least `cellLng` degrees wide. */
export function mapZoom(cellLng: number): number {
  return Math.max(0, Math.min(MAP_ZOOM_MAX, Math.floor(Math.log2(360 / cellLng))));
}

/** The counted cells (migration 0005) leave out the states the map hides: usable while those are the same. */
const cellsCountHidden =
  HIDDEN_STATES.length === MAP_CELLS_HIDDEN_STATES.length && MAP_CELLS_HIDDEN_STATES.every((s) => HIDDEN_STATES.includes(s));

/** Cells of a zoom lying wholly inside a box, with a margin (null when there are none). */
export function innerCells(bbox: BBox, zoom: number): { x0: number; x1: number; y0: number; y1: number } | null {
  const scale = 2 ** zoom;
  // A millionth of a cell: far beyond the rounding of either side, far below any visible shift.
  const margin = 1e-6;
  const x0 = Math.ceil(cellX(bbox.minLon, scale) + margin);
  const x1 = Math.floor(cellX(bbox.maxLon, scale) - margin) - 1;
  const y0 = Math.ceil(cellY(bbox.maxLat, scale) + margin);
  const y1 = Math.floor(cellY(bbox.minLat, scale) - margin) - 1;
  return x0 <= x1 && y0 <= y1 && y1 - y0 < 1000 ? { x0, x1, y0, y1 } : null;
}

/**
 * The public API's map clusters: reports of a box grouped on the grid of a Web Mercator zoom
 * level (`mapZoom`), so that a cell stays in place as the map pans. Cells wholly inside the box
 * are read from the counts kept by migration 0005's triggers when the filters are only a status
 * (a category, district or dates are not counted); the reports of the cells across the box's
 * edges, and of every cell for other filters, are grouped here from `street_reports`. Either way
 * a cluster is its cell's count, mean position and, for a single report, its id.
 */
export async function mapClusters(
  db: Executor,
  tree: CategoryTree,
  filters: PublicFilters & { bbox: BBox },
  cellLng: number,
): Promise<{ zoom: number; clusters: Cluster[] }> {
  const zoom = mapZoom(cellLng);
  const scale = 2 ** zoom;
  const counted =
    cellsCountHidden &&
    (MAP_CELL_ZOOMS as readonly number[]).includes(zoom) &&
    !filters.category &&
    !filters.district &&
    !filters.from &&
    !filters.to;
  const inner = counted ? innerCells(filters.bbox, zoom) : null;
  const cy = sql.raw<number>(cellYSql('lat', String(scale)));
  const cx = sql.raw<number>(cellXSql('lng', String(scale)));
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // The counted cells as one JSON array of [key, count, lat_sum, lng_sum, id of a single report]:
  // a single value to hand over instead of hundreds of rows (twice as fast on SQLite).
  const cellsQuery = inner
    ? db
        .selectFrom('street_report_map_cells')
        .select(
          sql<
            string | Array<[number, number, number, number, string | null]>
          >`${sql.raw(postgres ? 'json_agg' : 'json_group_array')}(json_${sql.raw(postgres ? 'build_' : '')}array(cast(cy as bigint) * 1073741824 + cx, n, lat_sum, lng_sum, case when n = 1 then ${idText(postgres)} end))`.as(
            'cells',
          ),
        )
        .where('zoom', '=', zoom)
        .where('status', 'in', filters.status ? [filters.status] : ['open', 'closed'])
        // One short range of the primary key per row of cells.
        .where(
          'cy',
          'in',
          Array.from({ length: inner.y1 - inner.y0 + 1 }, (_, i) => inner.y0 + i),
        )
        .where('cx', '>=', inner.x0)
        .where('cx', '<=', inner.x1)
        .where('n', '>', 0)
    : null;
  const reports = (bbox: BBox, strictLat?: [number, number]) => {
    let q = filtered(db.selectFrom('street_reports').select(['lat', 'lng', 'id']), tree, { ...filters, bbox });
    if (strictLat) q = q.where('lat', '>', strictLat[0]).where('lat', '<', strictLat[1]);
    // Exactly the reports the counted cells leave out, whatever the rounding at their edges.
    if (inner) q = q.where(sql<boolean>`not (${cy} between ${inner.y0} and ${inner.y1} and ${cx} between ${inner.x0} and ${inner.x1})`);
    return q;
  };
  let edges: SelectQueryBuilder<any, any, { lat: number; lng: number; id: string }>;
  const { bbox } = filters;
  if (inner) {
    // The reports along the box's edges, outside the counted cells: four disjoint strips that
    // reach a little (m, 1 cm) into those cells, each read from the map index like any box.
    const m = 1e-7;
    const [west, east] = [cellWest(inner.x0, scale) + m, cellWest(inner.x1 + 1, scale) - m];
    const [north, south] = [cellNorth(inner.y0, scale) - m, cellNorth(inner.y1 + 1, scale) + m];
    edges = reports({ ...bbox, minLat: north })
      .unionAll(reports({ ...bbox, maxLat: south }))
      .unionAll(reports({ ...bbox, maxLon: west }, [south, north]))
      .unionAll(reports({ ...bbox, minLon: east }, [south, north]));
  } else edges = reports(bbox);
  const [edgeRows, cellsRow] = await Promise.all([
    db
      .selectFrom(edges.as('r'))
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>('lat').as('lat'),
        eb.fn.sum<number>('lng').as('lng'),
        sql<string | null>`case when count(*) = 1 then min(id) end`.as('id'),
      ])
      .groupBy([cy, cx])
      .execute(),
    cellsQuery?.executeTakeFirst(),
  ]);
  const clusters: Cluster[] = edgeRows.map((r) => {
    const count = Number(r.n);
    return { lat: Number(r.lat) / count, lng: Number(r.lng) / count, count, id: r.id };
  });
  // A cell may have a row per status: added up before the means.
  const cellRows = typeof cellsRow?.cells === 'string' ? JSON.parse(cellsRow.cells) : (cellsRow?.cells ?? []);
  const cells = new Map<number, Cluster>();
  for (const [key, n, lat, lng, id] of cellRows as Array<[number, number, number | string, number | string, string | null]>) {
    const cell = cells.get(key);
    if (cell) {
      cell.count += n;
      cell.lat += Number(lat);
      cell.lng += Number(lng);
      cell.id = null;
    } else cells.set(key, { count: n, lat: Number(lat), lng: Number(lng), id: id && ID_DIGITS.test(id) ? id : null });
  }
  for (const c of cells.values()) clusters.push({ lat: c.lat / c.count / 1e7, lng: c.lng / c.count / 1e7, count: c.count, id: c.id });
  return { zoom, clusters };
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
