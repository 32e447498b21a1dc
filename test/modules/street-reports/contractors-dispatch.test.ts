import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromJson } from '../../../src/kernel/db/values.js';
import { seedDemoOnce } from '../../../src/kernel/demo.js';
import type { AgentActor } from '../../../src/kernel/identity/agents/acting.js';
import { runAction, WORKFLOW_TIMER_JOB, workflowTimerJob } from '../../../src/kernel/workflow/transition.js';
import { SIMULATOR_PATH } from '../../../src/modules/street-reports/simulator/contractor.js';
import { startContractorSimulator } from '../../../src/modules/street-reports/simulator/server.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { eventually, startReceiver } from '../../webhooks/support.js';
import {
  clearJobs,
  demoAgent,
  PARIS_12,
  PARIS_13,
  PARIS_18,
  repointContractor,
  reportRow,
  residentId,
  statusSubjects,
} from './contractors-support.js';
import { fileReport, POTHOLE } from './support.js';

let t: TestApp & { url: string };
let admin: AgentActor;
let camille: string;
beforeAll(async () => {
  // Served on a port, as contractors call the city back over HTTP; the built-in simulator answers at once.
  t = await createTestApp({
    listen: true,
    overrides: { moduleSettings: { 'street-reports': { simulator: true, simulatorDelaySeconds: 0 } } },
  });
  await seedDemoOnce(t.kernel);
  await clearJobs(t.kernel);
  admin = await demoAgent(t.kernel, 'admin@ville.example');
  camille = await residentId(t.kernel);
});
afterAll(() => t?.close());

const deliveriesOf = (subject: string) =>
  t.kernel.db.selectFrom('webhook_deliveries').selectAll().where('subject', '=', subject).orderBy('id').execute();

/** Runs due jobs until the report reaches `state` (callbacks arrive over HTTP meanwhile). */
const reaches = (reportId: string, state: string) =>
  eventually(async () => {
    await t.kernel.jobs.runDue();
    return (await reportRow(t.kernel, reportId)).state === state;
  }, 20_000);

describe('a contractor on loopback', () => {
  it('receives the signed work order, schedules it for tomorrow and closes it with a photo; the resident hears of each step', async () => {
    const simulator = await startContractorSimulator({ delayMs: 30, appUrl: t.url });
    try {
      const agent = await demoAgent(t.kernel, 'agent.11@ville.example');
      simulator.useSecret(await repointContractor(t.kernel, admin, 'mairie-75111', simulator.url));
      const report = await fileReport(t.kernel, { category: POTHOLE, accountId: camille, address: '2 place Léon-Blum' });
      await runAction(t.kernel, agent, report.itemId, 'acknowledge');
      await runAction(t.kernel, agent, report.itemId, 'dispatch');
      expect((await reportRow(t.kernel, report.id)).state).toBe('sent-to-contractor');

      await reaches(report.id, 'done');
      expect(simulator.orders).toEqual([expect.objectContaining({ reference: report.reference })]);
      expect(simulator.callbacks.map((c) => [c.step, c.answer.status])).toEqual([
        ['scheduled', 200],
        ['done', 200],
      ]);
      const [delivery] = await deliveriesOf(`street-reports:report:${report.id}`);
      expect(delivery).toMatchObject({ status: 'delivered', event: 'street-reports.work-order' });
      const data = (fromJson(delivery!.body, {}) as { data: Record<string, unknown> }).data;
      expect(data).toMatchObject({ id: report.id, reference: report.reference, category: POTHOLE, address: '2 place Léon-Blum' });

      const planned = await t.kernel.db
        .selectFrom('workflow_history')
        .select('fields')
        .where('item_id', '=', report.itemId)
        .where('action', '=', 'contractor-scheduled')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(planned.fields)).toEqual({ 'planned-on': new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) });
      const photos = await t.kernel.db.selectFrom('street_report_photos').selectAll().where('report_id', '=', report.id).execute();
      expect(photos.map((p) => p.kind)).toEqual(['after']);
      expect((await t.kernel.files.get(photos[0]!.file_id))?.mime).toBe('image/jpeg');
      expect(await statusSubjects(t.kernel, camille, report.id)).toEqual([
        expect.stringContaining('Pris en compte'),
        expect.stringContaining('Transmis au prestataire'),
        expect.stringContaining('Programmé par le prestataire'),
        expect.stringContaining('Résolu'),
      ]);

      // A forged order (no valid signature) is refused by the contractor.
      const forged = await fetch(simulator.url, { method: 'POST', body: delivery!.body, headers: { 'content-type': 'application/json' } });
      expect(forged.status).toBe(401);
    } finally {
      await simulator.close();
    }
  });
});

describe('the built-in simulator of the demo', () => {
  it('answers a work order sent to the app itself and closes the report through the real callback API', async () => {
    const agent = await demoAgent(t.kernel, 'agent.18@ville.example');
    await repointContractor(t.kernel, admin, 'mairie-75118', `${t.url}${SIMULATOR_PATH}`);
    const report = await fileReport(t.kernel, { category: POTHOLE, accountId: camille, ...PARIS_18 });
    expect((await reportRow(t.kernel, report.id)).district).toBe('75118');
    await runAction(t.kernel, agent, report.itemId, 'acknowledge');
    await runAction(t.kernel, agent, report.itemId, 'dispatch');
    await reaches(report.id, 'done');
    const history = await t.kernel.db
      .selectFrom('workflow_history')
      .select('action')
      .where('item_id', '=', report.itemId)
      .orderBy('at')
      .execute();
    expect(history.map((h) => h.action)).toEqual([null, 'acknowledge', 'dispatch', 'contractor-scheduled', 'contractor-done']);

    const unsigned = await t.app.inject({ method: 'POST', url: SIMULATOR_PATH, payload: { id: 'x', event: 'street-reports.work-order' } });
    expect(unsigned.statusCode).toBe(401);
  });
});

describe('sending to the contractor', () => {
  it('makes an undeliverable work order visible ("sending failed"), then sends it again an hour later', async () => {
    let answer = 422;
    const contractor = await startReceiver((_request, res) => res.writeHead(answer).end());
    try {
      await repointContractor(t.kernel, admin, 'mairie-75112', contractor.url);
      const report = await fileReport(t.kernel, { category: POTHOLE, ...PARIS_12 });
      expect((await reportRow(t.kernel, report.id)).district).toBe('75112');
      await runAction(t.kernel, admin, report.itemId, 'acknowledge');
      await runAction(t.kernel, admin, report.itemId, 'dispatch');
      await t.kernel.jobs.runDue();
      expect(await deliveriesOf(`street-reports:report:${report.id}`)).toEqual([expect.objectContaining({ status: 'failed' })]);
      expect((await reportRow(t.kernel, report.id)).state).toBe('dispatch-failed');

      const timers = await t.kernel.db.selectFrom('jobs').selectAll().where('name', '=', WORKFLOW_TIMER_JOB).execute();
      const retry = timers.find((j) => JSON.parse(j.payload).itemId === report.itemId);
      expect(JSON.parse(retry!.payload)).toMatchObject({ action: 'retry-dispatch' });
      expect(Date.parse(retry!.run_at) - Date.now()).toBeGreaterThan(59 * 60_000);

      answer = 202;
      await workflowTimerJob(JSON.parse(retry!.payload), t.kernel);
      expect((await reportRow(t.kernel, report.id)).state).toBe('sent-to-contractor');
      await t.kernel.jobs.runDue();
      const deliveries = await deliveriesOf(`street-reports:report:${report.id}`);
      expect(deliveries.map((d) => d.status)).toEqual(['failed', 'delivered']);
      expect(new Set(deliveries.map((d) => d.idempotency_key)).size).toBe(2);
      expect((await reportRow(t.kernel, report.id)).state).toBe('sent-to-contractor');
    } finally {
      await contractor.close();
    }
  });

  it('refuses to dispatch a report whose unit has no contractor, which stays with the town hall', async () => {
    const unit = await t.kernel.db.selectFrom('units').select('path').where('code', '=', 'mairie-75113').executeTakeFirstOrThrow();
    await t.kernel.db.deleteFrom('webhook_endpoints').where('unit_path', '=', unit.path).execute();
    const report = await fileReport(t.kernel, { category: POTHOLE, ...PARIS_13 });
    await runAction(t.kernel, admin, report.itemId, 'acknowledge');
    await expect(runAction(t.kernel, admin, report.itemId, 'dispatch')).rejects.toMatchObject({
      statusCode: 409,
      code: 'street-reports.no-contractor',
    });
    expect((await reportRow(t.kernel, report.id)).state).toBe('to-treat');
    expect(await deliveriesOf(`street-reports:report:${report.id}`)).toEqual([]);
    expect(t.kernel.i18n.t('en', 'workflow.errors.street-reports.no-contractor')).toContain('No contractor');
  });
});
