import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/kernel/db/transaction.js';
import { HttpError } from '../../src/kernel/http/errors.js';
import { defineModule } from '../../src/kernel/modules.js';
import {
  authenticateItemCallback,
  authenticateSignedCallback,
  issueItemToken,
  rememberCallback,
} from '../../src/kernel/webhooks/incoming.js';
import { keepRawJsonBody, rawBodyOf } from '../../src/kernel/webhooks/raw-body.js';
import { newWebhookSecret, signatureHeader } from '../../src/kernel/webhooks/sign.js';
import { catalogue } from '../../src/modules/catalogue.js';
import { createTestApp, type TestApp } from '../support/app.js';

/**
 * A contractor's server reports progress on work orders by calling back a module's routes: signed
 * with the secret it shares with the city, or with the token the city gave it with the order.
 */
const SECRET = newWebhookSecret();

/** The test module's own table, typed here rather than merged into every module's `Tables`. */
type ProgressDb = Kysely<{ contractor_progress: { callback_id: string; order_id: string; status: string } }>;
const progressDb = (db: unknown) => db as ProgressDb;

const contractor = defineModule({
  code: 'contractor',
  migrations: {
    '0001_progress': {
      up: (db) =>
        db.schema
          .createTable('contractor_progress')
          .addColumn('callback_id', 'text', (c) => c.primaryKey())
          .addColumn('order_id', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .execute(),
    },
  },
  routes(app, kernel) {
    keepRawJsonBody(app);
    const apply = async (order: string, callback: { id: string; body: Record<string, unknown> }) => {
      await inTransaction(kernel.db, async (trx) => {
        await rememberCallback(trx, 'contractor', callback.id);
        const status = callback.body.status;
        if (status !== 'started' && status !== 'done') throw new HttpError(400, 'contractor.status', 'Unknown status.');
        await progressDb(trx).insertInto('contractor_progress').values({ callback_id: callback.id, order_id: order, status }).execute();
      });
    };
    app.post<{ Params: { order: string } }>(
      '/api/v1/contractor/orders/:order/progress',
      { config: { public: true } },
      async (request, reply) => {
        await apply(request.params.order, authenticateSignedCallback(request, { secret: SECRET }));
        return reply.code(204).send();
      },
    );
    app.post<{ Params: { order: string } }>(
      '/api/v1/contractor/orders/:order/report',
      { config: { public: true } },
      async (request, reply) => {
        const order = request.params.order;
        await apply(order, authenticateItemCallback(request, kernel, `contractor:order:${order}`));
        return reply.code(204).send();
      },
    );
  },
});

/** Another module, which does not keep raw bodies: its scope is not affected by the contractor's. */
const other = defineModule({
  code: 'other',
  routes(app) {
    app.post('/api/v1/other/echo', { config: { public: true } }, async (request) => ({ body: request.body, raw: rawBodyOf(request) }));
  },
});

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ catalogue: [...catalogue, contractor, other], overrides: { modules: ['pages', 'contractor', 'other'] } });
});
afterAll(async () => t?.close());
beforeEach(async () => {
  await progressDb(t.kernel.db).deleteFrom('contractor_progress').execute();
  await t.kernel.db.deleteFrom('webhook_incoming_seen').execute();
});

function signed(body: string, options: { secret?: string; timestamp?: number } = {}) {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/json',
    'civitas-webhook-timestamp': String(timestamp),
    'civitas-webhook-signature': signatureHeader(options.secret ?? SECRET, timestamp, body),
  };
}

const progress = (headers: Record<string, string>, payload: string, order = '42') =>
  t.app.inject({ method: 'POST', url: `/api/v1/contractor/orders/${order}/progress`, headers, payload });

async function state() {
  return {
    progress: await progressDb(t.kernel.db).selectFrom('contractor_progress').selectAll().orderBy('callback_id').execute(),
    seen: (await t.kernel.db.selectFrom('webhook_incoming_seen').select('key').orderBy('key').execute()).map((r) => r.key),
  };
}

// Whitespace and key order as the contractor sent them: the signature covers these bytes.
const BODY = '{ "id": "cb-1",  "status": "started" }';

describe('signed callbacks', () => {
  it('accept a valid callback and apply it', async () => {
    const res = await progress(signed(BODY), BODY);
    expect(res.statusCode, res.body).toBe(204);
    expect(await state()).toEqual({
      progress: [{ callback_id: 'cb-1', order_id: '42', status: 'started' }],
      seen: ['contractor:cb-1'],
    });
  });

  it('refuse a replay, even re-signed with a fresh timestamp, with 409 and nothing changed', async () => {
    const headers = signed(BODY);
    expect((await progress(headers, BODY)).statusCode).toBe(204);
    const before = await state();

    const replay = await progress(headers, BODY);
    expect(replay.statusCode).toBe(409);
    expect(replay.headers['content-type']).toContain('application/problem+json');
    expect(replay.json()).toMatchObject({ status: 409, code: 'webhook.replayed' });
    const resigned = await progress(signed(BODY, { timestamp: Math.floor(Date.now() / 1000) + 2 }), BODY);
    expect(resigned.json()).toMatchObject({ status: 409, code: 'webhook.replayed' });
    expect(await state()).toEqual(before);
  });

  it('accept exactly one of two identical callbacks arriving together', async () => {
    const headers = signed(BODY);
    const answers = await Promise.all([progress(headers, BODY), progress(headers, BODY), progress(headers, BODY)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([204, 409, 409]);
    expect((await state()).progress).toHaveLength(1);
  });

  it('refuse a wrong secret, a changed body, a stale timestamp or missing headers with 401, changing nothing', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: [Record<string, string>, string, string][] = [
      [signed(BODY, { secret: newWebhookSecret() }), BODY, 'webhook.signature-invalid'],
      [signed(BODY), BODY.replace('started', 'done'), 'webhook.signature-invalid'],
      [signed(BODY, { timestamp: now - 600 }), BODY, 'webhook.timestamp-stale'],
      [signed(BODY, { timestamp: now + 600 }), BODY, 'webhook.timestamp-stale'],
      [{ ...signed(BODY), 'civitas-webhook-timestamp': 'yesterday' }, BODY, 'webhook.timestamp-invalid'],
      [{ 'content-type': 'application/json' }, BODY, 'webhook.signature-missing'],
    ];
    for (const [headers, payload, code] of cases) {
      const res = await progress(headers, payload);
      expect(res.statusCode, code).toBe(401);
      expect(res.json()).toMatchObject({ status: 401, code });
    }
    expect(await state()).toEqual({ progress: [], seen: [] });
  });

  it('need an id in the body, agreeing with the Civitas-Webhook-Id header if one is sent', async () => {
    const noId = '{"status":"done"}';
    expect((await progress(signed(noId), noId)).json()).toMatchObject({ status: 400, code: 'webhook.id-missing' });
    const mismatch = await progress({ ...signed(BODY), 'civitas-webhook-id': 'cb-2' }, BODY);
    expect(mismatch.json()).toMatchObject({ status: 400, code: 'webhook.id-mismatch' });
    expect(await state()).toEqual({ progress: [], seen: [] });
  });

  it('leave the id unused when applying the callback fails, so the contractor can send it again', async () => {
    const wrong = '{"id":"cb-3","status":"exploded"}';
    expect((await progress(signed(wrong), wrong)).statusCode).toBe(400);
    expect(await state()).toEqual({ progress: [], seen: [] });
    const right = '{"id":"cb-3","status":"done"}';
    expect((await progress(signed(right), right)).statusCode).toBe(204);
    expect((await state()).seen).toEqual(['contractor:cb-3']);
  });

  it('take JSON only: another content type is refused with 415', async () => {
    const res = await progress({ ...signed(BODY), 'content-type': 'application/xml' }, BODY);
    expect(res.statusCode).toBe(415);
    // What a cross-site HTML form can send is refused even before: it carries no CSRF token.
    expect((await progress({ ...signed(BODY), 'content-type': 'text/plain' }, BODY)).statusCode).toBe(403);
    expect(await state()).toEqual({ progress: [], seen: [] });
  });

  it('keep raw bodies in the module’s scope only', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/other/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"a":1}',
    });
    expect(res.statusCode).toBe(415);
    // Fastify's JSON protections still apply where raw bodies are kept.
    const poisoned = '{"id":"cb-4","__proto__":{"admin":true}}';
    expect((await progress(signed(poisoned), poisoned)).statusCode).toBe(400);
  });
});

describe('callbacks with an item token', () => {
  const report = (order: string, token: string | undefined, payload: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/contractor/orders/${order}/report`,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload,
    });

  it('accept the order’s token, refuse another order’s or none with 401, and refuse a replay with 409', async () => {
    const token = issueItemToken(t.kernel, 'contractor:order:42');
    const body = '{"id":"r-1","status":"done"}';
    expect((await report('43', token, body)).json()).toMatchObject({ status: 401, code: 'webhook.token-invalid' });
    expect((await report('42', undefined, body)).json()).toMatchObject({ status: 401, code: 'webhook.token-invalid' });
    const changed = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect((await report('42', changed, body)).statusCode).toBe(401);
    expect(await state()).toEqual({ progress: [], seen: [] });

    expect((await report('42', token, body)).statusCode).toBe(204);
    expect((await report('42', token, body)).json()).toMatchObject({ status: 409, code: 'webhook.replayed' });
    expect((await state()).progress).toEqual([{ callback_id: 'r-1', order_id: '42', status: 'done' }]);
  });
});
