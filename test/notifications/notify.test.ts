import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/kernel/db/transaction.js';
import { createAdmin } from '../../src/kernel/identity/accounts.js';
import { listNotifications, markRead } from '../../src/kernel/notifications/inbox.js';
import { NotifyError, notify } from '../../src/kernel/notifications/notify.js';
import { eraseNotifications, exportNotifications } from '../../src/kernel/notifications/personal-data.js';
import { advanceStatus } from '../../src/kernel/notifications/status.js';
import { saveTemplateVersion } from '../../src/kernel/notifications/template-edit.js';
import { currentTemplate, templateVersions } from '../../src/kernel/notifications/templates.js';
import { agentActor } from '../identity/agents-fixtures.js';
import type { TestApp } from '../support/app.js';
import { createNotifyingApp, createResident, data, historyOf, rowsOf, statusTemplate } from './fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await createNotifyingApp();
});
afterAll(async () => t?.close());

const send = (accountId: string, extra: Partial<Parameters<typeof notify>[2]> = {}) =>
  inTransaction(t.kernel.db, (trx) => notify(trx, t.kernel, { accountId, template: 'test.status-changed', data, ...extra }));

describe('notify', () => {
  it('records one message per accepted channel in the resident’s language, the dashboard delivered at once and the e-mail queued', async () => {
    const id = await createResident(t.kernel, { email: 'ada@example.org', lang: 'en' });
    const ids = await send(id, { link: '/demands/R-42', demandId: 'd1' });
    expect(ids).toHaveLength(2);
    const rows = await rowsOf(t.kernel, id);
    expect(rows.map((r) => [r.channel, r.status])).toEqual([
      ['dashboard', 'delivered'],
      ['email', 'created'],
    ]);
    const email = rows.find((r) => r.channel === 'email')!;
    expect(email).toMatchObject({
      language: 'en',
      recipient: 'ada@example.org',
      subject: 'Your request R-42',
      template_version: 0,
      demand_id: 'd1',
    });
    expect(email.body).toBe('Hello Ada,\n\nYour request R-42 is now: acceptée.');
    const job = await t.kernel.db.selectFrom('jobs').select(['name', 'payload']).where('id', '=', email.job_id!).executeTakeFirstOrThrow();
    expect(job.name).toBe('kernel:deliver-notification');
    expect(await historyOf(t.kernel, rows[0]!.id)).toEqual(['created', 'delivered']);
  });

  it('takes a value given in both languages in each recipient’s own', async () => {
    const [english, french] = [
      await createResident(t.kernel, { email: 'both-en@example.org', lang: 'en' }),
      await createResident(t.kernel, { email: 'both-fr@example.org', lang: 'fr' }),
    ];
    const status = { fr: 'acceptée', en: 'accepted' };
    await send(english, { data: { ...data, status } });
    await send(french, { data: { ...data, status } });
    expect((await rowsOf(t.kernel, english)).find((r) => r.channel === 'email')?.body).toBe(
      'Hello Ada,\n\nYour request R-42 is now: accepted.',
    );
    expect((await rowsOf(t.kernel, french)).find((r) => r.channel === 'email')?.body).toMatch(/: acceptée\.$/);
  });

  it('respects an opt-out of e-mail and always keeps the dashboard', async () => {
    const id = await createResident(t.kernel, { email: 'quiet@example.org', channels: [] });
    await send(id);
    expect((await rowsOf(t.kernel, id)).map((r) => r.channel)).toEqual(['dashboard']);
    const onlyEmail = await createResident(t.kernel, { email: 'mailonly@example.org', channels: ['email'] });
    await send(onlyEmail, { channels: ['email'] });
    expect((await rowsOf(t.kernel, onlyEmail)).map((r) => r.channel)).toEqual(['dashboard', 'email']);
  });

  it('records a visible permanent failure for an unknown account, a missing phone, or no SMS provider — never a silent drop', async () => {
    await send('0'.repeat(28));
    const unknown = await rowsOf(t.kernel, '0'.repeat(28));
    expect(unknown.map((r) => [r.channel, r.status, r.last_error])).toEqual([
      ['dashboard', 'permanent-failure', 'unknown-account'],
      ['email', 'permanent-failure', 'unknown-account'],
      ['sms', 'permanent-failure', 'unknown-account'],
    ]);
    expect(await historyOf(t.kernel, unknown[0]!.id)).toEqual(['created', 'permanent-failure']);

    const noPhone = await createResident(t.kernel, { email: 'nophone@example.org', channels: ['sms', 'dashboard'] });
    await send(noPhone);
    expect((await rowsOf(t.kernel, noPhone)).map((r) => [r.channel, r.status, r.last_error])).toEqual([
      ['dashboard', 'delivered', null],
      ['sms', 'permanent-failure', 'no-phone-number'],
    ]);
    const noProvider = await createResident(t.kernel, { email: 'phone@example.org', channels: ['sms'], phone: '06 12 34 56 78' });
    await send(noProvider);
    expect((await rowsOf(t.kernel, noProvider)).find((r) => r.channel === 'sms')?.last_error).toBe('no-sms-provider');
  });

  it('records a permanent failure when the account’s e-mail is not an address', async () => {
    const id = await createResident(t.kernel, { email: 'not an address' });
    await send(id);
    expect((await rowsOf(t.kernel, id)).find((r) => r.channel === 'email')).toMatchObject({
      status: 'permanent-failure',
      last_error: 'no-email-address',
    });
  });

  it('refuses a missing value, an unknown template, a channel the template lacks and a foreign link, recording nothing', async () => {
    const id = await createResident(t.kernel, { email: 'strict@example.org' });
    await expect(send(id, { data: { name: 'Ada', reference: 'R' } })).rejects.toThrow('No value given for ((status))');
    await expect(send(id, { template: 'test.nope' })).rejects.toThrow('Unknown notification template "test.nope"');
    await expect(send(id, { link: 'https://evil.example/' })).rejects.toThrow(NotifyError);
    await expect(
      send(id, { template: { ...statusTemplate, code: 'test.mail-only', channels: ['email'] }, channels: ['sms'] }),
    ).rejects.toThrow('has no channel sms');
    expect(await rowsOf(t.kernel, id)).toEqual([]);
  });

  it('rolls back with the caller’s transaction', async () => {
    const id = await createResident(t.kernel, { email: 'rollback@example.org' });
    await expect(
      inTransaction(t.kernel.db, async (trx) => {
        await notify(trx, t.kernel, { accountId: id, template: 'test.status-changed', data });
        throw new Error('the transition failed');
      }),
    ).rejects.toThrow('the transition failed');
    expect(await rowsOf(t.kernel, id)).toEqual([]);
  });
});

describe('template versions', () => {
  it('uses an administrator’s new version from then on and keeps the older ones', async () => {
    const admin = await agentActor(
      t.kernel,
      (await createAdmin(t.kernel.db, { email: 'admin@paris.test', password: 'correct horse battery staple' })).id,
    );
    const who = { actor: admin, ip: '127.0.0.1' };
    const edited = {
      fr: { ...statusTemplate.fr, subject: 'Du nouveau pour ((reference))' },
      en: { ...statusTemplate.en, subject: 'News about ((reference))' },
    };
    expect(await saveTemplateVersion(t.kernel.db, who, statusTemplate, edited, 0)).toEqual({ ok: true, version: 1 });
    const id = await createResident(t.kernel, { email: 'versions@example.org' });
    await send(id);
    const email = (await rowsOf(t.kernel, id)).find((r) => r.channel === 'email')!;
    expect(email).toMatchObject({ subject: 'Du nouveau pour R-42', template_version: 1 });
    expect((await templateVersions(t.kernel.db, statusTemplate)).map((v) => v.version)).toEqual([1, 0]);

    // Saving from a stale form is refused, and so is an unknown placeholder: version 1 stays in use.
    expect(await saveTemplateVersion(t.kernel.db, who, statusTemplate, edited, 0)).toMatchObject({ ok: false });
    const bad = { ...edited, en: { ...edited.en, body: 'Hello ((nom))' } };
    const refused = await saveTemplateVersion(t.kernel.db, who, statusTemplate, bad, 1);
    expect(refused).toEqual({
      ok: false,
      problems: [
        {
          field: 'en_body',
          key: 'notifications.errors.unknownPlaceholder',
          params: { names: '((nom))', allowed: '((name)), ((reference)), ((status))' },
        },
      ],
    });
    expect((await currentTemplate(t.kernel.db, statusTemplate)).version).toBe(1);
  });
});

describe('status', () => {
  it('only moves forward: a late "delivered" after a permanent failure is ignored', async () => {
    const id = await createResident(t.kernel, { email: 'forward@example.org', channels: ['email'] });
    await send(id, { channels: ['email'] });
    const email = (await rowsOf(t.kernel, id)).find((r) => r.channel === 'email')!;
    expect(await advanceStatus(t.kernel.db, email.id, 'sending')).toBe(true);
    expect(await advanceStatus(t.kernel.db, email.id, 'permanent-failure', '550 no such user')).toBe(true);
    expect(await advanceStatus(t.kernel.db, email.id, 'delivered')).toBe(false);
    expect(await advanceStatus(t.kernel.db, email.id, 'sending')).toBe(false);
    expect(await advanceStatus(t.kernel.db, email.id, 'created')).toBe(false);
    const row = await t.kernel.db.selectFrom('notifications').selectAll().where('id', '=', email.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'permanent-failure', last_error: '550 no such user', attempts: 1 });
    expect(await historyOf(t.kernel, email.id)).toEqual(['created', 'sending', 'permanent-failure']);
  });

  it('lets exactly one of many concurrent updates win', async () => {
    const id = await createResident(t.kernel, { email: 'race@example.org', channels: ['email'] });
    await send(id, { channels: ['email'] });
    const email = (await rowsOf(t.kernel, id)).find((r) => r.channel === 'email')!;
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) => advanceStatus(t.kernel.db, email.id, i % 2 ? 'delivered' : 'permanent-failure', `racer ${i}`)),
    );
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await historyOf(t.kernel, email.id)).toHaveLength(2);
  });
});

describe('the dashboard', () => {
  it('lists a resident’s in-app messages newest first and marks them read', async () => {
    const id = await createResident(t.kernel, { email: 'inbox@example.org', channels: [] });
    await send(id, { data: { ...data, reference: 'A-1' } });
    await send(id, { data: { ...data, reference: 'A-2' } });
    const items = await listNotifications(t.kernel.db, id, { limit: 10 });
    expect(items.map((i) => i.subject.slice(-3))).toEqual(['A-2', 'A-1']);
    expect(await markRead(t.kernel.db, id, items[0]!.id)).toBe(1);
    expect((await listNotifications(t.kernel.db, id, { unreadOnly: true })).map((i) => i.subject.slice(-3))).toEqual(['A-1']);
    expect(await markRead(t.kernel.db, id)).toBe(1);
    expect(await listNotifications(t.kernel.db, id, { unreadOnly: true })).toEqual([]);
  });
});

describe('personal data', () => {
  it('exports a resident’s messages and erases them with their history; a queued delivery then sends nothing', async () => {
    const id = await createResident(t.kernel, { email: 'erase@example.org' });
    const ids = await send(id);
    expect((await exportNotifications(t.kernel.db, id)).map((n) => n.channel).sort()).toEqual(['dashboard', 'email']);
    await inTransaction(t.kernel.db, (trx) => eraseNotifications(trx, id));
    expect(await rowsOf(t.kernel, id)).toEqual([]);
    expect(await t.kernel.db.selectFrom('notification_events').select('id').where('notification_id', 'in', ids).execute()).toEqual([]);
    await t.kernel.jobs.runDue();
    expect(await t.kernel.db.selectFrom('jobs').select('id').where('name', '=', 'kernel:deliver-notification').execute()).toEqual([]);
  });
});
