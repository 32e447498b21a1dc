import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../../src/kernel/demo.js';
import type { AgentActor } from '../../../src/kernel/identity/agents/acting.js';
import { issueItemToken } from '../../../src/kernel/webhooks/incoming.js';
import { runAction } from '../../../src/kernel/workflow/transition.js';
import { reportSubject } from '../../../src/modules/street-reports/domain/contractor.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { clearJobs, demoAgent, reportRow, residentId, statusSubjects } from './contractors-support.js';
import { fileReport, POTHOLE } from './support.js';

let t: TestApp;
let agent: AgentActor;
let camille: string;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemoOnce(t.kernel);
  await clearJobs(t.kernel);
  agent = await demoAgent(t.kernel, 'agent.11@ville.example');
  camille = await residentId(t.kernel);
});
afterAll(() => t?.close());

/** A resident's pothole in the 11th, acknowledged and sent to the contractor by the town hall. */
async function dispatched() {
  const report = await fileReport(t.kernel, { category: POTHOLE, accountId: camille });
  await runAction(t.kernel, agent, report.itemId, 'acknowledge');
  await runAction(t.kernel, agent, report.itemId, 'dispatch');
  return { ...report, token: issueItemToken(t.kernel, reportSubject(report.id)) };
}

function callback(reportId: string, token: string, body: unknown, contentType = 'application/json') {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/street-reports/${reportId}/callbacks`,
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** What a refused callback must leave untouched. */
async function snapshot(report: { id: string; itemId: string }) {
  const row = await reportRow(t.kernel, report.id);
  const history = await t.kernel.db.selectFrom('workflow_history').select('id').where('item_id', '=', report.itemId).execute();
  const photos = await t.kernel.db.selectFrom('street_report_photos').select('id').where('report_id', '=', report.id).execute();
  return { state: row.state, updated: row.updated_at, history: history.length, photos: photos.length };
}

async function jpeg(options: { gps?: boolean } = {}) {
  const image = sharp({ create: { width: 64, height: 48, channels: 3, background: '#446688' } }).jpeg();
  const withGps = options.gps
    ? image.withExif({ IFD0: { Make: 'Contractor phone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 27/1' } })
    : image;
  return (await withGps.toBuffer()).toString('base64');
}

describe('the contractors’ callback API', () => {
  it('moves the report along: scheduled with its date, then done with a message and an "after" photo stripped of its GPS', async () => {
    const report = await dispatched();
    const scheduled = await callback(report.id, report.token, {
      id: 'cb-1',
      status: 'scheduled',
      date: '2031-05-04',
      comment: 'Demain 8 h',
    });
    expect(scheduled.statusCode, scheduled.body).toBe(200);
    expect(scheduled.json()).toEqual({ id: report.id, reference: report.reference, state: 'contractor-scheduled', status: 'open' });
    const history = await t.kernel.db
      .selectFrom('workflow_history')
      .selectAll()
      .where('item_id', '=', report.itemId)
      .where('action', '=', 'contractor-scheduled')
      .executeTakeFirstOrThrow();
    expect(history).toMatchObject({ actor_kind: 'system', comment: 'Demain 8 h' });
    expect(JSON.parse(history.fields)).toEqual({ 'planned-on': '2031-05-04' });

    const photo = await jpeg({ gps: true });
    expect((await sharp(Buffer.from(photo, 'base64')).metadata()).exif).toBeDefined();
    const done = await callback(report.id, report.token, { id: 'cb-2', status: 'done', comment: 'Trou rebouché.', photo });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ state: 'done', status: 'closed' });
    const row = await reportRow(t.kernel, report.id);
    expect(row).toMatchObject({ state: 'done', status: 'closed' });
    expect(row.closed_at).not.toBeNull();
    const after = await t.kernel.db
      .selectFrom('street_report_photos')
      .selectAll()
      .where('report_id', '=', report.id)
      .where('kind', '=', 'after')
      .executeTakeFirstOrThrow();
    const file = await t.kernel.files.read(after.file_id, 'original');
    expect(file?.mime).toBe('image/jpeg');
    expect(file?.file.owner).toBe(`workflow:item:${report.itemId}`);
    const chunks: Buffer[] = [];
    for await (const chunk of file!.stream) chunks.push(chunk as Buffer);
    expect((await sharp(Buffer.concat(chunks)).metadata()).exif).toBeUndefined();

    // The reporter heard of each public step, the contractor's included.
    expect(await statusSubjects(t.kernel, camille, report.id)).toEqual([
      expect.stringContaining('Pris en compte'),
      expect.stringContaining('Transmis au prestataire'),
      expect.stringContaining('Programmé par le prestataire'),
      expect.stringContaining('Résolu'),
    ]);
  });

  it('applies "rejected" (back to the town hall) and "requalify" with their reason', async () => {
    const rejected = await dispatched();
    const res = await callback(rejected.id, rejected.token, { id: 'cb-r', status: 'rejected', comment: 'Chantier privé sur place.' });
    expect(res.json()).toMatchObject({ state: 'to-treat', status: 'open' });
    const requalify = await dispatched();
    const again = await callback(requalify.id, requalify.token, { id: 'cb-q', status: 'requalify', comment: 'C’est un tag, pas un trou.' });
    expect(again.json()).toMatchObject({ state: 'to-requalify' });
  });

  it('refuses a wrong token (401), an unknown report (404), a replay and an impossible status (409), changing nothing', async () => {
    const report = await dispatched();
    const other = await dispatched();
    const before = await snapshot(report);

    const wrong = await callback(report.id, other.token, { id: 'x-1', status: 'scheduled', date: '2031-01-01' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'webhook.token-invalid' });
    expect((await callback(report.id, 'not-a-token', { id: 'x-1', status: 'scheduled', date: '2031-01-01' })).statusCode).toBe(401);
    expect((await callback('01J0000000000000000000000', report.token, { id: 'x-2', status: 'done', comment: 'ok' })).statusCode).toBe(404);
    expect(await snapshot(report)).toEqual(before);

    expect((await callback(report.id, report.token, { id: 'x-3', status: 'scheduled', date: '2031-01-01' })).statusCode).toBe(200);
    const applied = await snapshot(report);
    const replay = await callback(report.id, report.token, { id: 'x-3', status: 'scheduled', date: '2031-01-01' });
    expect(replay.statusCode).toBe(409);
    expect(replay.json()).toMatchObject({ code: 'webhook.replayed' });
    const twice = await callback(report.id, report.token, { id: 'x-4', status: 'scheduled', date: '2031-01-02' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'workflow.not-available' });
    expect(await snapshot(report)).toEqual(applied);
    // A refused callback's id stays unused: the contractor may send it again once corrected.
    expect((await callback(report.id, report.token, { id: 'x-4', status: 'done', comment: 'Fait.' })).statusCode).toBe(200);
  });

  it('refuses a fake image (415), a body that is not JSON (415) and an invalid body (400), changing nothing', async () => {
    const report = await dispatched();
    const before = await snapshot(report);
    const fake = Buffer.from('<?php system($_GET["c"]); ?> definitely a JPEG').toString('base64');
    const res = await callback(report.id, report.token, { id: 'f-1', status: 'done', comment: 'Fait.', photo: fake });
    expect(res.statusCode).toBe(415);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF').toString('base64');
    expect((await callback(report.id, report.token, { id: 'f-1', status: 'done', comment: 'Fait.', photo: pdf })).statusCode).toBe(415);
    expect((await callback(report.id, report.token, { id: 'f-1', status: 'done', comment: 'x', photo: '***' })).statusCode).toBe(400);
    expect((await callback(report.id, report.token, 'id=f-1&status=done', 'application/x-www-form-urlencoded')).statusCode).toBe(415);
    expect((await callback(report.id, report.token, 'id f-1', 'text/plain')).statusCode).toBe(415);
    const unknown = await callback(report.id, report.token, { id: 'f-2', status: 'finished' });
    expect(unknown.statusCode).toBe(400);
    expect((await callback(report.id, report.token, { id: 'f-2', status: 'done', comment: 'x', extra: 1 })).statusCode).toBe(400);
    const noReason = await callback(report.id, report.token, { id: 'f-2', status: 'rejected' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json()).toMatchObject({ code: 'workflow.invalid-fields', errors: [{ field: 'comment' }] });
    expect((await callback(report.id, report.token, { id: 'f-2', status: 'scheduled', photo: await jpeg() })).statusCode).toBe(400);
    expect(await snapshot(report)).toEqual(before);
    expect((await callback(report.id, report.token, { id: 'f-1', status: 'done', comment: 'Fait.', photo: await jpeg() })).statusCode).toBe(
      200,
    );
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/docs' })).json() as { paths: Record<string, { post?: { summary?: string } }> };
    expect(doc.paths['/api/v1/street-reports/{id}/callbacks']?.post?.summary).toBe('A contractor reports progress on a work order');
  });
});
