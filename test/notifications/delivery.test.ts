import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/kernel/db/transaction.js';
import { nowIso } from '../../src/kernel/db/values.js';
import { notify } from '../../src/kernel/notifications/notify.js';
import { sweepAbandoned } from '../../src/kernel/notifications/sweep.js';
import { signatureHeader } from '../../src/kernel/webhooks/sign.js';
import { ADMIN_EMAIL, createTestAdmin, logInAgent } from '../identity/agents-fixtures.js';
import type { TestApp } from '../support/app.js';
import { createNotifyingApp, createResident, data, historyOf } from './fixtures.js';
import { startSmtpGate } from './smtp-gate.js';

const CALLBACK_SECRET = 'sms-callback-secret-0123456789';
let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpGate>>;
let provider: Server;
const texts: { body: Record<string, string>; authorization: string | undefined }[] = [];
let providerAnswer = { status: 200, body: '{"id":"prov-1"}' };

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  smtp = await startSmtpGate();
  provider = createServer(async (req, res) => {
    texts.push({ body: JSON.parse(await readBody(req)), authorization: req.headers.authorization });
    res.writeHead(providerAnswer.status, { 'content-type': 'application/json' }).end(providerAnswer.body);
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  const { port } = provider.address() as AddressInfo;
  t = await createNotifyingApp({
    smtp: { ...smtp.config, user: undefined, pass: undefined },
    sms: { url: `http://127.0.0.1:${port}/send`, token: 'provider-token', callbackSecret: CALLBACK_SECRET, timeoutMs: 5000 },
    publicUrl: 'https://paris.example',
  });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
  await new Promise((resolve) => provider?.close(resolve));
});
beforeEach(() => {
  smtp.state.mode = 'accept';
});

async function notifyByMail(email: string, extra: Record<string, unknown> = {}) {
  const accountId = await createResident(t.kernel, { email, lang: 'en', ...extra });
  await inTransaction(t.kernel.db, (trx) =>
    notify(trx, t.kernel, {
      accountId,
      template: 'test.status-changed',
      data: { ...data, name: '<Ada & co>' },
      channels: ['email'],
      link: '/demands/R-42',
    }),
  );
  const row = await t.kernel.db
    .selectFrom('notifications')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('channel', '=', 'email')
    .executeTakeFirstOrThrow();
  return row.id;
}

const statusOf = async (id: string) =>
  t.kernel.db
    .selectFrom('notifications')
    .select(['status', 'last_error', 'attempts', 'provider_ref'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

/** Makes the queued retries due now, as time passing would. */
async function fastForward() {
  await t.kernel.db.updateTable('jobs').set({ run_at: nowIso() }).where('status', '=', 'queued').execute();
}

describe('e-mail delivery', () => {
  it('sends through SMTP and ends delivered, escaped in HTML and plain in text', async () => {
    const id = await notifyByMail('ada@example.org');
    await t.kernel.jobs.runDue();
    expect(await statusOf(id)).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(await historyOf(t.kernel, id)).toEqual(['created', 'sending', 'delivered']);
    const mail = smtp.state.mails.find((m) => m.to.includes('ada@example.org'))!;
    expect(mail.subject).toBe('Your request R-42');
    expect(mail.text).toContain('Hello <Ada & co>,');
    expect(mail.text).toContain('https://paris.example/demands/R-42');
    expect(mail.html).toContain('Hello &lt;Ada &amp; co>,');
  });

  it('ends a refused address (5xx) as a permanent failure, visible in the back office with its reason', async () => {
    smtp.state.mode = 'refuse-permanently';
    const id = await notifyByMail('nobody@example.org');
    await t.kernel.jobs.runDue();
    const row = await statusOf(id);
    expect(row.status).toBe('permanent-failure');
    expect(row.last_error).toContain('550');
    expect(await t.kernel.db.selectFrom('jobs').select('id').where('name', '=', 'kernel:deliver-notification').execute()).toEqual([]);

    await createTestAdmin(t.kernel);
    const agent = await logInAgent(t.app, ADMIN_EMAIL);
    const list = await agent.get('/admin/notifications?status=permanent-failure');
    expect(list.status).toBe(200);
    expect(list.body).toContain('nobody@example.org');
    expect(list.body).toContain('No such user');
    expect(list.body).toMatch(/Non distribuable|Undeliverable/);
    const detail = await agent.get(`/admin/notifications/${id}`);
    expect(detail.body).toContain('550');
    expect(detail.body).toContain(`/admin/notifications/${id}/retry`);
  });

  it('records a temporary failure (4xx), then retries with the jobs’ backoff and delivers', async () => {
    smtp.state.mode = 'refuse-temporarily';
    const id = await notifyByMail('busy@example.org');
    await t.kernel.jobs.runDue();
    expect(await statusOf(id)).toMatchObject({ status: 'temporary-failure', attempts: 1 });
    const job = await t.kernel.db
      .selectFrom('jobs')
      .select(['status', 'run_at'])
      .where('name', '=', 'kernel:deliver-notification')
      .executeTakeFirstOrThrow();
    expect(job.status).toBe('queued');
    expect(job.run_at > nowIso()).toBe(true);

    smtp.state.mode = 'accept';
    await fastForward();
    await t.kernel.jobs.runDue();
    expect(await statusOf(id)).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(await historyOf(t.kernel, id)).toEqual(['created', 'sending', 'temporary-failure', 'sending', 'delivered']);
    expect(smtp.state.mails.filter((m) => m.to.includes('busy@example.org'))).toHaveLength(1);
  });

  it('ends as a permanent failure when the last attempt fails too, not as a job left dead', async () => {
    smtp.state.mode = 'refuse-temporarily';
    const id = await notifyByMail('always-busy@example.org');
    await t.kernel.db.updateTable('jobs').set({ max_attempts: 2 }).where('name', '=', 'kernel:deliver-notification').execute();
    await t.kernel.jobs.runDue();
    await fastForward();
    await t.kernel.jobs.runDue();
    const row = await statusOf(id);
    expect(row.status).toBe('permanent-failure');
    expect(row.last_error).toMatch(/^gave up after 2 attempts: .*451/);
  });

  it('sweeps a message whose job died without a word into a permanent failure', async () => {
    const id = await notifyByMail('orphan@example.org');
    // What a worker killed during the final attempt leaves: a dead job, a message still "sending".
    await t.kernel.db.updateTable('notifications').set({ status: 'sending' }).where('id', '=', id).execute();
    await t.kernel.db
      .updateTable('jobs')
      .set({ status: 'dead', last_error: 'Error: The lease of the final attempt expired' })
      .where('name', '=', 'kernel:deliver-notification')
      .execute();
    expect(await sweepAbandoned(t.kernel.db)).toBe(0);
    expect(await sweepAbandoned(t.kernel.db, new Date(Date.now() + 3600_000))).toBe(1);
    expect(await statusOf(id)).toMatchObject({ status: 'permanent-failure' });
    expect((await statusOf(id)).last_error).toContain('lease of the final attempt expired');
  });
});

describe('SMS delivery', () => {
  const receipt = (body: Record<string, string>, secret = CALLBACK_SECRET) => {
    const raw = JSON.stringify(body);
    const timestamp = Math.floor(Date.now() / 1000);
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/sms-callback',
      headers: {
        'content-type': 'application/json',
        'civitas-webhook-timestamp': String(timestamp),
        'civitas-webhook-signature': signatureHeader(secret, timestamp, raw),
      },
      payload: raw,
    });
  };

  async function notifyBySms(email: string) {
    const accountId = await createResident(t.kernel, { email, channels: ['sms'], phone: '06 12 34 56 78' });
    await inTransaction(t.kernel.db, (trx) => notify(trx, t.kernel, { accountId, template: 'test.status-changed', data }));
    const row = await t.kernel.db
      .selectFrom('notifications')
      .select('id')
      .where('account_id', '=', accountId)
      .where('channel', '=', 'sms')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  it('posts to the provider, waits for its receipt, and ignores a late receipt that would move the status back', async () => {
    providerAnswer = { status: 200, body: '{"id":"prov-1"}' };
    const id = await notifyBySms('sms@example.org');
    await t.kernel.jobs.runDue();
    expect(texts.at(-1)).toEqual({
      body: {
        to: '06 12 34 56 78',
        text: 'Demande R-42 : acceptée',
        reference: id,
        callbackUrl: 'https://paris.example/api/v1/notifications/sms-callback',
      },
      authorization: 'Bearer provider-token',
    });
    expect(await statusOf(id)).toMatchObject({ status: 'sending', provider_ref: 'prov-1' });

    const unsigned = await t.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/sms-callback',
      payload: { id: 'r0', reference: 'prov-1', status: 'delivered' },
    });
    expect(unsigned.statusCode).toBe(401);
    expect((await receipt({ id: 'r1', reference: 'prov-1', status: 'delivered' }, 'wrong-secret-0123456789')).statusCode).toBe(401);
    expect((await statusOf(id)).status).toBe('sending');

    const failed = await receipt({ id: 'r2', reference: 'prov-1', status: 'permanent-failure', detail: 'number not in service' });
    expect(failed.json()).toEqual({ status: 'permanent-failure', applied: true });
    const late = await receipt({ id: 'r3', reference: 'prov-1', status: 'delivered' });
    expect(late.json()).toEqual({ status: 'permanent-failure', applied: false });
    expect((await receipt({ id: 'r3', reference: 'prov-1', status: 'delivered' })).statusCode).toBe(409);
    expect((await receipt({ id: 'r4', reference: 'nothing', status: 'delivered' })).statusCode).toBe(404);
    expect(await statusOf(id)).toMatchObject({ status: 'permanent-failure', last_error: 'number not in service' });
  });

  it('ends a number the provider refuses (4xx) as a permanent failure', async () => {
    providerAnswer = { status: 422, body: '{"error":"invalid number"}' };
    const id = await notifyBySms('badnumber@example.org');
    await t.kernel.jobs.runDue();
    expect(await statusOf(id)).toMatchObject({ status: 'permanent-failure' });
    expect((await statusOf(id)).last_error).toContain('invalid number');
  });
});
