import type { Config } from '../../src/kernel/config/schema.js';
import { nowIso, toJson } from '../../src/kernel/db/values.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { defineModule } from '../../src/kernel/modules.js';
import type { NotificationTemplateDefinition } from '../../src/kernel/notifications/templates.js';
import { catalogue } from '../../src/modules/catalogue.js';
import { createTestApp } from '../support/app.js';
import { createCitizen } from '../support/identity.js';

export const statusTemplate: NotificationTemplateDefinition = {
  code: 'test.status-changed',
  description: 'A demand changed status',
  channels: ['email', 'dashboard', 'sms'],
  placeholders: ['name', 'reference', 'status'],
  fr: {
    subject: 'Votre demande ((reference))',
    body: 'Bonjour ((name)),\n\nVotre demande ((reference)) est maintenant : ((status)).',
    sms: 'Demande ((reference)) : ((status))',
  },
  en: {
    subject: 'Your request ((reference))',
    body: 'Hello ((name)),\n\nYour request ((reference)) is now: ((status)).',
    sms: 'Request ((reference)): ((status))',
  },
};

/** A module that declares the test's templates, as a real one would in its manifest. */
export const notifyingModule = defineModule({ code: 'notif-test', notificationTemplates: [statusTemplate] });

export function createNotifyingApp(overrides: Partial<Config> = {}) {
  return createTestApp({ catalogue: [...catalogue, notifyingModule], overrides: { modules: ['pages', 'notif-test'], ...overrides } });
}

/** A resident with chosen channels, language and phone, straight in the database. */
export async function createResident(
  kernel: Kernel,
  input: { email: string; channels?: string[]; lang?: 'fr' | 'en'; phone?: string },
): Promise<string> {
  const id = await createCitizen(kernel, { email: input.email });
  const now = nowIso();
  await kernel.db
    .updateTable('accounts')
    .set({ preferred_lang: input.lang ?? 'fr', notify_channels: toJson(input.channels ?? ['email', 'dashboard']) })
    .where('id', '=', id)
    .execute();
  if (input.phone) {
    await kernel.db
      .insertInto('identity_attributes')
      .values({ account_id: id, name: 'phone', value: input.phone, source: 'self', level: 100, updated_at: now })
      .execute();
  }
  return id;
}

export const data = { name: 'Ada', reference: 'R-42', status: 'acceptée' };

export async function rowsOf(kernel: Kernel, accountId: string) {
  return kernel.db.selectFrom('notifications').selectAll().where('account_id', '=', accountId).orderBy('channel').execute();
}

export async function historyOf(kernel: Kernel, id: string): Promise<string[]> {
  const events = await kernel.db
    .selectFrom('notification_events')
    .select('status')
    .where('notification_id', '=', id)
    .orderBy('seq')
    .execute();
  return events.map((e) => e.status);
}
