import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/kernel/db/transaction.js';
import { notify } from '../../src/kernel/notifications/notify.js';
import { ADMIN_EMAIL, createTestAdmin, logInAgent } from '../identity/agents-fixtures.js';
import type { TestApp } from '../support/app.js';
import { sessionCookie } from '../support/identity.js';
import { Visitor } from '../support/visitor.js';
import { createNotifyingApp, createResident, data, statusTemplate } from './fixtures.js';

let t: TestApp;
let agent: Visitor;
beforeAll(async () => {
  t = await createNotifyingApp();
  await createTestAdmin(t.kernel);
  agent = await logInAgent(t.app, ADMIN_EMAIL);
});
afterAll(async () => t?.close());

const versions = () => t.kernel.db.selectFrom('notification_template_versions').selectAll().execute();
const send = (accountId: string, channels?: ('email' | 'sms' | 'dashboard')[]) =>
  inTransaction(t.kernel.db, (trx) => notify(trx, t.kernel, { accountId, template: 'test.status-changed', data, channels }));

const form = (overrides: Record<string, string> = {}) => ({
  base_version: '0',
  fr_subject: statusTemplate.fr.subject,
  fr_body: statusTemplate.fr.body,
  fr_sms: statusTemplate.fr.sms!,
  en_subject: statusTemplate.en.subject,
  en_body: statusTemplate.en.body,
  en_sms: statusTemplate.en.sms!,
  ...overrides,
});

describe('template editing in the back office', () => {
  it('lists the modules’ templates with the version in use', async () => {
    const page = await agent.get('/admin/notifications/templates');
    expect(page.status).toBe(200);
    expect(page.body).toContain('test.status-changed');
    expect(page.body).toContain('A demand changed status');
  });

  it('refuses an unknown or malformed placeholder with a clear message and changes nothing', async () => {
    await agent.get('/admin/notifications/templates/test.status-changed');
    const refused = await agent.post(
      '/admin/notifications/templates/test.status-changed',
      form({ fr_body: 'Bonjour ((nom)) ((first name))' }),
    );
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('error-summary');
    expect(refused.body).toContain('Ce modèle ne connaît pas ((nom)). Champs disponibles : ((name)), ((reference)), ((status)).');
    expect(refused.body).toContain('((first name))');
    // What was typed is shown again for correction.
    expect(refused.body).toContain('Bonjour ((nom)) ((first name))');
    expect(await versions()).toEqual([]);
  });

  it('saves a valid edit as a new version, used from then on, and warns about a placeholder left out', async () => {
    await agent.get('/admin/notifications/templates/test.status-changed');
    const saved = await agent.post(
      '/admin/notifications/templates/test.status-changed',
      form({ fr_subject: 'Du nouveau', en_subject: 'News' }),
    );
    expect(saved.status).toBe(303);
    const page = await agent.follow(saved);
    expect(page.body).toContain('La version 1 est enregistrée');
    expect(page.body).not.toContain('n’utilise pas');
    const again = await agent.post(
      '/admin/notifications/templates/test.status-changed',
      form({ base_version: '1', en_subject: 'News', en_body: 'Hello ((name))', en_sms: 'Request updated' }),
    );
    const shown = await agent.follow(again);
    expect(shown.body).toContain('La version 2 est enregistrée');
    expect(shown.body).toContain('n’utilise pas ((reference)), ((status)) dans toutes les langues');
    expect(shown.body).toContain('Version 1, par admin@paris.test');
    expect((await versions()).map((v) => v.version).sort()).toEqual([1, 2]);

    const resident = await createResident(t.kernel, { email: 'v2@example.org', channels: [] });
    await send(resident);
    const row = await t.kernel.db.selectFrom('notifications').selectAll().where('account_id', '=', resident).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ subject: 'Votre demande R-42', template_version: 2 });
  });

  it('refuses a save from a form opened on an older version', async () => {
    await agent.get('/admin/notifications/templates/test.status-changed');
    const stale = await agent.post('/admin/notifications/templates/test.status-changed', form({ base_version: '1' }));
    expect(stale.status).toBe(400);
    expect(stale.body).toContain('Quelqu’un a enregistré une autre version');
    expect((await versions()).length).toBe(2);
  });

  it('answers 404 for a template no module declares', async () => {
    expect((await agent.get('/admin/notifications/templates/test.unknown')).status).toBe(404);
  });
});

describe('the messages list and retry', () => {
  it('filters by channel, status, template and e-mail, and retries a failed message as a new one', async () => {
    const resident = await createResident(t.kernel, { email: 'not an address', channels: ['email'] });
    await send(resident, ['email']);
    const failed = await t.kernel.db
      .selectFrom('notifications')
      .selectAll()
      .where('account_id', '=', resident)
      .where('channel', '=', 'email')
      .executeTakeFirstOrThrow();
    expect(failed.status).toBe('permanent-failure');

    const list = await agent.get(
      '/admin/notifications?channel=email&status=permanent-failure&template=test.status-changed&email=not+an+address',
    );
    expect(list.status).toBe(200);
    expect(list.body).toContain(`/admin/notifications/${failed.id}`);
    expect(list.body).toContain('Le compte n’a pas d’adresse électronique utilisable.');
    const other = await agent.get('/admin/notifications?channel=sms');
    expect(other.body).not.toContain(`/admin/notifications/${failed.id}`);
    expect((await agent.get('/admin/notifications?status=lost')).status).toBe(400);

    // The resident corrects the address; the agent retries.
    await t.kernel.db.updateTable('accounts').set({ email: 'fixed@example.org' }).where('id', '=', resident).execute();
    await agent.get(`/admin/notifications/${failed.id}`);
    const retried = await agent.post(`/admin/notifications/${failed.id}/retry`);
    expect(retried.status).toBe(303);
    const page = await agent.follow(retried);
    expect(page.body).toContain('Le message a été renvoyé');
    const rows = await t.kernel.db
      .selectFrom('notifications')
      .selectAll()
      .where('account_id', '=', resident)
      .where('channel', '=', 'email')
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.status, r.recipient, r.retry_of])).toEqual([
      ['permanent-failure', null, null],
      ['created', 'fixed@example.org', failed.id],
    ]);
    // A second retry while the first is under way is refused.
    await agent.get(`/admin/notifications/${failed.id}`);
    expect((await agent.post(`/admin/notifications/${failed.id}/retry`)).status).toBe(409);
    const audit = await t.kernel.db.selectFrom('audit_log').select('action').where('resource_id', '=', failed.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['notification.retry']);
  });
});

describe('a resident’s messages', () => {
  it('lists in-app messages newest first with the unread ones marked, and marks them read', async () => {
    const resident = await createResident(t.kernel, { email: 'reader@example.org', channels: [] });
    await send(resident);
    const visitor = new Visitor(t.app);
    visitor.setCookie('civitas_session', (await sessionCookie(t.kernel, resident)).split('=')[1]!);
    const page = await visitor.get('/account/notifications');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Messages non lus : 1');
    expect(page.body).toContain('Nouveau :');
    expect(page.body).toContain('Votre demande R-42');
    const read = await visitor.post('/account/notifications/read');
    expect(read.status).toBe(303);
    const after = await visitor.follow(read);
    expect(after.body).toContain('Vous avez lu tous vos messages.');
    expect(after.body).not.toContain('Nouveau :');
  });

  it('is for residents only', async () => {
    expect((await agent.get('/account/notifications')).status).toBe(403);
    const anonymous = await new Visitor(t.app).get('/account/notifications');
    expect(anonymous.status).toBe(303);
  });
});
