#!/usr/bin/env node
// A city-sized `street_reports` table (issue #5): 1,000,000 reports over the 20 arrondissements of
// Paris and the last two years, each with the workflow item and public history Open311 joins and
// reads, and a photo row for most. Rows come from a seeded generator, so both engines get the same
// data. By hand: `node bench/lib/seed-reports.mjs <dataDir | DATABASE_URL>` on a migrated and
// seeded (`civitas seed`) database; `npm run build` first (codes come from dist/).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { categoriesFromCsv } from '../../dist/modules/street-reports/domain/categories.js';
import { CHANNELS } from '../../dist/modules/street-reports/domain/create-report.js';
import { mapCellsSql } from '../../dist/modules/street-reports/migrations/0005_map_cells.js';
import { reportWorkflow } from '../../dist/modules/street-reports/workflow.js';
import { openDatabase } from './db.mjs';
import { generator, referenceCounters, saveReferenceCounters } from './seed-demands.mjs';

export const REPORTS_TOTAL = 1_000_000;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CITY_DIR = join(ROOT, 'cities/paris');
const DAY_MS = 86_400_000;
const SPAN_MS = 2 * 365 * DAY_MS;
/** Reports generated and inserted at a time: bounded memory (a million rows of four tables would take gigabytes). */
const BATCH = 50_000;
const WORKFLOW = reportWorkflow.code;

const hex = (n, width) => Math.floor(n).toString(16).padStart(width, '0');
const pick = (random, list) => list[Math.floor(random() * list.length)];

/** Picks among `[value, weight]` pairs. */
function weighted(pairs) {
  const total = pairs.reduce((a, [, w]) => a + w, 0);
  return (random) => {
    let w = random() * total;
    for (const [value, weight] of pairs) {
      w -= weight;
      if (w < 0) return value;
    }
    return pairs[pairs.length - 1][0];
  };
}

// ---------------------------------------------------------------------------------------------
// Places: a district drawn by its population (reports follow residents and passers-by, not area:
// by area the woods of the 12th and 16th would take a third of them), then a point drawn in its
// bounding box until it falls inside its polygon.

/** Residents of each arrondissement, in thousands (INSEE, 2020, rounded). */
const POPULATION = [16, 21, 34, 29, 58, 41, 49, 36, 59, 83, 144, 140, 178, 136, 230, 162, 166, 191, 183, 194];

function insideRing(ring, x, y) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Inside the outer ring and outside every hole. */
const insidePolygon = (rings, x, y) => insideRing(rings[0], x, y) && !rings.slice(1).some((hole) => insideRing(hole, x, y));

export function loadDistricts(file = join(CITY_DIR, 'arrondissements.geojson')) {
  const geo = JSON.parse(readFileSync(file, 'utf8'));
  return geo.features.map((f) => {
    const polygons = f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates : [f.geometry.coordinates];
    const points = polygons.flatMap((rings) => rings[0]);
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    return {
      code: String(f.properties.c_arinsee),
      number: Number(f.properties.c_ar),
      polygons,
      bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
    };
  });
}

export function pointIn(random, district) {
  const [minX, minY, maxX, maxY] = district.bbox;
  for (;;) {
    const x = minX + random() * (maxX - minX);
    const y = minY + random() * (maxY - minY);
    if (district.polygons.some((rings) => insidePolygon(rings, x, y))) return [x, y];
  }
}

// ---------------------------------------------------------------------------------------------
// Lives of reports: the workflow's actions (src/modules/street-reports/workflow.ts) from `new` to
// where each report is now. The last step names the state; its status says open or closed.

const agent = 'agent';
const system = 'system';
/** [action, to_state, actor kind, comment, fields] after the creation in `new`. */
const PATHS = {
  new: [[]],
  'to-treat': [[['acknowledge', 'to-treat', agent]]],
  'field-work': [
    [
      ['acknowledge', 'to-treat', agent],
      ['field-work', 'field-work', agent],
    ],
  ],
  scheduled: [
    [
      ['acknowledge', 'to-treat', agent],
      ['field-work', 'field-work', agent],
      ['schedule', 'scheduled', agent, null, 'planned'],
    ],
  ],
  'sent-to-contractor': [
    [
      ['acknowledge', 'to-treat', agent],
      ['dispatch', 'sent-to-contractor', agent],
    ],
  ],
  done: [
    [
      ['acknowledge', 'to-treat', agent],
      ['dispatch', 'sent-to-contractor', agent],
      ['contractor-scheduled', 'contractor-scheduled', system, 'Intervention prévue.', 'planned'],
      ['contractor-done', 'done', system, 'Intervention réalisée.'],
    ],
    [
      ['acknowledge', 'to-treat', agent],
      ['field-work', 'field-work', agent],
      ['resolve', 'done', agent, 'Le problème a été traité par nos équipes.'],
    ],
  ],
  rejected: [[['reject', 'rejected', agent, 'Ce signalement ne relève pas de la Ville de Paris.']]],
  duplicate: [[['mark-duplicate', 'duplicate', system, 'Déjà signalé.']]],
};
const openState = weighted([
  ['new', 20],
  ['to-treat', 30],
  ['field-work', 20],
  ['scheduled', 10],
  ['sent-to-contractor', 20],
]);
const closedState = weighted([
  ['done', 80],
  ['rejected', 12],
  ['duplicate', 8],
]);
/** Newer reports are more often open: overall ~70 % closed over two years. */
const closedShare = (ageDays) => (ageDays < 7 ? 0.2 : ageDays < 30 ? 0.45 : ageDays < 90 ? 0.6 : 0.75);
const ARCHIVE_AFTER_MS = 365 * DAY_MS;

const STREETS = [
  'rue de Rivoli',
  'boulevard Voltaire',
  'rue de la Roquette',
  'avenue de Clichy',
  'rue des Pyrénées',
  'boulevard de Belleville',
  'rue de Vaugirard',
  'avenue Daumesnil',
  'rue du Faubourg Saint-Antoine',
  'rue Oberkampf',
  'boulevard Barbès',
  'rue Ordener',
  'avenue de Flandre',
  'rue de Charonne',
  'rue Lecourbe',
  'avenue d’Italie',
  'rue de Belleville',
  'boulevard Magenta',
  'rue Championnet',
  'rue de Tolbiac',
];
const DESCRIPTIONS = [
  'Dépôt d’encombrants sur le trottoir depuis plusieurs jours, le passage des poussettes est impossible.',
  'Nid-de-poule profond au milieu de la chaussée, dangereux pour les cyclistes.',
  'Lampadaire éteint, la rue est entièrement dans le noir le soir.',
  'Tags sur la façade et la porte de l’immeuble.',
  'Potelet arraché, les morceaux de métal dépassent du trottoir.',
  'Corbeille de rue débordante, des déchets s’envolent sur la chaussée.',
  'Trottinettes et vélos en libre-service couchés en travers du trottoir.',
  'Fuite d’eau sur la chaussée au niveau de la bouche d’égout.',
  'Branche cassée qui pend au-dessus du passage piéton.',
  'Affichage sauvage sur le mobilier urbain.',
];

export const REPORT_COLUMNS = [
  ['id', 'text'],
  ['reference', 'text'],
  ['category', 'text'],
  ['lat', 'float'],
  ['lng', 'float'],
  ['district', 'text'],
  ['address', 'text'],
  ['description', 'text'],
  ['channel', 'text'],
  ['account_id', 'text'],
  ['state', 'text'],
  ['status', 'text'],
  ['priority', 'int'],
  ['unit_path', 'text'],
  ['item_id', 'text'],
  ['demand_id', 'text'],
  ['duplicate_of', 'text'],
  ['answers', 'text'],
  ['followers', 'int'],
  ['created_at', 'text'],
  ['updated_at', 'text'],
  ['closed_at', 'text'],
];
const ITEM_COLUMNS = [
  ['id', 'text'],
  ['workflow', 'text'],
  ['version', 'int'],
  ['subject', 'text'],
  ['state', 'text'],
  ['unit_path', 'text'],
  ['account_id', 'text'],
  ['demand_id', 'text'],
  ['revision', 'int'],
  ['deadline_at', 'text'],
  ['state_entered_at', 'text'],
  ['archived_at', 'text'],
  ['anonymised_at', 'text'],
  ['created_at', 'text'],
  ['updated_at', 'text'],
];
const HISTORY_COLUMNS = [
  ['id', 'text'],
  ['item_id', 'text'],
  ['action', 'text'],
  ['from_state', 'text'],
  ['to_state', 'text'],
  ['actor_id', 'text'],
  ['actor_kind', 'text'],
  ['comment', 'text'],
  ['fields', 'text'],
  ['at', 'text'],
];
const PHOTO_COLUMNS = [
  ['id', 'text'],
  ['report_id', 'text'],
  ['file_id', 'text'],
  ['kind', 'text'],
  ['redacted', 'int'],
  ['created_at', 'text'],
];

/**
 * `count` reports, oldest first (primary keys and references then grow at their end instead of
 * splitting pages all over), each as `{ report, item, history[], photo }` rows of the columns
 * above. `unitPaths` maps a district code to its town hall's unit path; `counters` continues the
 * reference counters (key "W-202611" → last number); `agentIds` sign the agents' steps.
 */
export function* reportRows({ random, count, now, tree, districts, unitPaths, counters, agentIds }) {
  const category = weighted(tree.leaves.filter((c) => !c.elsewhere).map((c) => [c, c.weight]));
  const district = weighted(districts.map((d) => [d, POPULATION[d.number - 1]]));
  const channel = weighted([
    ['web', 55],
    ['app', 40],
    ['open311', 5],
  ]);
  const idAt = (ms) => hex(ms, 12) + hex(random() * 2 ** 32, 8) + hex(random() * 2 ** 32, 8);
  for (let n = 0; n < count; n++) {
    const created = now - SPAN_MS + ((n + random()) / count) * SPAN_MS;
    const leaf = category(random);
    const d = district(random);
    const [lng, lat] = pointIn(random, d);
    const ch = leaf.agentOnly ? 'agent' : channel(random);
    const age = (now - created) / DAY_MS;
    const closed = random() < closedShare(age);
    const final = closed ? closedState(random) : openState(random);
    const steps = [...pick(random, PATHS[final])];
    // The steps share the time from filing to the last one: closing takes hours to two months.
    const lifeMs = Math.min(now - created, (closed ? 3_600_000 + random() * random() * 60 * DAY_MS : random() * age * DAY_MS * 0.5) || 1);
    const times = steps.map((_, i) => created + (lifeMs * (i + 1)) / steps.length);
    const closedAt = closed ? times.at(-1) : null;
    const archived = closed && now - closedAt > ARCHIVE_AFTER_MS;
    // The workflow's timer archives closed reports a year after closing.
    if (archived) {
      steps.push(['archive', 'archived', system]);
      times.push(closedAt + ARCHIVE_AFTER_MS);
    }
    const state = steps.length ? steps.at(-1)[1] : 'new';
    const lastAt = times.at(-1) ?? created;

    const month = new Date(created).toISOString().slice(0, 7).replace('-', '');
    const key = `${CHANNELS[ch]}-${month}`;
    const number = (counters.get(key) ?? 0) + 1;
    counters.set(key, number);
    const id = idAt(created);
    const itemId = idAt(created);
    const unitPath = unitPaths.get(d.code) ?? null;
    const iso = (ms) => new Date(ms).toISOString();
    const history = [[idAt(created), itemId, null, null, 'new', null, system, null, '{}', iso(created)]];
    let from = 'new';
    steps.forEach(([action, to, actor, comment, fields], i) => {
      const at = times[i];
      const planned = fields === 'planned' ? JSON.stringify({ 'planned-on': iso(at + 7 * DAY_MS).slice(0, 10) }) : '{}';
      history.push([
        idAt(at),
        itemId,
        action,
        from,
        to,
        actor === agent ? pick(random, agentIds) : null,
        actor,
        comment ?? null,
        planned,
        iso(at),
      ]);
      from = to;
    });
    yield {
      report: [
        id,
        `${key}-${String(number).padStart(6, '0')}`,
        leaf.code,
        Math.round(lat * 1e7) / 1e7,
        Math.round(lng * 1e7) / 1e7,
        d.code,
        `${1 + Math.floor(random() * 150)} ${pick(random, STREETS)}, 750${String(d.number).padStart(2, '0')} Paris`,
        pick(random, DESCRIPTIONS),
        ch,
        null,
        state,
        closed ? 'closed' : 'open',
        random() < 0.05 ? 1 : 0,
        unitPath,
        itemId,
        null,
        null,
        '{}',
        0,
        iso(created),
        iso(lastAt),
        closed ? iso(closedAt) : null,
      ],
      item: [
        itemId,
        WORKFLOW,
        reportWorkflow.version,
        `${WORKFLOW}:${id}`,
        state,
        unitPath,
        null,
        null,
        history.length,
        null,
        iso(lastAt),
        archived ? iso(lastAt) : null,
        null,
        iso(created),
        iso(lastAt),
      ],
      history,
      // Most reports come with a photo; the file itself is not written (nothing measured reads it).
      photo: random() < 0.7 ? [idAt(created), id, idAt(created), 'closeup', 0, iso(created)] : null,
    };
  }
}

async function count(db) {
  const [row] = await db.all('select count(*) as n from street_reports');
  return Number(row.n);
}

/** Town halls by district code. */
async function districtUnits(db) {
  const rows = await db.all('select district_code, path from units where district_code is not null');
  if (!rows.length) throw new Error('bench: no district unit in `units`: was the demo city seeded?');
  return new Map(rows.map((r) => [String(r.district_code), r.path]));
}

async function seed(ctx) {
  const since = performance.now();
  const db = await openDatabase(ctx);
  try {
    const before = await count(db);
    if (before >= REPORTS_TOTAL) throw new Error(`bench: street_reports already holds ${before} rows`);
    const tree = categoriesFromCsv(readFileSync(join(CITY_DIR, 'street-report-categories.csv'), 'utf8'));
    const agentIds = (await db.all("select id from accounts where kind = 'agent' order by id")).map((r) => r.id);
    if (!agentIds.length) throw new Error('bench: no agent: was the demo city seeded?');
    const counters = await referenceCounters(db);
    const rows = reportRows({
      random: generator(20_251_105),
      count: REPORTS_TOTAL - before,
      now: Date.now(),
      tree,
      districts: loadDistricts(),
      unitPaths: await districtUnits(db),
      counters,
      agentIds,
    });
    let histories = 0;
    let photos = 0;
    // The map's counted cells (migration 0005) are kept by triggers, row by row: for a million rows,
    // they are dropped, and the cells counted once at the end, as after any bulk load.
    const cells = mapCellsSql(ctx.engine);
    for (const statement of cells.dropTriggers) await db.run(statement);
    for (let next = rows.next(); !next.done; ) {
      const batch = { report: [], item: [], history: [], photo: [] };
      for (; !next.done && batch.report.length < BATCH; next = rows.next()) {
        const r = next.value;
        batch.report.push(r.report);
        batch.item.push(r.item);
        batch.history.push(...r.history);
        if (r.photo) batch.photo.push(r.photo);
      }
      await db.insertRows('street_reports', REPORT_COLUMNS, batch.report);
      await db.insertRows('workflow_items', ITEM_COLUMNS, batch.item);
      await db.insertRows('workflow_history', HISTORY_COLUMNS, batch.history);
      await db.insertRows('street_report_photos', PHOTO_COLUMNS, batch.photo);
      histories += batch.history.length;
      photos += batch.photo.length;
    }
    await saveReferenceCounters(db, counters);
    const cellsSince = performance.now();
    for (const statement of [...cells.rebuild, ...cells.createTriggers]) await db.run(statement);
    const cellsSeconds = (performance.now() - cellsSince) / 1000;
    await db.settle([
      'street_reports',
      'workflow_items',
      'workflow_history',
      'street_report_photos',
      'reference_counters',
      'street_report_map_cells',
    ]);
    const total = await count(db);
    if (total !== REPORTS_TOTAL) throw new Error(`bench: seeding gave ${total} street reports, not ${REPORTS_TOTAL}`);
    const [open] = await db.all("select count(*) as n from street_reports where status = 'open'");
    const seconds = (performance.now() - since) / 1000;
    const fmt = (n) => Number(n).toLocaleString('en-US');
    ctx.note?.(
      `seeded street reports: ${fmt(total)} rows (${fmt(total - before)} inserted, ${fmt(open.n)} open) with their workflow items, ` +
        `${fmt(histories)} history entries and ${fmt(photos)} photo rows, in ${seconds.toFixed(1)} s ` +
        `(of which ${cellsSeconds.toFixed(1)} s counting the map's cells)`,
    );
    return { seconds, total, inserted: total - before };
  } finally {
    await db.close();
  }
}

const seeded = new Map();
/** Seeds once per engine; every scenario that needs the million reports awaits the same promise. */
export function seedReports(ctx) {
  if (!seeded.has(ctx.engine)) seeded.set(ctx.engine, seed(ctx));
  return seeded.get(ctx.engine);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const target = process.argv[2];
  if (!target) {
    process.stderr.write('usage: node bench/lib/seed-reports.mjs <dataDir | postgres://… DATABASE_URL>\n');
    process.exit(2);
  }
  const ctx = /^postgres(ql)?:/.test(target)
    ? { engine: 'postgres', env: { DATABASE_URL: target } }
    : { engine: 'sqlite', dataDir: resolve(target), env: {} };
  ctx.note = (text) => process.stdout.write(`${text}\n`);
  try {
    await seed(ctx);
  } catch (err) {
    process.stderr.write(`${err.stack || err.message}\n`);
    process.exitCode = 1;
  }
}
