import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { Migration } from '../../../kernel/db/migrator.js';

/**
 * Clusters of the public map, counted in advance: for each zoom level, each cell of that level's
 * grid (Web Mercator tiles: 2^zoom columns around the world, rows as tall on the ground as they are
 * wide) and each public status, how many reports it holds, the sums of their coordinates and, so a
 * cell of one report can name it, the sums of their ids' digits. Reports in a hidden state (archived) are
 * left out, as the map leaves them out. Database triggers keep the table in step with every write
 * to `street_reports` (creation, state change, requalified place, deletion), in the same
 * transaction, on both engines; `mapCellsSql` gives the statements that drop, rebuild and recreate
 * them, for bulk loads (bench/lib/seed-reports.mjs).
 *
 * The map's wide boxes then read one row per cell instead of sorting thousands of reports
 * (`mapClusters` in domain/public-queries.ts): ~500 cells instead of ~4,000 reports for a
 * street-level view of central Paris on 1M reports.
 */
export interface StreetReportMapCellsTable {
  zoom: number;
  /** open | closed */
  status: string;
  /** Row of the zoom's grid, from the north. */
  cy: number;
  /** Column of the zoom's grid, from 180° west. */
  cx: number;
  n: number;
  /** Sums of the coordinates in 1e-7 degrees (integers: exact however reports come and go). */
  lat_sum: number;
  lng_sum: number;
  /** Sums of the ids' hexadecimal digits 1–7, 8–14, 15–21 and 22–28 as integers: the id itself when `n` is 1. */
  id_a: number;
  id_b: number;
  id_c: number;
  id_d: number;
}

declare module '../../../kernel/db/schema.js' {
  interface Tables {
    street_report_map_cells: StreetReportMapCellsTable;
  }
}

/** The zoom levels counted: a grid of 32 across a box from ~6 m (19) to ~1,400 km (8) wide in Paris. */
export const MAP_CELL_ZOOMS = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19] as const;
/**
 * The states the table leaves out, written into its triggers: the map query uses the table only
 * while the workflow hides exactly these (HIDDEN_STATES in domain/public-queries.ts).
 */
export const MAP_CELLS_HIDDEN_STATES = ['archived'] as const;

type Engine = 'sqlite' | 'postgres';
/** Latitudes beyond ±85° (no city) are counted at 85°, where Web Mercator stops. */
const clamped = (lat: string) => `case when ${lat} > 85 then 85.0 when ${lat} < -85 then -85.0 else ${lat} end`;
// Decimal points everywhere: on SQLite a whole number stored in a REAL column may come back as an integer, and 49 / 2 is 24.
/** The cell of a point at a zoom whose grid has `scale` (2^zoom) cells across: the same text in triggers and queries, so the same doubles. */
export const cellXSql = (lng: string, scale: string) => `cast(floor((${lng} + 180.0) / 360.0 * ${scale}) as integer)`;
export const cellYSql = (lat: string, scale: string) =>
  `cast(floor((1.0 - ln(tan(radians(45.0 + ${clamped(lat)} / 2.0))) / pi()) / 2.0 * ${scale}) as integer)`;
/** The fractional column and row of a point (JavaScript's side of the expressions above). */
export const cellX = (lng: number, scale: number) => ((lng + 180) / 360) * scale;
/** What the SQL above computes, in JavaScript (tests; queries decide with a margin, never on this alone). */
export const cellOf = (lat: number, lng: number, zoom: number) => ({
  cy: Math.floor(cellY(lat, 2 ** zoom)),
  cx: Math.floor(cellX(lng, 2 ** zoom)),
});
export const cellY = (lat: number, scale: number) =>
  ((1 - Math.log(Math.tan(((45 + Math.max(-85, Math.min(85, lat)) / 2) * Math.PI) / 180)) / Math.PI) / 2) * scale;
/** The longitude of a column's west edge and the latitude of a row's north edge. */
export const cellWest = (cx: number, scale: number) => (cx / scale) * 360 - 180;
export const cellNorth = (cy: number, scale: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * cy) / scale))) * 180) / Math.PI;

const E7 = (v: string, engine: Engine) => (engine === 'postgres' ? `round(${v} * 1e7)::bigint` : `cast(round(${v} * 1e7) as integer)`);
/** Hexadecimal digits `from`..`from + 6` (1-based) of an id as an integer (0–15 per digit; any other character counts -1). */
function hexSql(id: string, from: number, engine: Engine): string {
  const find = engine === 'postgres' ? 'strpos' : 'instr';
  const terms = Array.from(
    { length: ID_DIGITS },
    (_, i) => `(${find}('0123456789abcdef', substr(${id}, ${from + i}, 1)) - 1) * ${16 ** (ID_DIGITS - 1 - i)}`,
  );
  return `(${terms.join(' + ')})`;
}
/** An id (28 hexadecimal digits) in four parts of 7 digits: sums of up to 2^25 of them stay exact in a double. */
const ID_DIGITS = 7;
export const MAP_CELL_ID_PARTS = ['id_a', 'id_b', 'id_c', 'id_d'] as const;
const visible = (row: string) => `${row}.state not in (${MAP_CELLS_HIDDEN_STATES.map((s) => `'${s}'`).join(', ')})`;
const TABLE = 'street_report_map_cells';
const COLUMNS = `zoom, status, cy, cx, n, lat_sum, lng_sum, ${MAP_CELL_ID_PARTS.join(', ')}`;

/** A report's contribution to the cell of one zoom (`r` names the report: new, old, or a row of the table). */
function contribution(r: string, zoom: number, engine: Engine): string {
  const scale = String(2 ** zoom);
  return (
    `${zoom} as zoom, ${r}.status as status, ${cellYSql(`${r}.lat`, scale)} as cy, ${cellXSql(`${r}.lng`, scale)} as cx, 1 as n, ` +
    `${E7(`${r}.lat`, engine)} as lat_sum, ${E7(`${r}.lng`, engine)} as lng_sum, ` +
    MAP_CELL_ID_PARTS.map((column, i) => `${hexSql(`${r}.id`, 1 + i * ID_DIGITS, engine)} as ${column}`).join(', ')
  );
}
const contributions = (r: string, engine: Engine) =>
  MAP_CELL_ZOOMS.map((zoom) => `select ${contribution(r, zoom, engine)}`).join(' union all ');

/** Adds report `r` to its cells, when `when` holds. */
function add(r: string, engine: Engine, when = 'true'): string {
  return (
    `insert into ${TABLE} (${COLUMNS}) select ${COLUMNS} from (${contributions(r, engine)}) as c where ${when} ` +
    `on conflict (zoom, status, cy, cx) do update set n = ${TABLE}.n + 1, ` +
    ['lat_sum', 'lng_sum', ...MAP_CELL_ID_PARTS].map((column) => `${column} = ${TABLE}.${column} + excluded.${column}`).join(', ')
  );
}

/** Takes report `r` out of its cells, when `when` holds. */
function remove(r: string, engine: Engine, when = 'true'): string {
  return (
    `update ${TABLE} set n = ${TABLE}.n - 1, ` +
    ['lat_sum', 'lng_sum', ...MAP_CELL_ID_PARTS].map((column) => `${column} = ${TABLE}.${column} - c.${column}`).join(', ') +
    ` from (${contributions(r, engine)}) as c where ${TABLE}.zoom = c.zoom and ${TABLE}.status = c.status` +
    ` and ${TABLE}.cy = c.cy and ${TABLE}.cx = c.cx and ${when}`
  );
}

/** The statements that drop the triggers, refill the table from `street_reports` (one zoom at a time), and create the triggers. */
export function mapCellsSql(engine: Engine): { dropTriggers: string[]; rebuild: string[]; createTriggers: string[] } {
  const sums = ['lat_sum', 'lng_sum', ...MAP_CELL_ID_PARTS].map((column) => `sum(${column})`).join(', ');
  const rebuild = [
    `delete from ${TABLE}`,
    ...MAP_CELL_ZOOMS.map(
      (zoom) =>
        `insert into ${TABLE} (${COLUMNS}) select zoom, status, cy, cx, count(*), ${sums} ` +
        `from (select ${contribution('r', zoom, engine)} from street_reports as r where ${visible('r')}) as c group by zoom, status, cy, cx`,
    ),
  ];
  if (engine === 'postgres') {
    return {
      dropTriggers: [`drop trigger if exists ${TABLE}_sync on street_reports`],
      rebuild,
      createTriggers: [
        `create or replace function ${TABLE}_sync() returns trigger language plpgsql as $$ begin
  if tg_op = 'UPDATE' and (old.lat, old.lng, old.status, old.state, old.id) is not distinct from (new.lat, new.lng, new.status, new.state, new.id)
    then return null; end if;
  if tg_op <> 'INSERT' and ${visible('old')} then ${remove('old', engine)}; end if;
  if tg_op <> 'DELETE' and ${visible('new')} then ${add('new', engine)}; end if;
  return null;
end $$`,
        `create trigger ${TABLE}_sync after insert or delete or update of lat, lng, status, state, id on street_reports ` +
          `for each row execute function ${TABLE}_sync()`,
      ],
    };
  }
  const moved = ['lat', 'lng', 'status', 'state', 'id'].map((c) => `old.${c} is not new.${c}`).join(' or ');
  return {
    dropTriggers: ['insert', 'update', 'delete'].map((op) => `drop trigger if exists ${TABLE}_${op}`),
    rebuild,
    createTriggers: [
      `create trigger ${TABLE}_insert after insert on street_reports when ${visible('new')} begin ${add('new', engine)}; end`,
      `create trigger ${TABLE}_update after update of lat, lng, status, state, id on street_reports when ${moved} begin ` +
        `${remove('old', engine, visible('old'))}; ${add('new', engine, visible('new'))}; end`,
      `create trigger ${TABLE}_delete after delete on street_reports when ${visible('old')} begin ${remove('old', engine)}; end`,
    ],
  };
}

export const mapCellsMigration: Migration = {
  async up(db: Kysely<any>) {
    const engine: Engine = db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
    await db.schema
      .createTable('street_report_map_cells')
      .addColumn('zoom', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('cy', 'integer', (c) => c.notNull())
      .addColumn('cx', 'integer', (c) => c.notNull())
      .addColumn('n', 'integer', (c) => c.notNull())
      .addColumn('lat_sum', 'bigint', (c) => c.notNull())
      .addColumn('lng_sum', 'bigint', (c) => c.notNull())
      .addColumn('id_a', 'bigint', (c) => c.notNull())
      .addColumn('id_b', 'bigint', (c) => c.notNull())
      .addColumn('id_c', 'bigint', (c) => c.notNull())
      .addColumn('id_d', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('street_report_map_cells_pk', ['zoom', 'status', 'cy', 'cx'])
      .execute();
    const statements = mapCellsSql(engine);
    for (const statement of [...statements.rebuild, ...statements.createTriggers]) await sql.raw(statement).execute(db);
  },
};
