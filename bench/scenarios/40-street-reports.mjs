// Issue #5: street reports in a city-sized table. The first of these scenarios to run on an engine
// brings `street_reports` to 1,000,000 rows (bench/lib/seed-reports.mjs); the others reuse them.
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { loadCategories } from '../../dist/modules/street-reports/domain/categories.js';
import { applyCategoryConfigFile } from '../../dist/modules/street-reports/domain/questions.js';
import { openDatabase } from '../lib/db.mjs';
import { runNode } from '../lib/processes.mjs';
import { generator } from '../lib/seed-demands.mjs';
import { loadDistricts, pointIn, REPORTS_TOTAL, seedReports } from '../lib/seed-reports.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
// The tree as the app reads it: Paris's categories with their configuration (questions, anonymity…).
const TREE = loadCategories(join(ROOT, 'cities/paris/street-report-categories.csv'));
applyCategoryConfigFile(TREE, join(ROOT, 'cities/paris/street-report-categories.json'));
const DAY_MS = 86_400_000;
const fmt = (n) => Math.round(n).toLocaleString('en-US');

/**
 * Few connections for the latency targets: Civitas answers one request at a time per event loop,
 * so with N requests in flight p95 ≈ N × the service time (Little's law), and with 50 the row would
 * measure the queue. The map takes 4, as the dashboard does (bench/scenarios/30-demands.mjs). The
 * Open311 page (1,000 records) and the uploads (a 12-megapixel decode and re-encode each, CPU-bound
 * on this 2-core machine) take 2: enough to keep the server busy while the client runs on the other core.
 */
const MAP_CONNECTIONS = 4;
const HEAVY_CONNECTIONS = 2;

/** Central Paris around the Île de la Cité (1st, 4th, 5th, 6th): ~1.5 × 1.1 km, a street-level map. */
const BBOX = '2.34,48.85,2.36,48.86';
/** The most reported family (cleanliness in Paris): a filter on all its leaves. */
const FAMILY = TREE.roots.toSorted((a, b) => b.weight - a.weight)[0].code;

async function expectJson(ctx, path) {
  const res = await ctx.fetch(path);
  if (res.status !== 200) throw new Error(`bench: ${path} answers ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res.json();
}

/** Seeds the million reports (once per engine) and checks they are there. */
async function reportsSeeded(ctx) {
  await seedReports(ctx);
  const db = await openDatabase(ctx);
  try {
    const [row] = await db.all('select count(*) as n from street_reports');
    if (Number(row.n) < REPORTS_TOTAL) throw new Error(`bench: street_reports holds ${row.n} rows, not ${fmt(REPORTS_TOTAL)}`);
  } finally {
    await db.close();
  }
}

const mapScenario = (name, query) => ({
  name,
  path: `/api/v1/street-reports?${query}`,
  p95TargetMs: 30,
  connections: MAP_CONNECTIONS,
  async setup(ctx) {
    await reportsSeeded(ctx);
    const answer = await expectJson(ctx, `/api/v1/street-reports?${query}`);
    ctx.note(
      `${name}: ${fmt(answer.total)} reports in the box → ${answer.clusters ? `${fmt(answer.clusters.length)} clusters` : `${fmt(answer.reports.length)} reports`}`,
    );
    if (!answer.total) throw new Error(`bench: ${name}: no report in the box`);
  },
});

const map = mapScenario('reports map (bbox 1M)', `bbox=${BBOX}&status=open`);
const mapCategory = mapScenario('reports map (bbox + category 1M)', `bbox=${BBOX}&status=open&category=${FAMILY}`);

const open311 = {
  name: 'open311 requests (90 days / 1000)',
  path: '/open311/v2/requests.json',
  p95TargetMs: 150,
  connections: HEAVY_CONNECTIONS,
  async setup(ctx) {
    await reportsSeeded(ctx);
    const now = Date.now();
    const query = new URLSearchParams({
      start_date: new Date(now - 90 * DAY_MS).toISOString(),
      end_date: new Date(now).toISOString(),
      page_size: '1000',
    });
    const path = `/open311/v2/requests.json?${query}`;
    const records = await expectJson(ctx, path);
    if (records.length !== 1000) throw new Error(`bench: ${path} gave ${records.length} requests, not 1000`);
    const bytes = Buffer.byteLength(JSON.stringify(records));
    ctx.note(`open311 requests (90 days / 1000): a page of ${records.length} records, ${fmt(bytes / 1024)} kB of JSON`);
    return { path };
  },
};

// ---------------------------------------------------------------------------------------------
// Filing reports with a photo

/**
 * A phone photo's worth of JPEG: 12 megapixels (4032 × 3024, what phones take), smooth shapes with
 * seeded noise so that it weighs ~3 MB at quality 85 instead of compressing to nothing. The server
 * decodes, resizes and re-encodes every upload: its cost follows the pixels as much as the bytes.
 */
let photo;
async function phonePhoto() {
  if (photo) return photo;
  const [width, height] = [4032, 3024];
  const random = generator(3_000_000);
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) {
    const x = (i / 3) % width;
    const y = Math.floor(i / 3 / width);
    const value = 128 + 60 * Math.sin(x / 300 + (i % 3)) + 50 * Math.cos(y / 250) + (random() - 0.5) * 46;
    pixels[i] = Math.max(0, Math.min(255, Math.round(value)));
  }
  photo = await sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer();
  if (photo.length < 2.7e6 || photo.length > 3.3e6) throw new Error(`bench: the test photo weighs ${photo.length} bytes, not ~3 MB`);
  return photo;
}

/** A multipart/form-data body: text fields, then the photo in `fileField`. */
function multipart(fields, fileField, file) {
  const boundary = `----civitas-bench-${Math.random().toString(16).slice(2)}`;
  const head = Object.entries(fields)
    .map(([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join('');
  const fileHead = `--${boundary}\r\ncontent-disposition: form-data; name="${fileField}"; filename="IMG_0001.jpg"\r\ncontent-type: image/jpeg\r\n\r\n`;
  return {
    body: Buffer.concat([Buffer.from(head + fileHead), file, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** Points inside Paris (seeded, one arrondissement after another), where new reports are filed in turn. */
function parisPoints(count) {
  const random = generator(75_000);
  const districts = loadDistricts();
  return Array.from({ length: count }, (_, i) => pointIn(random, districts[i % districts.length]).map((v) => Math.round(v * 1e6) / 1e6));
}

/** The most reported leaf residents may report anonymously. */
// The most reported leaf a resident may file anonymously without answering a required question.
const LEAF = TREE.leaves
  .filter((c) => c.anonymousAllowed && !c.agentOnly && !c.elsewhere && !(c.questions ?? []).some((q) => q.required))
  .toSorted((a, b) => b.weight - a.weight)[0];
const DESCRIPTION = 'Dépôt d’encombrants sur le trottoir depuis plusieurs jours, le passage des poussettes est impossible.';

function percentile(values, p) {
  const sorted = values.toSorted((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : Number.NaN;
}

/** Reports of a channel filed since `since`, and how many of them have a photo. */
async function filedSince(ctx, channel, since) {
  const db = await openDatabase(ctx);
  try {
    const [row] = await db.all(
      'select count(*) as n, count(distinct p.report_id) as photos from street_reports r left join street_report_photos p on p.report_id = r.id where r.channel = ? and r.created_at >= ?',
      [channel, since],
    );
    return { reports: Number(row.n), withPhoto: Number(row.photos) };
  } finally {
    await db.close();
  }
}

/** What the check of a filing scenario says: answers, rows written, rate-limit refusals. */
function filingNote({ answered, refused, codes, filed, latencies }) {
  const statuses = Object.entries(codes)
    .map(([k, n]) => `${k}: ${fmt(n)}`)
    .join(', ');
  const ok = refused === 0 && filed.reports >= answered && filed.withPhoto === filed.reports;
  return {
    ok,
    note:
      `${fmt(answered)} reports answered 201, ${fmt(refused)} refused (${statuses || 'none'}) → ${fmt(filed.reports)} reports filed, ` +
      `${fmt(filed.withPhoto)} with their photo${ok ? '' : ' — MISMATCH or REFUSALS'}` +
      (latencies ? `; per report (upload + filing) p50/p95 ${fmt(percentile(latencies, 50))}/${fmt(percentile(latencies, 95))} ms` : ''),
  };
}

/**
 * The mobile apps' way: `POST /api/v1/files` (multipart), then `POST /api/v1/street-reports` with
 * the returned id, anonymously. autocannon sends the two in turn on each connection; req/s and the
 * table's latencies count both calls; the check notes the latency of the pair, per report.
 */
const createApi = {
  name: 'create report with a 3 MB JPEG (api/v1 upload + report)',
  method: 'POST',
  path: '/api/v1/files',
  p95TargetMs: 400,
  connections: HEAVY_CONNECTIONS,
  async setup(ctx) {
    const upload = multipart({}, 'file', await phonePhoto());
    ctx.note(
      `test photo: ${fmt(upload.body.length / 1024)} kB multipart body (${fmt((await phonePhoto()).length)} bytes of JPEG, 4032 × 3024)`,
    );
    const points = parisPoints(1000);
    const since = new Date().toISOString();
    const state = { next: 0, answered: 0, refused: 0, codes: {}, latencies: [] };
    const refuse = (status) => {
      state.refused++;
      state.codes[status] = (state.codes[status] ?? 0) + 1;
    };
    const uploadHeaders = { 'content-type': upload.contentType };
    return {
      headers: uploadHeaders,
      body: upload.body,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/files',
          headers: uploadHeaders,
          body: upload.body,
          setupRequest(req, context) {
            context.startedAt = performance.now();
            return req;
          },
          onResponse(status, body, context) {
            if (status === 201) context.fileId = JSON.parse(body).id;
            else {
              context.fileId = null;
              refuse(status);
            }
          },
        },
        {
          method: 'POST',
          path: '/api/v1/street-reports',
          headers: { 'content-type': 'application/json' },
          // Without an uploaded photo there is nothing to file: start again with an upload.
          setupRequest(req, context) {
            if (!context.fileId) return null;
            const [lng, lat] = points[state.next++ % points.length];
            req.body = JSON.stringify({ category: LEAF.code, lat, lng, description: DESCRIPTION, photos: [context.fileId] });
            return req;
          },
          onResponse(status, _body, context) {
            if (status !== 201) return refuse(status);
            state.answered++;
            state.latencies.push(performance.now() - context.startedAt);
          },
        },
      ],
      async check(ctx) {
        return filingNote({ ...state, filed: await filedSince(ctx, 'app', since) });
      },
    };
  },
};

/** Open311 clients post the report and its photo at once (multipart `media`): one request per report. */
const createOpen311 = {
  name: 'create report with a 3 MB JPEG (open311 multipart)',
  method: 'POST',
  path: '/open311/v2/requests.json',
  p95TargetMs: 400,
  connections: HEAVY_CONNECTIONS,
  async setup(ctx) {
    // Each key may post 300 a minute: a few keys in turn, as several client applications would.
    const keys = [];
    for (let i = 1; i <= 4; i++) {
      const out = await runNode([join(ROOT, 'bin/civitas.js'), 'open311', 'create-key', `bench client ${i}`], {
        cwd: ROOT,
        env: ctx.env,
        label: 'civitas open311 create-key',
      });
      const key = /o311_[\w-]+/.exec(out)?.[0];
      if (!key) throw new Error(`bench: civitas open311 create-key printed no key:\n${out}`);
      keys.push(key);
    }
    const file = await phonePhoto();
    const bodies = parisPoints(keys.length * 8).map(([lng, lat], i) =>
      multipart({ api_key: keys[i % keys.length], service_code: LEAF.code, lat, long: lng, description: DESCRIPTION }, 'media', file),
    );
    const since = new Date().toISOString();
    const state = { next: 1, answered: 0, refused: 0, codes: {} };
    return {
      headers: { 'content-type': bodies[0].contentType },
      body: bodies[0].body,
      requests: [
        {
          method: 'POST',
          setupRequest(req) {
            const { body, contentType } = bodies[state.next++ % bodies.length];
            req.body = body;
            req.headers = { ...req.headers, 'content-type': contentType };
            return req;
          },
          onResponse(status) {
            if (status === 200 || status === 201) state.answered++;
            else {
              state.refused++;
              state.codes[status] = (state.codes[status] ?? 0) + 1;
            }
          },
        },
      ],
      async check(ctx) {
        return filingNote({ ...state, filed: await filedSince(ctx, 'open311', since) });
      },
    };
  },
};

export default [map, mapCategory, open311, createApi, createOpen311];
