import type { Executor } from '../db/transaction.js';
import { newId, nowIso, toJson } from '../db/values.js';
import type { Kernel } from '../kernel.js';
import { hashPassword } from './password.js';
import { createUnit } from './units.js';

/** The demo logins, printed at start so a newcomer can explore both sides. */
export const DEMO_PASSWORD = 'demo-civitas-2026';
export const DEMO_LOGINS = [
  { who: 'resident', email: 'camille.martin@example.org', where: '/login' },
  { who: 'administrator', email: 'admin@ville.example', where: '/admin/login' },
  { who: 'agent, 11th arrondissement', email: 'agent.11@ville.example', where: '/admin/login' },
  { who: 'agent, 18th arrondissement', email: 'agent.18@ville.example', where: '/admin/login' },
] as const;

async function account(
  db: Executor,
  kind: 'citizen' | 'agent',
  email: string,
  name: string,
  hash: string,
  isAdmin = false,
): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('accounts')
    .values({
      id,
      kind,
      email,
      password_hash: hash,
      display_name: name,
      is_admin: isAdmin ? 1 : 0,
      email_verified_at: now,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/**
 * The demo city's organisation: the city at the root with one town hall per district, roles built
 * from the enabled modules' permissions, an administrator, an agent in each of two arrondissements,
 * and a resident with a verified e-mail.
 */
export async function seedIdentityDemo(kernel: Kernel): Promise<void> {
  const { db, config } = kernel;
  const city = config.city.code;
  await createUnit(db, { code: city, parentCode: null, name: config.city.name });
  for (const d of kernel.districts.all) {
    await createUnit(db, {
      code: `mairie-${d.code}`,
      parentCode: city,
      name: { fr: `Mairie – ${d.name}`, en: `Town hall – ${d.name}` },
      districtCode: d.code,
    });
  }
  const now = nowIso();
  const everyPermission = kernel.permissions.map((p) => p.code);
  const servicePermissions = everyPermission.filter((p) => !p.startsWith('admin.'));
  await db
    .insertInto('roles')
    .values([
      {
        code: 'administrateur',
        name_fr: 'Administrateur',
        name_en: 'Administrator',
        permissions: toJson(everyPermission),
        created_at: now,
        updated_at: now,
      },
      {
        code: 'agent-de-mairie',
        name_fr: 'Agent de mairie',
        name_en: 'Town hall agent',
        permissions: toJson(servicePermissions),
        created_at: now,
        updated_at: now,
      },
    ])
    .execute();

  const hash = await hashPassword(DEMO_PASSWORD);
  await account(db, 'agent', 'admin@ville.example', 'Alex Admin', hash, true);
  const [first, second] = [kernel.districts.all[10], kernel.districts.all[17]];
  for (const [district, email, name] of [
    [first, 'agent.11@ville.example', 'Nadia Benali'],
    [second, 'agent.18@ville.example', 'Paul Lefèvre'],
  ] as const) {
    if (!district) continue;
    const id = await account(db, 'agent', email, name, hash);
    await db
      .insertInto('grants')
      .values({
        id: newId(),
        account_id: id,
        role_code: 'agent-de-mairie',
        unit_code: `mairie-${district.code}`,
        granted_by: null,
        created_at: now,
      })
      .execute();
  }
  const resident = await account(db, 'citizen', 'camille.martin@example.org', 'Camille Martin', hash);
  await db
    .insertInto('identity_attributes')
    .values([
      { account_id: resident, name: 'email', value: 'camille.martin@example.org', source: 'email', level: 200, updated_at: now },
      { account_id: resident, name: 'given_name', value: 'Camille', source: 'self', level: 100, updated_at: now },
      { account_id: resident, name: 'family_name', value: 'Martin', source: 'self', level: 100, updated_at: now },
    ])
    .execute();
}
