import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../../src/kernel/demo.js';
import { reportWorkflow } from '../../../src/modules/street-reports/workflow.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { residentId } from './contractors-support.js';

let t: TestApp;
let seedMs = 0;
beforeAll(async () => {
  t = await createTestApp();
  const started = Date.now();
  await seedDemoOnce(t.kernel);
  seedMs = Date.now() - started;
});
afterAll(() => t?.close());

describe('the demo city’s street reports', () => {
  it('holds 300 reports over the 20 arrondissements, in every state of the workflow, some with photos', async () => {
    const reports = await t.kernel.db.selectFrom('street_reports').select(['id', 'state', 'district', 'lat', 'lng']).execute();
    expect(reports).toHaveLength(300);
    expect(new Set(reports.map((r) => r.district)).size).toBe(20);
    for (const r of reports) expect(t.kernel.districts.locate([r.lng, r.lat])?.code).toBe(r.district);
    expect(new Set(reports.map((r) => r.state))).toEqual(new Set(Object.keys(reportWorkflow.states)));
    const photos = await t.kernel.db.selectFrom('street_report_photos').select(['kind']).execute();
    expect(photos.filter((p) => p.kind === 'closeup').length).toBeGreaterThan(60);
    expect(photos.filter((p) => p.kind === 'after').length).toBeGreaterThan(20);
    // Seeding stays quick enough to run at every first start.
    expect(seedMs).toBeLessThan(60_000);
  });

  it('gives the demo resident her own reports on her dashboard, and others she follows', async () => {
    const camille = await residentId(t.kernel);
    const mine = await t.kernel.db.selectFrom('street_reports').select(['demand_id']).where('account_id', '=', camille).execute();
    expect(mine.length).toBeGreaterThanOrEqual(10);
    expect(mine.every((r) => r.demand_id)).toBe(true);
    const followed = await t.kernel.db
      .selectFrom('street_report_followers')
      .select('report_id')
      .where('account_id', '=', camille)
      .execute();
    expect(followed.length).toBeGreaterThanOrEqual(5);
  });

  it('points each town hall’s contractor endpoint at the built-in simulator', async () => {
    const endpoints = await t.kernel.db.selectFrom('webhook_endpoints').selectAll().where('module', '=', 'street-reports').execute();
    expect(endpoints).toHaveLength(20);
    for (const e of endpoints) {
      expect(e.url).toBe(`http://127.0.0.1:${t.kernel.config.port}/simulator/contractor/work-orders`);
      expect(e.unit_path).toMatch(/^\/paris\/mairie-751\d\d\/$/);
    }
    const queued = await t.kernel.db.selectFrom('webhook_deliveries').select('status').execute();
    expect(queued.length).toBeGreaterThan(0);
  });
});
