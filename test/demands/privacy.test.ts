import { afterAll, beforeAll, expect, it } from 'vitest';
import { inTransaction } from '../../src/kernel/db/transaction.js';
import { postMessage } from '../../src/kernel/demands/demands.js';
import { deleteAccount, exportPersonalData } from '../../src/kernel/identity/privacy/personal-data.js';
import { runAction } from '../../src/kernel/workflow/transition.js';
import type { TestApp } from '../support/app.js';
import { applyForPermit, permitsTestApp, type TestCity } from '../workflow/city.js';

let t: TestApp;
let city: TestCity;

beforeAll(async () => {
  ({ t, city } = await permitsTestApp());
});
afterAll(() => t?.close());

it('exports a resident’s demands, messages and notifications, and keeps the files without the person after deletion', async () => {
  const item = await applyForPermit(t.kernel, city, { title: 'Terrasse au 12 rue de la Roquette' });
  await inTransaction(t.kernel.db, (trx) =>
    postMessage(trx, t.kernel, {
      demandId: item.demandId!,
      authorId: city.citizen.id,
      authorKind: 'citizen',
      body: 'Mon téléphone : 06 12 34 56 78',
    }),
  );
  await runAction(t.kernel, city.agent11.actor, item.id, 'take');
  await runAction(t.kernel, city.agent11.actor, item.id, 'ask-more', { fields: { reason: 'incomplete' } });

  const data = await exportPersonalData(t.kernel, city.citizen.id);
  const demands = data.demands as { reference: string; messages: { body: string }[] }[];
  expect(demands).toHaveLength(1);
  expect(demands[0]!.messages[0]!.body).toContain('06 12 34 56 78');
  expect((data.notifications as unknown[]).length).toBe(2);

  const actor = city.citizen.actor as Extract<typeof city.citizen.actor, { kind: 'citizen' }>;
  await deleteAccount(t.kernel, actor);
  const demand = await t.kernel.db.selectFrom('demands').selectAll().where('id', '=', item.demandId!).executeTakeFirstOrThrow();
  expect(demand.account_id).toBeNull();
  expect(demand.reference).toBe(demands[0]!.reference); // the city keeps its record
  const messages = await t.kernel.db.selectFrom('demand_messages').selectAll().where('demand_id', '=', item.demandId!).execute();
  expect(messages.map((m) => [m.body, m.author_id])).toEqual([['', null]]);
  expect(
    (await t.kernel.db.selectFrom('workflow_items').select('account_id').where('id', '=', item.id).executeTakeFirstOrThrow()).account_id,
  ).toBeNull();
  expect(await t.kernel.db.selectFrom('notifications').select('id').where('account_id', '=', city.citizen.id).execute()).toEqual([]);
});
