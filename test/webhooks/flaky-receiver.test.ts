import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/kernel/db/transaction.js';
import { seededRandom } from '../../src/kernel/seeded-random.js';
import { queueWebhooks } from '../../src/kernel/webhooks/queue.js';
import { verifyIncomingSignature } from '../../src/kernel/webhooks/sign.js';
import { ADMIN_EMAIL, logInAgent } from '../identity/agents-fixtures.js';
import { createTestApp, type TestApp } from '../support/app.js';
import type { Visitor } from '../support/visitor.js';
import { addEndpoint, adminActing, deliveryJobs, eventually, type Received, startReceiver } from './support.js';

/**
 * Thirty events through real job workers to a real, unreliable HTTP server on loopback: it fails
 * about 30 % of calls with a 500, answers some too slowly (after the sender's timeout, having
 * applied the event), and drops some connections (sometimes after applying the event, so the
 * sender never hears it was received). Every event must arrive, none be applied twice, every
 * signature be valid, and the log must show the failed attempts while they are being retried.
 */
const EVENTS = 30;
const TIMEOUT_MS = 300;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ overrides: { modules: ['pages'] } });
});
afterAll(async () => t?.close());

type Behaviour = 'fail' | 'slow' | 'drop-before' | 'drop-after' | 'ok';

function flakyReceiver(secret: string) {
  const random = seededRandom(20240601);
  /** What the receiver did with each event id: its `data`, applied once whatever the repeats. */
  const applied = new Map<string, unknown>();
  const receipts = new Map<string, number>();
  const behaviours: Behaviour[] = [];
  // The first calls exercise each kind of trouble for sure; then chance decides.
  const scripted: Behaviour[] = ['fail', 'slow', 'drop-before', 'drop-after'];
  let badSignatures = 0;
  let failures = 0;
  let onFailures: { count: number; resolve: () => void } | undefined;

  const apply = (request: Received) => {
    const body = JSON.parse(request.body) as { id: string; data: unknown };
    const id = request.headers['civitas-webhook-id'] as string;
    if (body.id !== id) throw new Error('body id and header differ');
    receipts.set(id, (receipts.get(id) ?? 0) + 1);
    // Idempotent on the key, as a receiver must be: a repeated event is acknowledged, not re-applied.
    if (!applied.has(id)) applied.set(id, body.data);
  };

  const answer = async (request: Received, res: ServerResponse) => {
    const check = verifyIncomingSignature({
      secret,
      timestamp: request.headers['civitas-webhook-timestamp'] as string,
      signature: request.headers['civitas-webhook-signature'] as string,
      rawBody: request.body,
    });
    if (!check.ok) {
      badSignatures++;
      res.writeHead(400).end();
      return;
    }
    const roll = random();
    const behaviour: Behaviour =
      scripted.shift() ?? (roll < 0.3 ? 'fail' : roll < 0.38 ? 'slow' : roll < 0.42 ? 'drop-before' : roll < 0.46 ? 'drop-after' : 'ok');
    behaviours.push(behaviour);
    if (behaviour !== 'ok') {
      failures++;
      if (onFailures && failures >= onFailures.count) onFailures.resolve();
    }
    switch (behaviour) {
      case 'fail':
        res.writeHead(500, { 'content-type': 'text/plain' }).end('database unavailable');
        return;
      case 'slow':
        apply(request);
        await new Promise((r) => setTimeout(r, TIMEOUT_MS * 2));
        res.writeHead(200).end();
        return;
      case 'drop-before':
        res.socket?.destroy();
        return;
      case 'drop-after':
        apply(request);
        res.socket?.destroy();
        return;
      case 'ok':
        apply(request);
        res.writeHead(200).end();
    }
  };

  return {
    answer,
    applied,
    receipts,
    behaviours,
    badSignatures: () => badSignatures,
    failuresReached: (count: number) => new Promise<void>((resolve) => (onFailures = { count, resolve })),
  };
}

describe('a flaky receiver', () => {
  it('gets every event exactly once, with valid signatures, while the log shows the retries', async () => {
    const admin = await adminActing(t.kernel);
    let flaky: ReturnType<typeof flakyReceiver> | undefined;
    const receiver = await startReceiver((request, res) => flaky?.answer(request, res));
    try {
      const endpoint = await addEndpoint(t.kernel, admin, { url: receiver.url, module: 'pages' });
      flaky = flakyReceiver(endpoint.secret);
      const keys: string[] = [];
      for (let n = 1; n <= EVENTS; n++) {
        const key = `pages:event:${n}`;
        keys.push(key);
        await inTransaction(t.kernel.db, (trx) =>
          queueWebhooks(trx, t.kernel, { module: 'pages', unitPath: null, event: 'page.updated', payload: { n }, idempotencyKey: key }),
        );
      }

      // First run: stop the workers once the receiver has failed a few calls, and look at the log.
      const firstFailures = flaky.failuresReached(4);
      const first = deliveryJobs(t.kernel, { timeoutMs: TIMEOUT_MS, retryDelayMs: 150 });
      first.start();
      await firstFailures;
      await first.stop(10_000);

      const meanwhile = await t.kernel.db.selectFrom('webhook_deliveries').selectAll().execute();
      const retrying = meanwhile.filter((d) => d.status === 'retrying');
      expect(retrying.length).toBeGreaterThan(0);
      for (const d of retrying) {
        expect(d.attempts).toBeGreaterThanOrEqual(1);
        expect(d.last_error).toBeTruthy();
      }
      const visitor: Visitor = await logInAgent(t.app, ADMIN_EMAIL);
      const page = await visitor.get(`/admin/webhooks/${endpoint.id}?lang=en`);
      expect(page.status).toBe(200);
      expect(page.body).toContain('Retry scheduled');
      expect(page.body).toMatch(/HTTP 500|No answer within 300 ms|fetch failed/);

      // Second run: the workers go on until everything is delivered.
      const second = deliveryJobs(t.kernel, { timeoutMs: TIMEOUT_MS, retryDelayMs: 150 });
      second.start();
      try {
        await eventually(async () => {
          const open = await t.kernel.db
            .selectFrom('webhook_deliveries')
            .select('id')
            .where('status', '!=', 'delivered')
            .executeTakeFirst();
          return !open;
        }, 90_000);
      } finally {
        await second.stop(10_000);
      }

      const rows = await t.kernel.db.selectFrom('webhook_deliveries').selectAll().execute();
      expect(rows).toHaveLength(EVENTS);
      expect(rows.every((r) => r.status === 'delivered' && r.job_id === null)).toBe(true);
      // Every event applied once, with its own data.
      expect([...flaky.applied.keys()].sort()).toEqual([...keys].sort());
      for (const [key, data] of flaky.applied) expect(data).toEqual({ n: Number(key.split(':')[2]) });
      expect(flaky.badSignatures()).toBe(0);
      // Some events arrived more than once (a lost acknowledgement, a slow answer): the same key each time.
      expect([...flaky.receipts.values()].some((n) => n > 1)).toBe(true);
      // The log counts exactly the requests the receiver got.
      const attempts = rows.reduce((sum, r) => sum + r.attempts, 0);
      expect(attempts).toBe(receiver.received.length);
      expect(attempts).toBeGreaterThan(EVENTS);
      const failed = flaky.behaviours.filter((b) => b !== 'ok').length;
      expect(failed / flaky.behaviours.length).toBeGreaterThan(0.2);
      expect(await t.kernel.db.selectFrom('jobs').select('id').execute()).toEqual([]);
    } finally {
      await receiver.close();
    }
  }, 120_000);
});
