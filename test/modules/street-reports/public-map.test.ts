import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../src/kernel/db/values.js';
import { seedDemoOnce } from '../../../src/kernel/demo.js';
import { cityView, projection } from '../../../src/kernel/geo/map.js';
import { boxQuery, clusterQuery, clusterReports, HIDDEN_STATES } from '../../../src/modules/street-reports/domain/public-queries.js';
import { categoriesOf } from '../../../src/modules/street-reports/domain/settings.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { createCitizen, sessionCookie } from '../../support/identity.js';
import { photoWithGps } from './public-support.js';
import { fileReport, MONTREUIL, PARIS_11, POTHOLE, reportRow } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemoOnce(t.kernel);
});
afterAll(() => t?.close());

const PARIS_BBOX = '2.22,48.81,2.47,48.91';

describe('the public list', () => {
  it('filters by status, category, district and dates, and pages by key', async () => {
    const open = await fileReport(t.kernel, { category: POTHOLE });
    const elsewhere = await fileReport(t.kernel, { lat: 48.8867, lng: 2.3431 });
    await t.kernel.db.updateTable('street_reports').set({ status: 'closed', state: 'done' }).where('id', '=', elsewhere.id).execute();
    const list = async (query: string) => (await t.app.inject({ url: `/reports?${query}` })).body;

    expect(await list('status=open')).toContain(open.reference);
    expect(await list('status=open')).not.toContain(elsewhere.reference);
    expect(await list('status=closed')).toContain(elsewhere.reference);
    expect(await list(`category=${POTHOLE}`)).toContain(open.reference);
    // A family stands for its leaves.
    expect(await list('category=voirie-espace')).toContain(open.reference);
    expect(await list('district=75118')).toContain(elsewhere.reference);
    expect(await list('district=75118')).not.toContain(open.reference);
    expect(await list('from=2000-01-01&to=2000-01-31')).not.toContain(open.reference);
    const bad = await t.app.inject({ url: '/reports?from=yesterday' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Donnez une date valide.');

    for (let i = 0; i < 26; i++) await fileReport(t.kernel, { lat: PARIS_11.lat + i * 0.0001 });
    const first = await t.app.inject({ url: '/reports' });
    const next = /href="(\/reports\?after=[^"]+)" rel="next"/.exec(first.body)?.[1]?.replace(/&amp;/g, '&');
    expect(next).toBeDefined();
    const second = await t.app.inject({ url: next! });
    const refs = (body: string) => [...body.matchAll(/>([WMOB]-\d{6}-\d{6})</g)].map((m) => m[1]);
    expect(refs(first.body)).toHaveLength(25);
    expect(refs(second.body).length).toBeGreaterThan(0);
    expect(refs(second.body).some((r) => refs(first.body).includes(r))).toBe(false);
  });

  it('shows a report’s public history only, its photos, and 404 for an unknown one', async () => {
    const { id } = await fileReport(t.kernel, { category: POTHOLE, description: 'Trou <script>alert(1)</script>' });
    const page = await t.app.inject({ url: `/reports/${id}?lang=en` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Trou &lt;script>');
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).toContain('New');
    expect(page.body).toContain('Log in to follow this report');
    expect((await t.app.inject({ url: `/reports/${'0'.repeat(28)}` })).statusCode).toBe(404);
    const svg = await t.app.inject({ url: '/reports/map.svg?zoom=16&lat=48.8575&lng=2.3795&plat=48.8575&plng=2.3795' });
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.body).toContain('<circle');
  });
});

describe('clusters', () => {
  it('groups 10,000 points into at most a few hundred marks, and shows single points up close', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) =>
      reportRow({
        reference: `T-000000-${String(i).padStart(6, '0')}`,
        lat: 48.83 + ((i * 7919) % 10_000) / 10_000 / 17,
        lng: 2.27 + ((i * 104_729) % 10_000) / 10_000 / 7,
        status: i % 3 ? 'open' : 'closed',
      }),
    );
    for (let i = 0; i < rows.length; i += 500)
      await t.kernel.db
        .insertInto('street_reports')
        .values(rows.slice(i, i + 500))
        .execute();
    const tree = categoriesOf(t.kernel);
    const proj = projection(t.kernel.districts, cityView(t.kernel.districts), 640);
    const cellLng = (32 / 640) * (proj.bbox.maxLon - proj.bbox.minLon);
    const cellLat = (32 / proj.height) * (proj.bbox.maxLat - proj.bbox.minLat);
    const clusters = await clusterReports(t.kernel.db, tree, { bbox: proj.bbox }, { cellLat, cellLng });
    expect(clusters.length).toBeLessThanOrEqual(20 * 12);
    expect(clusters.reduce((n, c) => n + c.count, 0)).toBeGreaterThanOrEqual(10_000);
    const openOnly = await clusterReports(t.kernel.db, tree, { bbox: proj.bbox, status: 'open' }, { cellLat, cellLng });
    expect(openOnly.reduce((n, c) => n + c.count, 0)).toBeLessThan(10_000);
    // Each mark is its cell's count and the engine's avg() of its points, to the last bit, with the
    // report's id when the cell holds one.
    const cell = (column: 'lat' | 'lng', min: number, size: number) => sql`cast(floor((${sql.ref(column)} - ${min}) / ${size}) as integer)`;
    const expected = await t.kernel.db
      .selectFrom('street_reports')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.avg<number>('lat').as('lat'),
        eb.fn.avg<number>('lng').as('lng'),
        eb.fn.min('id').as('id'),
      ])
      .where('status', '=', 'open')
      .where('state', 'not in', HIDDEN_STATES)
      .where('lat', '>=', proj.bbox.minLat)
      .where('lat', '<=', proj.bbox.maxLat)
      .where('lng', '>=', proj.bbox.minLon)
      .where('lng', '<=', proj.bbox.maxLon)
      .groupBy([cell('lat', proj.bbox.minLat, cellLat), cell('lng', proj.bbox.minLon, cellLng)])
      .execute();
    const marks = (list: { lat: unknown; lng: unknown; count?: unknown; n?: unknown; id: string | null }[]) =>
      list
        .map((c) => {
          const count = Number(c.count ?? c.n);
          return `${Number(c.lat)} ${Number(c.lng)} ${count} ${count === 1 ? c.id : null}`;
        })
        .sort();
    expect(marks(openOnly)).toEqual(marks(expected));
    expect(openOnly.some((c) => c.count === 1 && c.id)).toBe(true);
    expect(openOnly.filter((c) => c.count > 1).every((c) => c.id === null)).toBe(true);

    // The box query names bands of latitude (0.001°): boxes on and across their edges find every report inside.
    for (const box of [
      { minLon: 2.3, minLat: 48.84, maxLon: 2.35, maxLat: 48.85 },
      { minLon: 2.2712345, minLat: 48.8312345, maxLon: 2.3098765, maxLat: 48.8331 },
    ]) {
      const inside = await t.kernel.db
        .selectFrom('street_reports')
        .select('id')
        .where('status', '=', 'open')
        .where('state', 'not in', HIDDEN_STATES)
        .where('category', '=', POTHOLE)
        .where('lat', '>=', box.minLat)
        .where('lat', '<=', box.maxLat)
        .where('lng', '>=', box.minLon)
        .where('lng', '<=', box.maxLon)
        .execute();
      expect(inside.length).toBeGreaterThan(20);
      const grid = { cellLat: 0.001, cellLng: 0.001 };
      const inBox = await clusterReports(t.kernel.db, tree, { bbox: box, status: 'open', category: POTHOLE }, grid);
      expect(inBox.reduce((n, c) => n + c.count, 0)).toBe(inside.length);
      const bbox = [box.minLon, box.minLat, box.maxLon, box.maxLat].join(',');
      const answer = (await t.app.inject({ url: `/api/v1/street-reports?bbox=${bbox}&status=open&category=${POTHOLE}&limit=1000` })).json();
      expect(answer.total).toBe(inside.length);
      expect(answer.reports.map((r: { id: string }) => r.id).sort()).toEqual(inside.map((r) => r.id).sort());
    }

    const page = await t.app.inject({ url: '/reports' });
    expect((page.body.match(/<circle/g) ?? []).length).toBeLessThanOrEqual(300);
    // Up close, each report is its own mark, linking to its page.
    const close = await t.app.inject({ url: `/reports?zoom=16&lat=${rows[0]!.lat}&lng=${rows[0]!.lng}` });
    expect(close.body).toContain(`href="/reports/${rows[0]!.id}"`);
  });

  it('answers the map query from the (status, band, lng, lat, …) index on this engine', async () => {
    const tree = categoriesOf(t.kernel);
    const postgres = process.env.CIVITAS_TEST_DB === 'postgres';
    if (postgres) await t.kernel.db.executeQuery(CompiledQuery.raw('ANALYZE street_reports'));
    const bbox = { minLon: 2.3, minLat: 48.85, maxLon: 2.31, maxLat: 48.853 };
    const plan = async (compiled: CompiledQuery) =>
      (
        await t.kernel.db.executeQuery<Record<string, unknown>>(
          CompiledQuery.raw(`${postgres ? 'EXPLAIN' : 'EXPLAIN QUERY PLAN'} ${compiled.sql}`, [...compiled.parameters]),
        )
      ).rows
        .map((r) => String(r.detail ?? r['QUERY PLAN']))
        .join('\n');
    const rows = await plan(boxQuery(t.kernel.db, tree, { bbox, status: 'open' }, 500).compile());
    expect(rows).toContain('street_reports_map_bands');
    expect(rows).not.toMatch(/SCAN street_reports$|Seq Scan/m);
    // Clusters and counts, with a category, read the index alone.
    const clusters = await plan(
      clusterQuery(t.kernel.db, tree, { bbox, status: 'open', category: 'voirie-espace' }, { cellLat: 0.001, cellLng: 0.001 }).compile(),
    );
    expect(clusters).toMatch(postgres ? /Index Only Scan using street_reports_map_bands/ : /USING COVERING INDEX street_reports_map_bands/);
  });
});

describe('the JSON API', () => {
  it('lists the category tree without agent-only leaves', async () => {
    const res = await t.app.inject({ url: '/api/v1/street-reports/categories' });
    expect(res.statusCode).toBe(200);
    const roots = res.json() as { code: string; children: unknown[] }[];
    expect(roots.map((r) => r.code)).toContain('voirie-espace');
    expect(JSON.stringify(roots)).toContain(POTHOLE);
    const agentOnly = categoriesOf(t.kernel).leaves.find((l) => l.agentOnly)!;
    expect(JSON.stringify(roots)).not.toContain(`"${agentOnly.code}"`);
  });

  it('files a report with a photo uploaded first, signed in, and reads it back', async () => {
    const accountId = await createCitizen(t.kernel, { email: 'app@example.org' });
    const cookie = await sessionCookie(t.kernel, accountId);
    const { multipartBody } = await import('../../support/multipart.js');
    const { body, contentType } = multipartBody({}, [{ name: 'file', filename: 'p.jpg', type: 'image/jpeg', data: await photoWithGps() }]);
    const uploaded = await t.app.inject({ method: 'POST', url: '/api/v1/files', headers: { 'content-type': contentType }, payload: body });
    expect(uploaded.statusCode).toBe(201);
    const photo = uploaded.json().id as string;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/street-reports',
      headers: { cookie },
      payload: { category: POTHOLE, ...PARIS_11, description: 'Depuis l’application', photos: [photo] },
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created.reference).toMatch(/^M-\d{6}-\d{6}$/);
    const row = await t.kernel.db
      .selectFrom('street_reports')
      .select(['channel', 'account_id'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ channel: 'app', account_id: accountId });
    const read = await t.app.inject({ url: created.url });
    expect(read.json()).toMatchObject({
      reference: created.reference,
      status: 'open',
      state: { code: 'new' },
      photos: [{ url: `/files/${photo}` }],
    });

    const followed = await t.app.inject({ method: 'POST', url: `/api/v1/street-reports/${created.id}/follow`, headers: { cookie } });
    expect(followed.json()).toEqual({ following: true, followers: 1 });
    const unfollowed = await t.app.inject({ method: 'DELETE', url: `/api/v1/street-reports/${created.id}/follow`, headers: { cookie } });
    expect(unfollowed.json()).toEqual({ following: false, followers: 0 });
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/street-reports/${created.id}/follow` })).statusCode).toBe(401);
  });

  it('refuses bad input with problem+json and stores nothing', async () => {
    const count = async () =>
      Number(
        (
          await t.kernel.db
            .selectFrom('street_reports')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const post = (payload: object) => t.app.inject({ method: 'POST', url: '/api/v1/street-reports', payload });
    const outside = await post({ category: POTHOLE, ...MONTREUIL, description: '' });
    expect(outside.statusCode).toBe(400);
    expect(outside.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(outside.json())).toContain('street-reports.errors.point-outside');
    expect((await post({ category: 'nowhere', ...PARIS_11, description: '' })).statusCode).toBe(400);
    expect((await post({ category: POTHOLE, ...PARIS_11, description: 'x'.repeat(10_000) })).statusCode).toBe(400);
    expect((await post({ category: POTHOLE, lat: 'north', lng: 2, description: '' })).statusCode).toBe(400);
    expect((await post({ category: POTHOLE, ...PARIS_11, description: '', photos: ['not-an-id'] })).statusCode).toBe(400);
    expect((await post({ category: POTHOLE, ...PARIS_11, description: '', photos: [newId()] })).statusCode).toBeGreaterThanOrEqual(400);
    expect((await post({ category: POTHOLE, ...PARIS_11, description: '', extra: 1 })).statusCode).toBe(400);
    expect(await count()).toBe(before);
    expect((await t.app.inject({ url: '/api/v1/street-reports?bbox=1,2,3' })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/v1/street-reports?bbox=3,3,1,1' })).statusCode).toBe(400);
    expect((await t.app.inject({ url: `/api/v1/street-reports/${'0'.repeat(28)}` })).statusCode).toBe(404);
  });

  it('answers the map query with reports, or clusters beyond the limit', async () => {
    const few = await t.app.inject({ url: `/api/v1/street-reports?bbox=2.379,48.857,2.381,48.858&status=open` });
    expect(few.statusCode).toBe(200);
    expect(few.json().reports.length).toBe(few.json().total);
    const many = await t.app.inject({ url: `/api/v1/street-reports?bbox=${PARIS_BBOX}&limit=100&grid=10` });
    const answer = many.json();
    expect(answer.total).toBeGreaterThan(100);
    expect(answer.clusters.length).toBeLessThanOrEqual(10 * 8);
    expect(answer.reports).toBeUndefined();
    const api = (await t.app.inject({ url: '/api/docs' })).json();
    expect(Object.keys(api.paths)).toEqual(
      expect.arrayContaining(['/api/v1/street-reports', '/api/v1/street-reports/categories', '/api/v1/street-reports/{id}']),
    );
  });
});
