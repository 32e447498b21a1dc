import type { Readable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, nowIso } from '../../../src/kernel/db/values.js';
import { seedDemoOnce } from '../../../src/kernel/demo.js';
import { parseCsv } from '../../../src/modules/street-reports/domain/categories.js';
import { markDuplicate } from '../../../src/modules/street-reports/domain/duplicates.js';
import { listQueue, routeOrder } from '../../../src/modules/street-reports/domain/queue.js';
import { categoriesOf } from '../../../src/modules/street-reports/domain/settings.js';
import { dashboardFigures } from '../../../src/modules/street-reports/domain/stats.js';
import { agentActor } from '../../identity/agents-fixtures.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { accountOf, PARIS_18, signedIn, unzip } from './back-office-support.js';
import { fileReport, MONTREUIL, PARIS_11, POTHOLE } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemoOnce(t.kernel);
});
afterAll(() => t?.close());

const report = (id: string) => t.kernel.db.selectFrom('street_reports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const actorOf = async (email: string) => agentActor(t.kernel, await accountOf(t.kernel, email));

describe('the queue', () => {
  it('shows an agent the reports of their units only; another unit’s report is refused', async () => {
    const in11 = await fileReport(t.kernel, { category: POTHOLE });
    const in18 = await fileReport(t.kernel, { category: POTHOLE, ...PARIS_18 });
    const paul = await signedIn(t, 'agent.18@ville.example');
    const queue = await paul.get('/admin/reports?district=75118');
    expect(queue.status).toBe(200);
    expect(queue.body).toContain(in18.reference);
    const everything = await paul.get('/admin/reports?district=75111');
    expect(everything.body).not.toContain(in11.reference);
    expect((await paul.get(`/admin/reports/${in11.id}`)).status).toBe(403);
    expect((await paul.get(`/admin/reports/${'0'.repeat(28)}`)).status).toBe(404);
    // Not even through the exports or the route sheet.
    expect((await paul.get('/admin/reports/export.csv?district=75111')).body.split('\r\n').filter(Boolean)).toHaveLength(1);
    expect((await paul.get(`/admin/reports/route-sheet?ids=${in11.id}`)).body).not.toContain(in11.reference);
    const nadia = await signedIn(t, 'agent.11@ville.example');
    const page = await nadia.get(`/admin/reports/${in11.id}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(in11.reference);
    expect(page.body).toContain(`/admin/workflow/items/${in11.itemId}/actions/acknowledge`);
  });

  it('filters by state, district, category, priority and dates, sorts by priority, and pages by keys', async () => {
    const nadia = await actorOf('agent.11@ville.example');
    const categories = categoriesOf(t.kernel);
    const a = await fileReport(t.kernel, { category: POTHOLE });
    const b = await fileReport(t.kernel, { category: POTHOLE });
    await t.kernel.db.updateTable('street_reports').set({ priority: 3 }).where('id', '=', a.id).execute();
    const urgent = await listQueue(t.kernel.db, nadia, categories, { sort: 'priority', priority: 3, category: 'voirie-espace' });
    expect(urgent.rows.map((r) => r.id)).toContain(a.id);
    expect(urgent.rows.every((r) => r.priority === 3 && r.district === '75111' && r.category.startsWith('voirie-espace.'))).toBe(true);
    const today = nowIso().slice(0, 10);
    const fresh = await listQueue(t.kernel.db, nadia, categories, { sort: 'date', state: 'new', from: today, to: today });
    expect(fresh.rows.map((r) => r.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect((await listQueue(t.kernel.db, nadia, categories, { sort: 'date', to: '2001-01-01' })).rows).toEqual([]);
    // Keyset pages: together they are the whole ordered list, without overlap.
    for (const sort of ['date', 'priority'] as const) {
      const all = await listQueue(t.kernel.db, nadia, categories, { sort }, { limit: 10_000 });
      const seen: string[] = [];
      let after: string | undefined;
      do {
        const page = await listQueue(t.kernel.db, nadia, categories, { sort }, { after, limit: 7 });
        seen.push(...page.rows.map((r) => r.id));
        after = page.next ?? undefined;
      } while (after);
      expect(seen).toEqual(all.rows.map((r) => r.id));
    }
    // Through HTTP: the filters are read from the query string, bad values are ignored.
    const visitor = await signedIn(t, 'agent.11@ville.example');
    const page = await visitor.get(`/admin/reports?priority=3&sort=priority&state=nonsense&from=2026-02-31`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(a.reference);
    expect(page.body).not.toContain(b.reference);
    const map = await visitor.get('/admin/reports?view=map&priority=3');
    expect(map.body).toContain('<svg');
    expect(map.body).toContain(a.reference);
  });

  it('runs a bulk action report by report and tells what happened to each', async () => {
    const one = await fileReport(t.kernel, { category: POTHOLE });
    const two = await fileReport(t.kernel, { category: POTHOLE });
    const elsewhere = await fileReport(t.kernel, { category: POTHOLE, ...PARIS_18 });
    const nadia = await signedIn(t, 'agent.11@ville.example');
    await nadia.get('/admin/reports');
    await t.kernel.db.updateTable('street_reports').set({ state: 'to-treat' }).where('id', '=', two.id).execute();
    await t.kernel.db.updateTable('workflow_items').set({ state: 'to-treat' }).where('id', '=', two.itemId).execute();
    const res = await nadia.post('/admin/reports/mass', {
      action: 'acknowledge',
      reports: [one.id, two.id, elsewhere.id],
      returnTo: '/admin/reports',
    });
    expect(res.status).toBe(200);
    expect(res.body).toContain('1 dossier(s) traité(s), 2 refusé(s).');
    expect((await report(one.id)).state).toBe('to-treat');
    expect((await report(elsewhere.id)).state).toBe('new');
    expect(res.body).toContain('Cette action n’est pas possible dans l’état actuel du dossier.');
    expect(res.body).toContain('Vous ne pouvez pas effectuer cette action sur ce dossier.');
  });

  it('orders a route sheet by nearest neighbour from the first stop', () => {
    const stops = routeOrder([
      { lat: 48.85, lng: 2.35 },
      { lat: 48.87, lng: 2.35 },
      { lat: 48.851, lng: 2.35 },
    ]);
    expect(stops.map((s) => s.lat)).toEqual([48.85, 48.851, 48.87]);
    expect(stops[1]!.legMetres).toBeGreaterThan(100);
    expect(stops[1]!.legMetres).toBeLessThan(120);
  });
});

describe('the report page', () => {
  it('lets an agent redact a photo: hidden from the public and work orders, kept for agents', async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#a33' } })
      .png()
      .toBuffer();
    const photo = await t.kernel.files.store({ data: png, filename: 'trou.png' });
    const filed = await fileReport(t.kernel, { category: POTHOLE, photoIds: [photo.id] });
    const row = await t.kernel.db
      .selectFrom('street_report_photos')
      .selectAll()
      .where('report_id', '=', filed.id)
      .executeTakeFirstOrThrow();
    const nadia = await signedIn(t, 'agent.11@ville.example');
    await nadia.get(`/admin/reports/${filed.id}`);
    const paul = await signedIn(t, 'agent.18@ville.example');
    await paul.get('/admin/reports');
    expect((await paul.post(`/admin/reports/${filed.id}/photos/${row.id}/redact`, {})).status).toBe(403);
    const res = await nadia.post(`/admin/reports/${filed.id}/photos/${row.id}/redact`, {});
    expect(res.status).toBe(303);
    expect(
      Number(
        (await t.kernel.db.selectFrom('street_report_photos').select('redacted').where('id', '=', row.id).executeTakeFirstOrThrow())
          .redacted,
      ),
    ).toBe(1);
    const page = await nadia.get(res.location!);
    expect(page.body).toContain('La photo est masquée au public et aux prestataires.');
    expect(page.body).toContain(`/files/${photo.id}/thumb`);
    expect(page.body).toContain('masquée au public');
    const audit = await t.kernel.db.selectFrom('audit_log').select('action').where('resource_id', '=', filed.id).execute();
    expect(audit.map((a) => a.action)).toContain('street-reports.photo.redact');
    await nadia.post(`/admin/reports/${filed.id}/photos/${row.id}/restore`, {});
    expect(
      Number(
        (await t.kernel.db.selectFrom('street_report_photos').select('redacted').where('id', '=', row.id).executeTakeFirstOrThrow())
          .redacted,
      ),
    ).toBe(0);
  });

  it('requalifies the place: the unit, the item and the demand follow the new district, in the audit log', async () => {
    const camille = await accountOf(t.kernel, 'camille.martin@example.org');
    const filed = await fileReport(t.kernel, { category: POTHOLE, accountId: camille });
    const nadia = await signedIn(t, 'agent.11@ville.example');
    await nadia.get(`/admin/reports/${filed.id}`);
    const outside = await nadia.post(`/admin/reports/${filed.id}/requalify`, {
      'requalify-category': POTHOLE,
      'requalify-lat': String(MONTREUIL.lat),
      'requalify-lng': String(MONTREUIL.lng),
    });
    expect(outside.status).toBe(400);
    expect(outside.body).toContain('Ce lieu est hors de la ville');
    expect((await report(filed.id)).district).toBe('75111');
    const moved = await nadia.post(`/admin/reports/${filed.id}/requalify`, {
      'requalify-category': POTHOLE,
      'requalify-lat': String(PARIS_18.lat),
      'requalify-lng': String(PARIS_18.lng),
      'requalify-address': '1 rue du Mont-Cenis',
    });
    expect(moved.status).toBe(303);
    expect(moved.location).toBe('/admin/reports?notice=requalified');
    const row = await report(filed.id);
    expect(row).toMatchObject({ district: '75118', unit_path: '/paris/mairie-75118/', address: '1 rue du Mont-Cenis' });
    const item = await t.kernel.db
      .selectFrom('workflow_items')
      .select('unit_path')
      .where('id', '=', filed.itemId)
      .executeTakeFirstOrThrow();
    expect(item.unit_path).toBe('/paris/mairie-75118/');
    const demand = await t.kernel.db.selectFrom('demands').select('unit_path').where('id', '=', row.demand_id!).executeTakeFirstOrThrow();
    expect(demand.unit_path).toBe('/paris/mairie-75118/');
    const audit = await t.kernel.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'street-reports.requalify')
      .where('resource_id', '=', filed.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toMatchObject({ from: { district: '75111' }, to: { district: '75118' } });
    expect((await nadia.get(`/admin/reports/${filed.id}`)).status).toBe(403);
    expect((await (await signedIn(t, 'agent.18@ville.example')).get(`/admin/reports/${filed.id}`)).status).toBe(200);
  });

  it('sets the priority (0–3 only)', async () => {
    const filed = await fileReport(t.kernel, { category: POTHOLE });
    const nadia = await signedIn(t, 'agent.11@ville.example');
    await nadia.get(`/admin/reports/${filed.id}`);
    expect((await nadia.post(`/admin/reports/${filed.id}/priority`, { priority: '7' })).status).toBe(400);
    expect((await nadia.post(`/admin/reports/${filed.id}/priority`, { priority: '2' })).status).toBe(303);
    expect((await report(filed.id)).priority).toBe(2);
  });

  it('marks a duplicate and merges: closed, linked, its reporter and followers now follow the original', async () => {
    const camille = await accountOf(t.kernel, 'camille.martin@example.org');
    const other = await accountOf(t.kernel, 'agent.18@ville.example');
    const original = await fileReport(t.kernel, { category: POTHOLE });
    const copy = await fileReport(t.kernel, { category: POTHOLE, accountId: camille });
    await t.kernel.db
      .insertInto('street_report_followers')
      .values({ report_id: copy.id, account_id: other, created_at: nowIso() })
      .execute();
    const nadia = await signedIn(t, 'agent.11@ville.example');
    await nadia.get(`/admin/reports/${copy.id}`);
    const self = await nadia.post(`/admin/reports/${copy.id}/duplicate`, { original: copy.reference });
    expect(self.status).toBe(400);
    expect(self.body).toContain('Un signalement ne peut pas être le doublon de lui-même.');
    expect((await nadia.post(`/admin/reports/${copy.id}/duplicate`, { original: 'W-000000-000000' })).status).toBe(400);
    const res = await nadia.post(`/admin/reports/${copy.id}/duplicate`, { original: original.reference.toLowerCase() });
    expect(res.status).toBe(303);
    expect(await report(copy.id)).toMatchObject({ state: 'duplicate', status: 'closed', duplicate_of: original.id, followers: 0 });
    const followers = await t.kernel.db
      .selectFrom('street_report_followers')
      .select('account_id')
      .where('report_id', '=', original.id)
      .execute();
    expect(followers.map((f) => f.account_id).sort()).toEqual([camille, other].sort());
    expect((await report(original.id)).followers).toBe(2);
    const history = await t.kernel.db.selectFrom('workflow_history').select('action').where('item_id', '=', copy.itemId).execute();
    expect(history.map((h) => h.action)).toContain('mark-duplicate');
    // Closed now: it cannot be marked again.
    const again = await markDuplicate(t.kernel, await actorOf('agent.11@ville.example'), copy.id, original.reference).catch(
      (e: unknown) => e,
    );
    expect((again as { statusCode: number }).statusCode).toBe(400);
  });

  it('keeps response templates and offers those of the report’s category and open actions', async () => {
    const filed = await fileReport(t.kernel, { category: POTHOLE });
    const nadia = await signedIn(t, 'agent.11@ville.example');
    await nadia.get('/admin/reports/templates');
    const bad = await nadia.post('/admin/reports/templates', { title: '', body: 'x', action: 'acknowledge', category: '' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('Ce champ est obligatoire.');
    const saved = await nadia.post('/admin/reports/templates', {
      title: 'Propriété privée',
      body: 'Cet emplacement est une propriété privée : contactez le syndic.',
      action: 'reject',
      category: 'voirie-espace',
    });
    expect(saved.status).toBe(303);
    await nadia.post('/admin/reports/templates', {
      title: 'Éclairage',
      body: 'Lampe changée.',
      action: 'resolve',
      category: 'eclairage-electricite',
    });
    const page = await nadia.get(`/admin/reports/${filed.id}`);
    expect(page.body).toContain('Cet emplacement est une propriété privée : contactez le syndic.');
    expect(page.body).not.toContain('Lampe changée.');
  });
});

describe('the dashboard', () => {
  it('counts by state, category, district and month, and gives the median time to close, in SQL', async () => {
    const admin = await actorOf('admin@ville.example');
    const categories = categoriesOf(t.kernel);
    const hours = [1, 2, 10, 30];
    const ids: string[] = [];
    for (const [i, h] of hours.entries()) {
      const filed = await fileReport(t.kernel, { category: POTHOLE, ...(i % 2 ? PARIS_18 : PARIS_11) });
      const created = new Date(Date.UTC(2019, i, 10, 8));
      await t.kernel.db
        .updateTable('street_reports')
        .set({
          created_at: created.toISOString(),
          closed_at: new Date(created.getTime() + h * 3600_000).toISOString(),
          state: 'done',
          status: 'closed',
        })
        .where('id', '=', filed.id)
        .execute();
      ids.push(filed.id);
    }
    const open = await fileReport(t.kernel, { category: POTHOLE });
    await t.kernel.db.updateTable('street_reports').set({ created_at: '2019-03-20T10:00:00.000Z' }).where('id', '=', open.id).execute();
    const filter = { sort: 'date' as const, from: '2019-01-01', to: '2019-12-31' };
    const figures = await dashboardFigures(t.kernel.db, t.kernel.database.engine, admin, categories, filter);
    expect(figures.total).toBe(5);
    expect(figures.closed).toBe(4);
    expect(figures.medianResolutionSeconds).toBeCloseTo(6 * 3600, 0); // (2 h + 10 h) / 2
    expect(figures.byState).toEqual([
      { key: 'done', count: 4 },
      { key: 'new', count: 1 },
    ]);
    expect(figures.byCategory).toEqual([{ key: 'voirie-espace', count: 5 }]);
    expect(figures.byDistrict).toEqual([
      { key: '75111', count: 3 },
      { key: '75118', count: 2 },
    ]);
    expect(figures.byMonth).toEqual([
      { key: '2019-01', count: 1 },
      { key: '2019-02', count: 1 },
      { key: '2019-03', count: 2 },
      { key: '2019-04', count: 1 },
    ]);
    // An odd count: the middle one.
    const three = await dashboardFigures(t.kernel.db, t.kernel.database.engine, admin, categories, { ...filter, to: '2019-03-31' });
    expect(three.medianResolutionSeconds).toBeCloseTo(2 * 3600, 0);
    // Agent.18 sees only the 18th's share.
    const paul = await dashboardFigures(t.kernel.db, t.kernel.database.engine, await actorOf('agent.18@ville.example'), categories, filter);
    expect(paul.total).toBe(2);
    const visitor = await signedIn(t, 'admin@ville.example');
    const page = await visitor.get('/admin/reports/dashboard?from=2019-01-01&to=2019-12-31');
    expect(page.status).toBe(200);
    expect(page.body).toContain('6 h 0 min');
    expect(page.body).toContain('<caption>Par arrondissement</caption>');
  });
});

describe('exports', () => {
  const insertRows = async (count: number, day: string, description: string) => {
    const now = nowIso();
    for (let start = 0; start < count; start += 200) {
      const rows = Array.from({ length: Math.min(200, count - start) }, (_v, k) => {
        const i = start + k;
        return {
          id: newId(),
          reference: `X-${day.replaceAll('-', '')}-${String(i).padStart(6, '0')}`,
          category: POTHOLE,
          lat: 48.85 + (i % 100) / 10_000,
          lng: 2.37 + (i % 97) / 10_000,
          district: '75111',
          address: i % 3 ? `${i} rue de la Roquette, "bis"` : null,
          description: `${description} ${i}`,
          channel: 'web',
          account_id: null,
          state: 'new',
          status: 'open',
          priority: i % 4,
          unit_path: '/paris/mairie-75111/',
          item_id: newId(),
          demand_id: null,
          duplicate_of: null,
          answers: '{}',
          followers: 0,
          created_at: `${day}T${String(Math.floor(i / 3600) % 24).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z`,
          updated_at: now,
          closed_at: null,
        };
      });
      await t.kernel.db.insertInto('street_reports').values(rows).execute();
    }
  };

  it('exports the filtered queue as CSV, XLSX and GeoJSON that parse', async () => {
    await insertRows(30, '2018-05-02', '=cmd|Trou, "profond"');
    const nadia = await signedIn(t, 'agent.11@ville.example');
    const q = 'from=2018-05-02&to=2018-05-02&priority=1';
    const csv = await nadia.get(`/admin/reports/export.csv?${q}`);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const rows = parseCsv(csv.body.replace(/^\ufeff/, ''));
    expect(rows[0]![0]).toBe('reference');
    expect(rows).toHaveLength(1 + 8);
    expect(rows.slice(1).every((r) => r[4] === '1')).toBe(true);
    expect(rows[1]![11]).toMatch(/^'=cmd\|Trou, "profond" \d+$/);
    const geo = await nadia.get(`/admin/reports/export.geojson?${q}`);
    const collection = JSON.parse(geo.body);
    expect(collection.features).toHaveLength(8);
    expect(collection.features[0].geometry.type).toBe('Point');
    const xlsx = await t.app.inject({
      method: 'GET',
      url: `/admin/reports/export.xlsx?${q}`,
      headers: { cookie: `civitas_session=${nadia.cookie('civitas_session')}` },
    });
    expect(xlsx.statusCode).toBe(200);
    const files = unzip(xlsx.rawPayload);
    expect([...files.keys()]).toContain('[Content_Types].xml');
    const sheet = files.get('xl/worksheets/sheet1.xml')!.toString('utf8');
    expect(sheet.match(/<row>/g)).toHaveLength(1 + 8);
    expect(sheet).toContain('rue de la Roquette, &quot;bis&quot;');
    // Agent.18 gets nothing of the 11th.
    const paul = await signedIn(t, 'agent.18@ville.example');
    expect(JSON.parse((await paul.get(`/admin/reports/export.geojson?${q}`)).body).features).toEqual([]);
  });

  it('streams 20,000 rows in batches with bounded memory', { timeout: 180_000 }, async () => {
    const ROWS = 20_000;
    await insertRows(ROWS, '2017-06-01', 'x'.repeat(1500));
    const { exportReports } = await import('../../../src/modules/street-reports/domain/exports.js');
    const admin = await actorOf('admin@ville.example');
    const filter = { sort: 'date' as const, from: '2017-06-01', to: '2017-06-01' };
    const { setFlagsFromString } = await import('node:v8');
    const { runInNewContext } = await import('node:vm');
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    for (const format of ['csv', 'geojson', 'xlsx'] as const) {
      gc();
      const base = process.memoryUsage().heapUsed;
      let peak = 0;
      let bytes = 0;
      let chunks = 0;
      const kept: Buffer[] = [];
      const stream = exportReports(t.kernel, t.kernel.db, admin, categoriesOf(t.kernel), filter, format, 'fr', 500) as Readable;
      for await (const chunk of stream) {
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
        bytes += buffer.length;
        // Keep the XLSX (compressed, small) to parse it; the others are only counted.
        if (format === 'xlsx') kept.push(buffer);
        else if (format === 'csv' && chunks === 1) kept.push(buffer);
        if (++chunks % 10 === 0) {
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed - base);
        }
      }
      // The text formats are about 30 MB: what stays in memory while streaming is a few batches.
      if (format !== 'xlsx') expect(bytes).toBeGreaterThan(ROWS * 1500);
      expect(peak, `${format}: ${bytes} bytes, retained peak ${peak}`).toBeLessThan(12 * 1024 * 1024);
      if (format === 'xlsx') {
        const sheet = unzip(Buffer.concat(kept)).get('xl/worksheets/sheet1.xml')!.toString('utf8');
        expect(sheet.split('<row>').length - 1).toBe(ROWS + 1);
      }
    }
  });
});
