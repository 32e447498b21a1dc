import fc from 'fast-check';
import { PostgresAdapter, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../src/kernel/db/values.js';
import { HIDDEN_STATES, innerCells, mapClusters, mapZoom } from '../../../src/modules/street-reports/domain/public-queries.js';
import { categoriesOf } from '../../../src/modules/street-reports/domain/settings.js';
import {
  cellOf,
  cellXSql,
  cellYSql,
  MAP_CELL_ZOOMS,
  MAP_CELLS_HIDDEN_STATES,
  mapCellsSql,
} from '../../../src/modules/street-reports/migrations/0005_map_cells.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { fileReport, PARIS_11, POTHOLE, reportRow } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const engine = () => (t.kernel.db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite');

type CellRow = { zoom: number; status: string; cy: number; cx: number; n: number; lat_sum: number; lng_sum: number; id: string | null };

/** The counted cells as the triggers left them (empty ones must hold nothing). */
async function counted(): Promise<string[]> {
  const rows = await t.kernel.db.selectFrom('street_report_map_cells').selectAll().execute();
  for (const r of rows.filter((r) => Number(r.n) === 0)) {
    expect([r.lat_sum, r.lng_sum, r.id_a, r.id_b, r.id_c, r.id_d].map(Number)).toEqual([0, 0, 0, 0, 0, 0]);
  }
  return rows
    .filter((r) => Number(r.n) > 0)
    .map((r) => {
      const n = Number(r.n);
      const id = n === 1 ? [r.id_a, r.id_b, r.id_c, r.id_d].map((p) => Number(p).toString(16).padStart(7, '0')).join('') : null;
      return `${r.zoom} ${r.status} ${r.cy} ${r.cx} ${n} ${Number(r.lat_sum)} ${Number(r.lng_sum)} ${id}`;
    })
    .sort();
}

/** The same, recounted from `street_reports` (visible reports only). */
async function recounted(): Promise<string[]> {
  const e7 = (column: string) =>
    engine() === 'postgres' ? `sum(round(${column} * 1e7)::bigint)` : `sum(cast(round(${column} * 1e7) as integer))`;
  const out: string[] = [];
  for (const zoom of MAP_CELL_ZOOMS) {
    const scale = String(2 ** zoom);
    const { rows } = await sql<CellRow>`select ${sql.raw(cellYSql('lat', scale))} as cy, ${sql.raw(cellXSql('lng', scale))} as cx, status,
        count(*) as n, ${sql.raw(e7('lat'))} as lat_sum, ${sql.raw(e7('lng'))} as lng_sum, min(id) as id
      from street_reports where state not in (${sql.join(HIDDEN_STATES)})
      group by 1, 2, 3`.execute(t.kernel.db);
    for (const r of rows) {
      const n = Number(r.n);
      out.push(`${zoom} ${r.status} ${r.cy} ${r.cx} ${n} ${Number(r.lat_sum)} ${Number(r.lng_sum)} ${n === 1 ? r.id : null}`);
    }
  }
  return out.sort();
}

const report = (id: string, lat: number, lng: number, state: string, status: string) => reportRow({ id, lat, lng, state, status });

/** States and their public status: open, closed, and hidden (archived). */
const STATES = [
  ['new', 'open'],
  ['to-treat', 'open'],
  ['done', 'closed'],
  ['rejected', 'closed'],
  ['archived', 'closed'],
] as const;

describe('the map’s counted cells (migration 0005)', () => {
  it('leave out the states the map hides', () => {
    expect([...MAP_CELLS_HIDDEN_STATES].sort()).toEqual([...HIDDEN_STATES].sort());
  });

  it('equal a recount from the reports after any creations, state changes, moves and deletions', async () => {
    // Points a few metres to a few hundred metres apart: many share a cell at every zoom.
    const point = fc.record({
      lat: fc.double({ min: PARIS_11.lat - 0.003, max: PARIS_11.lat + 0.003, noNaN: true }),
      lng: fc.double({ min: PARIS_11.lng - 0.004, max: PARIS_11.lng + 0.004, noNaN: true }),
    });
    const op = fc.oneof(
      fc.record({ kind: fc.constant('create' as const), point, state: fc.constantFrom(...STATES) }),
      fc.record({ kind: fc.constant('state' as const), pick: fc.nat(), state: fc.constantFrom(...STATES) }),
      fc.record({ kind: fc.constant('move' as const), pick: fc.nat(), point }),
      fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const ids: string[] = [];
        const db = t.kernel.db;
        for (const o of ops) {
          if (o.kind === 'create') {
            const id = newId();
            await db
              .insertInto('street_reports')
              .values(report(id, o.point.lat, o.point.lng, o.state[0], o.state[1]))
              .execute();
            ids.push(id);
            continue;
          }
          if (!ids.length) continue;
          const id = ids[o.pick % ids.length]!;
          if (o.kind === 'state') {
            await db.updateTable('street_reports').set({ state: o.state[0], status: o.state[1] }).where('id', '=', id).execute();
          } else if (o.kind === 'move') {
            await db.updateTable('street_reports').set({ lat: o.point.lat, lng: o.point.lng }).where('id', '=', id).execute();
          } else {
            await db.deleteFrom('street_reports').where('id', '=', id).execute();
            ids.splice(ids.indexOf(id), 1);
          }
        }
        // Other columns do not touch the cells.
        if (ids.length) await db.updateTable('street_reports').set({ followers: 3, category: 'x' }).where('id', '=', ids[0]!).execute();
        expect(await counted()).toEqual(await recounted());
        await db
          .deleteFrom('street_reports')
          .where('id', 'in', [...ids, newId()])
          .execute();
      }),
      { numRuns: 12 },
    );
    expect(await counted()).toEqual(await recounted());
  });

  it('follow reports filed and moved through their workflow, and a rebuild gives the same cells', async () => {
    const filed = await fileReport(t.kernel, { category: POTHOLE });
    const before = await counted();
    expect(before).toEqual(await recounted());
    expect(before.some((c) => c.startsWith('19 open ') && c.endsWith(filed.id))).toBe(true);
    // Rebuilding (the migration on existing reports, bulk loads) counts the same cells, empty ones aside.
    for (const statement of mapCellsSql(engine()).rebuild) await sql.raw(statement).execute(t.kernel.db);
    expect(await counted()).toEqual(before);
  });

  it('answer the map’s clusters: counted cells inside the box, reports grouped along its edges, the same as a recount', async () => {
    const tree = categoriesOf(t.kernel);
    // 2,000 reports around place Léon-Blum, a third closed, a few archived.
    const rows = Array.from({ length: 2000 }, (_, i) => {
      const [state, status] = i % 29 === 0 ? STATES[4] : i % 3 ? STATES[0] : STATES[2];
      return report(
        newId(),
        PARIS_11.lat - 0.01 + ((i * 7919) % 2000) / 2000 / 50,
        PARIS_11.lng - 0.015 + ((i * 104_729) % 2000) / 2000 / 33,
        state,
        status,
      );
    });
    for (let i = 0; i < rows.length; i += 250)
      await t.kernel.db
        .insertInto('street_reports')
        .values(rows.slice(i, i + 250))
        .execute();
    const all = await t.kernel.db.selectFrom('street_reports').select(['id', 'lat', 'lng', 'status', 'state', 'category']).execute();
    const bbox = { minLon: PARIS_11.lng - 0.012, minLat: PARIS_11.lat - 0.008, maxLon: PARIS_11.lng + 0.012, maxLat: PARIS_11.lat + 0.005 };
    for (const filters of [
      { status: 'open' as const },
      { status: 'closed' as const },
      {},
      { status: 'open' as const, category: POTHOLE },
    ]) {
      for (const grid of [8, 32, 64]) {
        const cellLng = (bbox.maxLon - bbox.minLon) / grid;
        const zoom = mapZoom(cellLng);
        if (!('category' in filters)) expect(innerCells(bbox, zoom)).not.toBeNull();
        const { clusters } = await mapClusters(t.kernel.db, tree, { ...filters, bbox }, cellLng);
        const expected = new Map<string, { n: number; lat: number; lng: number; ids: string[] }>();
        for (const r of all) {
          if (HIDDEN_STATES.includes(r.state) || ('status' in filters && r.status !== filters.status)) continue;
          if ('category' in filters && r.category !== filters.category) continue;
          if (r.lat < bbox.minLat || r.lat > bbox.maxLat || r.lng < bbox.minLon || r.lng > bbox.maxLon) continue;
          const { cy, cx } = cellOf(r.lat, r.lng, zoom);
          const cell = expected.get(`${cy} ${cx}`) ?? { n: 0, lat: 0, lng: 0, ids: [] };
          cell.n++;
          cell.lat += r.lat;
          cell.lng += r.lng;
          cell.ids.push(r.id);
          expected.set(`${cy} ${cx}`, cell);
        }
        // Each cluster is its cell's count and id (a single report's), at the mean of its points
        // (to 1e-7 degree: counted cells sum coordinates in 1e-7 degrees), which lies in the cell.
        const got = new Map(clusters.map((c) => [`${cellOf(c.lat, c.lng, zoom).cy} ${cellOf(c.lat, c.lng, zoom).cx}`, c]));
        expect(got.size).toBe(clusters.length);
        expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [cell, c] of expected) {
          const cluster = got.get(cell)!;
          expect([cluster.count, cluster.id]).toEqual([c.n, c.n === 1 ? c.ids[0] : null]);
          expect(Math.abs(cluster.lat - c.lat / c.n)).toBeLessThan(1e-7);
          expect(Math.abs(cluster.lng - c.lng / c.n)).toBeLessThan(1e-7);
        }
        expect(clusters.length).toBeLessThanOrEqual((grid + 1) * (grid + 1));
      }
    }
    // Through the API: clusters beyond the limit, their counts adding up to the reports of the box.
    const answer = (
      await t.app.inject({ url: `/api/v1/street-reports?bbox=${[bbox.minLon, bbox.minLat, bbox.maxLon, bbox.maxLat].join(',')}&limit=100` })
    ).json();
    expect(answer.total).toBe(
      all.filter(
        (r) =>
          !HIDDEN_STATES.includes(r.state) && r.lat >= bbox.minLat && r.lat <= bbox.maxLat && r.lng >= bbox.minLon && r.lng <= bbox.maxLon,
      ).length,
    );
    expect(answer.clusters.length).toBeGreaterThan(1);
  });
});
