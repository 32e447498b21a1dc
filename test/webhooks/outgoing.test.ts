import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/kernel/db/transaction.js';
import type { Acting } from '../../src/kernel/identity/agents/acting.js';
import { createUnit } from '../../src/kernel/identity/units.js';
import { WEBHOOK_DELIVERY_JOB, WEBHOOK_MAX_ATTEMPTS } from '../../src/kernel/webhooks/deliver.js';
import { deliveryLog, redeliver } from '../../src/kernel/webhooks/deliveries.js';
import { updateEndpoint } from '../../src/kernel/webhooks/endpoints.js';
import { pruneWebhooks } from '../../src/kernel/webhooks/prune.js';
import { queueWebhooks } from '../../src/kernel/webhooks/queue.js';
import { verifyIncomingSignature } from '../../src/kernel/webhooks/sign.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { addEndpoint, adminActing, deliveryJobs, startReceiver } from './support.js';

let t: TestApp;
let admin: Acting;
beforeAll(async () => {
  t = await createTestApp();
  admin = await adminActing(t.kernel);
  await createUnit(t.kernel.db, { code: 'paris', parentCode: null, name: { fr: 'Paris', en: 'Paris' } });
  await createUnit(t.kernel.db, { code: 'paris-11', parentCode: 'paris', name: { fr: '11e', en: '11th' } });
  await createUnit(t.kernel.db, { code: 'paris-12', parentCode: 'paris', name: { fr: '12e', en: '12th' } });
});
afterAll(async () => t?.close());
afterEach(async () => {
  // Each test starts with no endpoint, delivery or job.
  await t.kernel.db.deleteFrom('webhook_deliveries').execute();
  await t.kernel.db.deleteFrom('webhook_endpoints').execute();
  await t.kernel.db.deleteFrom('jobs').execute();
});

const event = (over: Partial<Parameters<typeof queueWebhooks>[2]> = {}) => ({
  module: 'works',
  unitPath: '/paris/paris-11/',
  event: 'work-order.created',
  subject: 'works:order:1',
  payload: { order: 1, street: 'rue Oberkampf' },
  ...over,
});

const deliveries = () => t.kernel.db.selectFrom('webhook_deliveries').selectAll().orderBy('id').execute();
const jobs = () => t.kernel.db.selectFrom('jobs').selectAll().where('name', '=', WEBHOOK_DELIVERY_JOB).execute();

describe('queueing (the outbox)', () => {
  it('queues one delivery and one job per matching endpoint: same module, unit or above, event in the filter, active', async () => {
    const url = 'https://partner.example/hooks';
    const city = await addEndpoint(t.kernel, admin, { url, unitPath: null });
    const paris = await addEndpoint(t.kernel, admin, { url, unitPath: '/paris/', events: ['work-order.created', 'work-order.closed'] });
    const eleventh = await addEndpoint(t.kernel, admin, { url, unitPath: '/paris/paris-11/' });
    await addEndpoint(t.kernel, admin, { url, unitPath: '/paris/paris-12/' });
    await addEndpoint(t.kernel, admin, { url, unitPath: null, events: ['work-order.closed'] });
    await addEndpoint(t.kernel, admin, { url, unitPath: null, module: 'pages' });
    await addEndpoint(t.kernel, admin, { url, unitPath: null, active: false });

    const queued = await inTransaction(t.kernel.db, (trx) => queueWebhooks(trx, t.kernel, event()));
    expect(queued).toBe(3);
    const rows = await deliveries();
    expect(rows.map((r) => r.endpoint_id).sort()).toEqual([city.id, paris.id, eleventh.id].sort());
    expect(new Set(rows.map((r) => r.idempotency_key)).size).toBe(1);
    for (const row of rows) expect(row).toMatchObject({ status: 'pending', attempts: 0, max_attempts: WEBHOOK_MAX_ATTEMPTS });
    expect(JSON.parse(rows[0]?.body ?? '')).toEqual({
      id: rows[0]?.idempotency_key,
      event: 'work-order.created',
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      module: 'works',
      unitPath: '/paris/paris-11/',
      subject: 'works:order:1',
      data: { order: 1, street: 'rue Oberkampf' },
    });
    const queuedJobs = await jobs();
    expect(queuedJobs.map((j) => j.id).sort()).toEqual(rows.map((r) => r.job_id).sort());

    // A city-wide event reaches only city-wide endpoints.
    expect(await inTransaction(t.kernel.db, (trx) => queueWebhooks(trx, t.kernel, event({ unitPath: null })))).toBe(1);
  });

  it('sends nothing when the transaction rolls back', async () => {
    await addEndpoint(t.kernel, admin, { url: 'https://partner.example/hooks' });
    await expect(
      inTransaction(t.kernel.db, async (trx) => {
        expect(await queueWebhooks(trx, t.kernel, event())).toBe(1);
        throw new Error('the transition failed');
      }),
    ).rejects.toThrow('the transition failed');
    expect(await deliveries()).toEqual([]);
    expect(await jobs()).toEqual([]);
  });

  it('refuses an event name no endpoint could filter on', async () => {
    await expect(inTransaction(t.kernel.db, (trx) => queueWebhooks(trx, t.kernel, event({ event: 'Work Order!' })))).rejects.toThrow(
      'Invalid webhook event name "Work Order!"',
    );
  });

  it('queues an event once per endpoint for a given idempotency key', async () => {
    await addEndpoint(t.kernel, admin, { url: 'https://partner.example/hooks' });
    const once = event({ idempotencyKey: 'works:order:1:created' });
    expect(await inTransaction(t.kernel.db, (trx) => queueWebhooks(trx, t.kernel, once))).toBe(1);
    expect(await inTransaction(t.kernel.db, (trx) => queueWebhooks(trx, t.kernel, once))).toBe(0);
    const rows = await deliveries();
    expect(rows.map((r) => r.idempotency_key)).toEqual(['works:order:1:created']);
    expect(await jobs()).toHaveLength(1);
  });
});

describe('delivery', () => {
  it('POSTs the body with the id, timestamp and a valid signature; 2xx is delivered and the job is gone', async () => {
    const receiver = await startReceiver((_req, res) => res.writeHead(204).end());
    try {
      const { secret } = await addEndpoint(t.kernel, admin, { url: receiver.url });
      await inTransaction(t.kernel.db, (trx) => queueWebhooks(trx, t.kernel, event()));
      expect(receiver.received).toEqual([]);
      await deliveryJobs(t.kernel).runDue();

      expect(receiver.received).toHaveLength(1);
      const [request] = receiver.received;
      const [row] = await deliveries();
      expect(request?.body).toBe(row?.body);
      expect(request?.headers['content-type']).toBe('application/json');
      expect(request?.headers['civitas-webhook-id']).toBe(row?.idempotency_key);
      const timestamp = Number(request?.headers['civitas-webhook-timestamp']);
      expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(5);
      const check = verifyIncomingSignature({
        secret,
        timestamp: request?.headers['civitas-webhook-timestamp'] as string,
        signature: request?.headers['civitas-webhook-signature'] as string,
        rawBody: request?.body ?? '',
      });
      expect(check.ok).toBe(true);
      expect(row).toMatchObject({ status: 'delivered', attempts: 1, last_http_status: 204, last_error: null, job_id: null });
      expect(row?.delivered_at).toBeTruthy();
      expect(await jobs()).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('fails for good on a 4xx other than 408 and 429, without retrying', async () => {
    const receiver = await startReceiver((_req, res) =>
      res.writeHead(422, { 'content-type': 'text/plain' }).end('unknown work order type'),
    );
    try {
      await addEndpoint(t.kernel, admin, { url: receiver.url });
      await inTransaction(t.kernel.db, (trx) => queueWebhooks(trx, t.kernel, event()));
      await deliveryJobs(t.kernel).runDue();
      const [row] = await deliveries();
      expect(row).toMatchObject({ status: 'failed', attempts: 1, last_http_status: 422, last_error: 'HTTP 422: unknown work order type' });
      expect(await jobs()).toEqual([]);
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('retries 408, 429, 5xx and redirects, then dies after its attempts, with the log true at each step', async () => {
    const answers = [408, 429, 503, 302];
    const receiver = await startReceiver((_req, res) => {
      const status = answers.shift() ?? 500;
      res.writeHead(status, status === 302 ? { location: 'https://elsewhere.example/' } : {}).end();
    });
    try {
      await addEndpoint(t.kernel, admin, { url: receiver.url });
      await inTransaction(t.kernel.db, (trx) => queueWebhooks(trx, t.kernel, event()));
      const worker = deliveryJobs(t.kernel, { retryDelayMs: 60_000 });
      const statuses: unknown[] = [];
      for (let i = 0; i < 4; i++) {
        // The retry is not due before its delay: make it due, as time passing would.
        await t.kernel.db
          .updateTable('jobs')
          .set({ run_at: new Date(Date.now() - 1000).toISOString() })
          .execute();
        expect(await worker.runDue()).toBe(1);
        const [row] = await deliveries();
        const [job] = await jobs();
        statuses.push([row?.status, row?.attempts, row?.last_http_status, job?.status, row?.job_id === job?.id]);
        const { entries } = await deliveryLog(t.kernel.db, row?.endpoint_id ?? '');
        expect(entries[0]?.nextAttemptAt).toBe(job?.run_at);
      }
      expect(statuses).toEqual([
        ['retrying', 1, 408, 'queued', true],
        ['retrying', 2, 429, 'queued', true],
        ['retrying', 3, 503, 'queued', true],
        ['retrying', 4, 302, 'queued', true],
      ]);

      const quick = deliveryJobs(t.kernel);
      await t.kernel.db
        .updateTable('jobs')
        .set({ run_at: new Date(Date.now() - 1000).toISOString() })
        .execute();
      await quick.runDue();
      const [row] = await deliveries();
      const [job] = await jobs();
      expect(row).toMatchObject({ status: 'failed', attempts: WEBHOOK_MAX_ATTEMPTS, last_http_status: 500, job_id: job?.id });
      expect(job?.status).toBe('dead');
      expect(receiver.received).toHaveLength(WEBHOOK_MAX_ATTEMPTS);
      expect(new Set(receiver.received.map((r) => r.headers['civitas-webhook-id']))).toEqual(new Set([row?.idempotency_key]));

      // Replaying the dead job from the jobs page sends nothing: the delivery is final.
      await t.kernel.jobs.replay(job?.id ?? '');
      await quick.runDue();
      expect(receiver.received).toHaveLength(WEBHOOK_MAX_ATTEMPTS);
      expect((await deliveries())[0]?.status).toBe('failed');
    } finally {
      await receiver.close();
    }
  });

  it('counts a dropped connection or a timeout as a failed attempt, with the reason in the log', async () => {
    let call = 0;
    const receiver = await startReceiver((_req, res) => {
      call++;
      if (call === 1) res.socket?.destroy();
      else if (call === 2) setTimeout(() => res.writeHead(200).end(), 600);
      else res.writeHead(200).end();
    });
    try {
      await addEndpoint(t.kernel, admin, { url: receiver.url });
      await inTransaction(t.kernel.db, (trx) => queueWebhooks(trx, t.kernel, event()));
      const worker = deliveryJobs(t.kernel, { timeoutMs: 200 });
      expect(await worker.runDue()).toBe(3);
      const errors = receiver.received.length;
      expect(errors).toBe(3);
      const [row] = await deliveries();
      expect(row).toMatchObject({ status: 'delivered', attempts: 3, last_http_status: 200, last_error: null });
    } finally {
      await receiver.close();
    }
  });

  it('records the reason of each failure while retrying', async () => {
    let call = 0;
    const receiver = await startReceiver((_req, res) => {
      call++;
      if (call === 1) res.socket?.destroy();
      else setTimeout(() => res.writeHead(200).end(), 600);
    });
    try {
      await addEndpoint(t.kernel, admin, { url: receiver.url });
      await inTransaction(t.kernel.db, (trx) => queueWebhooks(trx, t.kernel, event()));
      const worker = deliveryJobs(t.kernel, { timeoutMs: 200, retryDelayMs: 60_000 });
      await worker.runDue();
      let [row] = await deliveries();
      expect(row).toMatchObject({ status: 'retrying', attempts: 1, last_http_status: null });
      expect(row?.last_error).toMatch(/fetch failed|socket|closed/i);
      await t.kernel.db
        .updateTable('jobs')
        .set({ run_at: new Date(Date.now() - 1000).toISOString() })
        .execute();
      await worker.runDue();
      [row] = await deliveries();
      expect(row).toMatchObject({ status: 'retrying', attempts: 2, last_http_status: null, last_error: 'No answer within 200 ms.' });
    } finally {
      await receiver.close();
    }
  });

  it('never moves a final status back, and sends nothing for a delivery already delivered', async () => {
    const receiver = await startReceiver((_req, res) => res.writeHead(200).end());
    try {
      await addEndpoint(t.kernel, admin, { url: receiver.url });
      await inTransaction(t.kernel.db, (trx) => queueWebhooks(trx, t.kernel, event()));
      const [queued] = await deliveries();
      // Another worker delivered it already (its lease had expired): this job's run must change nothing.
      await t.kernel.db
        .updateTable('webhook_deliveries')
        .set({ status: 'delivered', attempts: 1 })
        .where('id', '=', queued?.id ?? '')
        .execute();
      await deliveryJobs(t.kernel).runDue();
      expect(receiver.received).toEqual([]);
      expect((await deliveries())[0]).toMatchObject({ status: 'delivered', attempts: 1 });
    } finally {
      await receiver.close();
    }
  });

  it('fails a delivery whose endpoint was deactivated meanwhile, without sending it', async () => {
    const receiver = await startReceiver((_req, res) => res.writeHead(200).end());
    try {
      const { id } = await addEndpoint(t.kernel, admin, { url: receiver.url });
      await inTransaction(t.kernel.db, (trx) => queueWebhooks(trx, t.kernel, event()));
      await updateEndpoint(t.kernel.db, admin, ['works'], id, {
        module: 'works',
        unitPath: null,
        url: receiver.url,
        description: '',
        events: ['*'],
        active: false,
      });
      await deliveryJobs(t.kernel).runDue();
      expect(receiver.received).toEqual([]);
      expect((await deliveries())[0]).toMatchObject({ status: 'failed', attempts: 0, last_error: expect.stringContaining('deactivated') });
    } finally {
      await receiver.close();
    }
  });

  it('shows as failed a delivery whose worker died during its final attempt', async () => {
    await addEndpoint(t.kernel, admin, { url: 'https://partner.example/hooks' });
    await inTransaction(t.kernel.db, (trx) => queueWebhooks(trx, t.kernel, event()));
    const [row] = await deliveries();
    await t.kernel.db.updateTable('webhook_deliveries').set({ status: 'retrying', attempts: 15 }).execute();
    // What the jobs runtime does alone when the final attempt's lease expires.
    await t.kernel.db
      .updateTable('jobs')
      .set({ status: 'dead', attempts: WEBHOOK_MAX_ATTEMPTS + 1 })
      .execute();
    const { entries } = await deliveryLog(t.kernel.db, row?.endpoint_id ?? '');
    expect(entries.map((e) => [e.status, e.nextAttemptAt])).toEqual([['failed', null]]);
    expect((await deliveries())[0]?.status).toBe('failed');
  });

  it('"retry now" sends a failed delivery again as a new delivery with the same id; the failed one stays in the log', async () => {
    let up = false;
    const receiver = await startReceiver((_req, res) => res.writeHead(up ? 200 : 400).end());
    try {
      const { id: endpointId } = await addEndpoint(t.kernel, admin, { url: receiver.url });
      await inTransaction(t.kernel.db, (trx) => queueWebhooks(trx, t.kernel, event()));
      const worker = deliveryJobs(t.kernel);
      await worker.runDue();
      const [failed] = await deliveries();
      expect(failed?.status).toBe('failed');

      up = true;
      const again = await redeliver(t.kernel.db, t.kernel, admin, endpointId, failed?.id ?? '');
      await expect(redeliver(t.kernel.db, t.kernel, admin, endpointId, failed?.id ?? '')).rejects.toMatchObject({
        statusCode: 409,
        code: 'webhook.already-retrying',
      });
      await worker.runDue();
      const rows = await deliveries();
      expect(rows.map((r) => [r.id, r.status, r.redelivery_of])).toEqual([
        [failed?.id, 'failed', null],
        [again, 'delivered', failed?.id],
      ]);
      expect(receiver.received.map((r) => r.body)).toEqual([failed?.body, failed?.body]);
      expect(receiver.received.map((r) => r.headers['civitas-webhook-id'])).toEqual([failed?.idempotency_key, failed?.idempotency_key]);
      await expect(redeliver(t.kernel.db, t.kernel, admin, endpointId, again)).rejects.toMatchObject({
        statusCode: 409,
        code: 'webhook.not-failed',
      });
      const audit = await t.kernel.db
        .selectFrom('audit_log')
        .select(['action', 'resource_id'])
        .where('action', '=', 'webhook.redeliver')
        .execute();
      expect(audit).toEqual([{ action: 'webhook.redeliver', resource_id: again }]);
    } finally {
      await receiver.close();
    }
  });
});

describe('pruning', () => {
  it('drops final deliveries after 90 days and callback ids after 30, keeping the rest', async () => {
    await addEndpoint(t.kernel, admin, { url: 'https://partner.example/hooks' });
    for (let n = 0; n < 3; n++) await inTransaction(t.kernel.db, (trx) => queueWebhooks(trx, t.kernel, event()));
    const [oldDelivered, oldPending, recent] = await deliveries();
    const old = new Date(Date.now() - 91 * 24 * 3600 * 1000).toISOString();
    await t.kernel.db
      .updateTable('webhook_deliveries')
      .set({ created_at: old, status: 'delivered' })
      .where('id', '=', oldDelivered?.id ?? '')
      .execute();
    await t.kernel.db
      .updateTable('webhook_deliveries')
      .set({ created_at: old })
      .where('id', '=', oldPending?.id ?? '')
      .execute();
    await t.kernel.db
      .insertInto('webhook_incoming_seen')
      .values([
        { key: 'partner:old', seen_at: new Date(Date.now() - 31 * 24 * 3600 * 1000).toISOString() },
        { key: 'partner:recent', seen_at: new Date().toISOString() },
      ])
      .execute();

    expect(await pruneWebhooks(t.kernel.db)).toEqual({ deliveries: 1, seen: 1 });
    expect((await deliveries()).map((d) => d.id)).toEqual([oldPending?.id, recent?.id]);
    expect(await t.kernel.db.selectFrom('webhook_incoming_seen').select('key').execute()).toEqual([{ key: 'partner:recent' }]);
    await t.kernel.db.deleteFrom('webhook_incoming_seen').execute();
  });
});
