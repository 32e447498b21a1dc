import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineModule } from '../../src/kernel/modules.js';
import { catalogue } from '../../src/modules/catalogue.js';
import { createTestApp, type TestApp } from '../support/app.js';

/** A small but complete module, exercising every part of the contract. */
const greetings = defineModule<{ greeting: string }>({
  code: 'greetings',
  dependsOn: ['pages'],
  settings: z.object({ greeting: z.string().min(1).default('Bonjour') }).strict(),
  migrations: {
    '0001_greetings': {
      up: (db) =>
        db.schema
          .createTable('greetings')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .execute(),
    },
  },
  messages: {
    fr: { 'greetings.nav': 'Salutations', 'greetings.card': 'Dire bonjour' },
    en: { 'greetings.nav': 'Greetings', 'greetings.card': 'Say hello' },
  },
  navigation: { public: [{ href: '/greetings', label: 'greetings.nav', description: 'greetings.card', order: 1 }] },
  routes(app, _kernel, settings) {
    app.get('/greetings', { config: { public: true } }, async () => ({ greeting: settings.greeting }));
  },
  jobs: { wave: async () => undefined },
  schedules: [{ name: 'daily-wave', cron: '0 9 * * *', job: 'wave' }],
  demo: async (kernel) => {
    await (kernel.db as any).insertInto('greetings').values({ id: 'demo' }).execute();
  },
});

const all = [...catalogue, greetings];
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('the module contract', () => {
  it('an enabled module contributes its tables, routes, menu entry, home card, messages, jobs, settings and demo', async () => {
    t = await createTestApp({
      catalogue: all,
      demo: true,
      overrides: { modules: ['pages', 'greetings'], moduleSettings: { greetings: { greeting: 'Salut' } } },
    });
    expect((await t.app.inject('/greetings')).json()).toEqual({ greeting: 'Salut' });
    const home = (await t.app.inject('/')).body;
    expect(home).toContain('<a href="/greetings">Salutations</a>');
    expect(home).toContain('Dire bonjour');
    expect(await (t.kernel.db as any).selectFrom('greetings').selectAll().execute()).toEqual([{ id: 'demo' }]);
    expect(await t.kernel.jobs.enqueue(t.kernel.db, 'greetings:wave', {})).toBeTruthy();
    await t.kernel.jobs.syncSchedules();
    const schedules = await t.kernel.db.selectFrom('schedules').select('name').execute();
    expect(schedules.map((s) => s.name)).toContain('greetings:daily-wave');
  });

  it('a disabled module contributes nothing: no table, route, menu entry or job', async () => {
    const app = await createTestApp({ catalogue: all, overrides: { modules: ['pages'] } });
    t = app;
    expect((await t.app.inject('/greetings')).statusCode).toBe(404);
    expect((await t.app.inject('/')).body).not.toContain('Salutations');
    const tables = (await t.kernel.db.introspection.getTables()).filter((x) => x.schema === app.testDb.schema).map((x) => x.name);
    expect(tables).not.toContain('greetings');
    await expect(t.kernel.jobs.enqueue(t.kernel.db, 'greetings:wave', {})).rejects.toThrow(/greetings:wave/);
  });

  it('refuses to start when settings are invalid, naming the module and the field', async () => {
    await expect(
      createTestApp({ catalogue: all, overrides: { modules: ['pages', 'greetings'], moduleSettings: { greetings: { greeting: '' } } } }),
    ).rejects.toThrow(/Invalid settings for module "greetings":\n {2}- moduleSettings\.greetings\.greeting/);
  });

  it('refuses to start when a dependency is not enabled', async () => {
    await expect(createTestApp({ catalogue: all, overrides: { modules: ['greetings'] } })).rejects.toThrow(
      'Module "greetings" depends on "pages", which is not enabled',
    );
  });
});
