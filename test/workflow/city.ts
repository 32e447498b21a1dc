import { inTransaction } from '../../src/kernel/db/transaction.js';
import { newId, nowIso, toJson } from '../../src/kernel/db/values.js';
import type { Actor } from '../../src/kernel/identity/authorization.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { startItem } from '../../src/kernel/workflow/transition.js';
import { catalogue } from '../../src/modules/catalogue.js';
import { agentActor } from '../identity/agents-fixtures.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCitizen } from '../support/identity.js';
import { permitsModule } from './permits-module.js';

export interface TestCity {
  citizen: { id: string; actor: Actor };
  other: { id: string; actor: Actor };
  agent11: { id: string; actor: Actor };
  agent18: { id: string; actor: Actor };
  paths: { paris: string; m11: string; m18: string };
}

async function agent(kernel: Kernel, email: string, unit: string): Promise<{ id: string; actor: Actor }> {
  const id = newId();
  const now = nowIso();
  await kernel.db
    .insertInto('accounts')
    .values({ id, kind: 'agent', email, password_hash: null, display_name: email, created_at: now, updated_at: now })
    .execute();
  await kernel.db
    .insertInto('grants')
    .values({ id: newId(), account_id: id, role_code: 'instructor', unit_code: unit, granted_by: null, created_at: now })
    .execute();
  return { id, actor: await agentActor(kernel, id) };
}

async function citizenActor(kernel: Kernel, email: string, name: string): Promise<{ id: string; actor: Actor }> {
  const id = await createCitizen(kernel, { email, name });
  const account = await kernel.db
    .selectFrom('accounts')
    .select(['id', 'kind', 'email', 'display_name', 'preferred_lang', 'totp_enabled_at', 'is_admin', 'status'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const session = { id: `s-${id}`, accountId: id, lastSeenAt: '', expiresAt: '', mfaPassed: true, method: 'password', acr: null };
  return { id, actor: { kind: 'citizen', account, session } as Actor };
}

/** Paris with two town halls, an instructor in each, and two residents. */
export async function createTestCity(kernel: Kernel): Promise<TestCity> {
  const now = nowIso();
  const units = [
    { code: 'paris', parent_code: null, path: '/paris/' },
    { code: 'mairie-11', parent_code: 'paris', path: '/paris/mairie-11/' },
    { code: 'mairie-18', parent_code: 'paris', path: '/paris/mairie-18/' },
  ];
  for (const u of units) {
    await kernel.db
      .insertInto('units')
      .values({ ...u, name_fr: u.code, name_en: u.code, district_code: null, created_at: now })
      .execute();
  }
  await kernel.db
    .insertInto('roles')
    .values({
      code: 'instructor',
      name_fr: 'Instructeur',
      name_en: 'Instructor',
      permissions: toJson(['permits.review', 'permits.decide']),
      created_at: now,
      updated_at: now,
    })
    .execute();
  return {
    citizen: await citizenActor(kernel, 'camille@example.org', 'Camille Martin'),
    other: await citizenActor(kernel, 'dominique@example.org', 'Dominique Petit'),
    agent11: await agent(kernel, 'agent11@paris.test', 'mairie-11'),
    agent18: await agent(kernel, 'agent18@paris.test', 'mairie-18'),
    paths: { paris: '/paris/', m11: '/paris/mairie-11/', m18: '/paris/mairie-18/' },
  };
}

let applications = 0;

/** A resident's permit application, started as the module would: item, demand, automatic actions. */
export async function applyForPermit(
  kernel: Kernel,
  city: TestCity,
  input: { title?: string; unitPath?: string; accountId?: string } = {},
) {
  applications += 1;
  const n = `${process.pid}-${applications}`;
  return inTransaction(kernel.db, (trx) =>
    startItem(trx, kernel, {
      workflow: 'permits:application',
      subject: `permits:application:${n}`,
      unitPath: input.unitPath ?? city.paths.m11,
      accountId: input.accountId ?? city.citizen.id,
      demand: { type: 'permits:application', title: input.title ?? `Terrasse n°${n}`, link: `/permits/${n}` },
    }),
  );
}

/** The platform with the permits test module enabled, and its test city. */
export async function permitsTestApp(): Promise<{ t: TestApp; city: TestCity }> {
  const t = await createTestApp({ catalogue: [...catalogue, permitsModule], overrides: { modules: ['pages', 'permits'] } as never });
  return { t, city: await createTestCity(t.kernel) };
}
