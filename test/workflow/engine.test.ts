import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDemands } from '../../src/kernel/demands/queries.js';
import { HttpError } from '../../src/kernel/http/errors.js';
import { defineModule } from '../../src/kernel/modules.js';
import { parseWorkflow } from '../../src/kernel/workflow/definition.js';
import { findItem, itemHistory } from '../../src/kernel/workflow/items.js';
import { runMassAction } from '../../src/kernel/workflow/mass.js';
import { migrateItems } from '../../src/kernel/workflow/migrate-items.js';
import { buildWorkflowRegistry } from '../../src/kernel/workflow/registry.js';
import { runAction, WORKFLOW_TIMER_JOB, workflowTimerJob } from '../../src/kernel/workflow/transition.js';
import type { TestApp } from '../support/app.js';
import { applyForPermit, permitsTestApp, type TestCity } from './city.js';
import { permitWorkflowV1 } from './permits-module.js';

let t: TestApp;
let city: TestCity;

beforeAll(async () => {
  ({ t, city } = await permitsTestApp());
});
afterAll(() => t?.close());

const apply = (unitPath = city.paths.m11) => applyForPermit(t.kernel, city, { unitPath });

async function refusal(work: Promise<unknown>): Promise<HttpError> {
  const err = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpError);
  return err as HttpError;
}

const countRows = async (table: 'workflow_history' | 'demand_events' | 'events', column: string, value: string) =>
  Number(
    (
      await t.kernel.db
        .selectFrom(table as 'workflow_history')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(column as 'item_id', '=', value)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('definitions', () => {
  it('refuses a definition with unknown states or an agent action without permission, naming each problem', () => {
    const bad = {
      ...permitWorkflowV1,
      initial: 'nowhere',
      actions: { go: { label: { fr: 'a', en: 'a' }, from: ['submitted'], to: 'mars' } },
    };
    expect(() => parseWorkflow(bad)).toThrow(
      /initial: unknown state "nowhere"[\s\S]*actions\.go\.to: unknown state "mars"[\s\S]*an agent action needs a permission/,
    );
  });

  it('refuses at start a task type no module declares, and a workflow named after another module', () => {
    const wf = {
      ...permitWorkflowV1,
      actions: { ...permitWorkflowV1.actions, take: { ...permitWorkflowV1.actions.take!, tasks: [{ type: 'roads:dispatch' }] } },
    };
    expect(() => buildWorkflowRegistry([defineModule({ code: 'permits', workflows: [wf] })])).toThrow(/task type "roads:dispatch"/);
    expect(() => buildWorkflowRegistry([defineModule({ code: 'roads', workflows: [permitWorkflowV1] })])).toThrow(
      /must be named "roads:…"/,
    );
  });
});

describe('a transition', () => {
  it('starts an item in the latest version, runs its automatic action, and registers the demand', async () => {
    const item = await apply();
    expect(item.version).toBe(2);
    expect(item.state).toBe('submitted'); // received → submitted, automatically
    const history = await itemHistory(t.kernel.db, item.id);
    expect(history.map((h) => [h.action, h.to, h.actorKind])).toEqual([
      [null, 'received', 'citizen'],
      ['acknowledge', 'submitted', 'system'],
    ]);
    const { items } = await listDemands(t.kernel.db, city.citizen.id, { limit: 50 });
    const demand = items.find((d) => d.id === item.demandId)!;
    expect(demand.reference).toMatch(new RegExp(`^PRM-${new Date().getUTCFullYear()}-\\d{6}$`));
    expect(demand).toMatchObject({ status: 'ongoing', step: 1, steps: 3, stateLabel: { fr: 'Déposée', en: 'Submitted' } });
  });

  it('writes the state, history, demand, notification and outgoing event together', async () => {
    const item = await apply();
    await runAction(t.kernel, city.agent11.actor, item.id, 'take');
    const moved = await runAction(t.kernel, city.agent11.actor, item.id, 'ask-more', {
      fields: { reason: 'outdated', comment: 'Le justificatif date de 2019.' },
    });
    expect(moved.state).toBe('incomplete');
    const last = (await itemHistory(t.kernel.db, item.id)).at(-1)!;
    expect(last).toMatchObject({
      action: 'ask-more',
      from: 'review',
      to: 'incomplete',
      actorId: city.agent11.id,
      comment: 'Le justificatif date de 2019.',
      fields: { reason: 'outdated' },
    });
    const demand = await t.kernel.db.selectFrom('demands').selectAll().where('id', '=', item.demandId!).executeTakeFirstOrThrow();
    expect(demand.status).toBe('to-complete');
    expect(JSON.parse(demand.next_action!)).toEqual({ fr: 'compléter votre dossier', en: 'complete your file' });
    const notes = await t.kernel.db.selectFrom('notifications').selectAll().where('demand_id', '=', item.demandId!).execute();
    expect(notes.map((n) => n.channel).sort()).toEqual(['dashboard', 'email']);
    expect(notes[0]!.body).toContain('À compléter'); // the resident's language: the city's default here
    const events = await t.kernel.db.selectFrom('events').select(['name', 'payload']).where('name', '=', 'workflow.transition').execute();
    expect(events.some((e) => JSON.parse(e.payload).itemId === item.id && JSON.parse(e.payload).action === 'ask-more')).toBe(true);
  });

  it('runs a module’s own task type with its parameters, in the transition’s transaction', async () => {
    const item = await apply();
    await runAction(t.kernel, city.agent11.actor, item.id, 'take');
    await runAction(t.kernel, city.agent11.actor, item.id, 'accept', {});
    const stamped = await t.kernel.db.selectFrom('events').select('payload').where('name', '=', 'permits.stamped').execute();
    expect(stamped.map((e) => JSON.parse(e.payload))).toContainEqual({ itemId: item.id, office: 'voirie', state: 'accepted' });
  });

  it('refuses missing or invalid fields with each problem, and changes nothing', async () => {
    const item = await apply();
    await runAction(t.kernel, city.agent11.actor, item.id, 'take');
    const before = await countRows('workflow_history', 'item_id', item.id);
    const err = await refusal(
      runAction(t.kernel, city.agent11.actor, item.id, 'ask-more', { fields: { reason: 'because', comment: 'x'.repeat(5001) } }),
    );
    expect(err.statusCode).toBe(400);
    expect(err.fields.map((f) => [f.field, f.message])).toEqual([
      ['reason', 'workflow.errors.unknown-reason'],
      ['comment', 'workflow.errors.too-long'],
    ]);
    expect((await findItem(t.kernel.db, item.id))!.state).toBe('review');
    expect(await countRows('workflow_history', 'item_id', item.id)).toBe(before);
  });

  it('lets an agent act only within their unit, a resident only on their own item, and only from the listed states', async () => {
    const item = await apply(city.paths.m11);
    expect((await refusal(runAction(t.kernel, city.agent18.actor, item.id, 'take'))).code).toBe('workflow.forbidden');
    expect((await refusal(runAction(t.kernel, city.citizen.actor, item.id, 'take'))).code).toBe('workflow.forbidden');
    expect((await refusal(runAction(t.kernel, city.other.actor, item.id, 'cancel'))).code).toBe('workflow.forbidden');
    expect((await refusal(runAction(t.kernel, city.agent11.actor, item.id, 'accept'))).code).toBe('workflow.not-available');
    expect((await refusal(runAction(t.kernel, 'system', item.id, 'take'))).code).toBe('workflow.forbidden');
    expect((await runAction(t.kernel, city.citizen.actor, item.id, 'cancel')).state).toBe('cancelled');
  });
});

describe('two agents acting on one item at once', () => {
  it('lets exactly one win; the other gets a conflict and nothing of theirs is written', async () => {
    for (let round = 0; round < 5; round++) {
      const item = await apply();
      const taken = await runAction(t.kernel, city.agent11.actor, item.id, 'take');
      const results = await Promise.allSettled([
        runAction(t.kernel, city.agent11.actor, item.id, 'accept', { revision: taken.revision, fields: { comment: 'OK' } }),
        runAction(t.kernel, city.agent11.actor, item.id, 'refuse', { revision: taken.revision, fields: { reason: 'rules' } }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toBeInstanceOf(HttpError);
      expect((lost[0]!.reason as HttpError).code).toBe('workflow.conflict');
      const history = await itemHistory(t.kernel.db, item.id);
      expect(history.filter((h) => h.action === 'accept' || h.action === 'refuse')).toHaveLength(1);
      const final = (await findItem(t.kernel.db, item.id))!;
      expect(['accepted', 'refused']).toContain(final.state);
      const notes = await t.kernel.db.selectFrom('notifications').select('id').where('demand_id', '=', item.demandId!).execute();
      expect(notes).toHaveLength(2); // email + dashboard of the winner only
    }
  });

  it('refuses an action based on a stale view even when it arrives later', async () => {
    const item = await apply();
    await runAction(t.kernel, city.agent11.actor, item.id, 'take', { revision: item.revision });
    expect((await refusal(runAction(t.kernel, city.agent11.actor, item.id, 'take', { revision: item.revision }))).code).toBe(
      'workflow.conflict',
    );
  });
});

describe('timers', () => {
  it('queues the deadline timer when it is set and fires it once; a timer outdated by a later action does nothing', async () => {
    const item = await apply();
    const taken = await runAction(t.kernel, city.agent11.actor, item.id, 'take');
    expect(Date.parse(taken.deadlineAt!) - Date.now()).toBeGreaterThan(9.9 * 24 * 3600 * 1000);
    const timers = await t.kernel.db.selectFrom('jobs').select(['payload', 'run_at']).where('name', '=', WORKFLOW_TIMER_JOB).execute();
    const mine = timers.map((j) => ({ ...JSON.parse(j.payload), runAt: j.run_at })).filter((p) => p.itemId === item.id);
    expect(mine).toEqual([{ itemId: item.id, action: 'escalate', revision: taken.revision, runAt: taken.deadlineAt }]);
    await workflowTimerJob(mine[0]!, t.kernel);
    expect((await findItem(t.kernel.db, item.id))!.state).toBe('escalated');
    await workflowTimerJob(mine[0]!, t.kernel);
    expect((await itemHistory(t.kernel.db, item.id)).filter((h) => h.action === 'escalate')).toHaveLength(1);
  });

  it('anonymises and archives a closed item a year later: its resident and free text go, its codes stay', async () => {
    const item = await apply();
    await runAction(t.kernel, city.agent11.actor, item.id, 'take');
    const accepted = await runAction(t.kernel, city.agent11.actor, item.id, 'accept', { fields: { comment: 'Bravo Camille Martin' } });
    const timer = await t.kernel.db
      .selectFrom('jobs')
      .select(['payload', 'run_at'])
      .where('name', '=', WORKFLOW_TIMER_JOB)
      .where('unique_key', 'like', `workflow-timer:${item.id}:${accepted.revision}:%`)
      .executeTakeFirstOrThrow();
    expect(Date.parse(timer.run_at) - Date.parse(accepted.stateEnteredAt)).toBe(365 * 24 * 3600 * 1000);
    await workflowTimerJob(JSON.parse(timer.payload), t.kernel);
    const done = (await findItem(t.kernel.db, item.id))!;
    expect(done).toMatchObject({ accountId: null, state: 'cancelled' });
    expect(done.archivedAt).not.toBeNull();
    const history = await itemHistory(t.kernel.db, item.id);
    expect(history.every((h) => h.comment === null)).toBe(true);
    expect(history.map((h) => h.action)).toContain('accept');
    const demand = await t.kernel.db.selectFrom('demands').select('account_id').where('id', '=', item.demandId!).executeTakeFirstOrThrow();
    expect(demand.account_id).toBeNull();
    expect((await refusal(runAction(t.kernel, city.agent11.actor, item.id, 'accept'))).code).toBe('workflow.archived');
  });
});

describe('versions and mass actions', () => {
  it('keeps an item on the version it started with', async () => {
    const item = await apply();
    await t.kernel.db.updateTable('workflow_items').set({ version: 1 }).where('id', '=', item.id).execute();
    await t.kernel.db.updateTable('workflow_items').set({ state: 'submitted' }).where('id', '=', item.id).execute();
    expect((await refusal(runAction(t.kernel, 'system', item.id, 'acknowledge'))).code).toBe('workflow.unknown-action');
    expect((await runAction(t.kernel, city.agent11.actor, item.id, 'take')).version).toBe(1);
  });

  it('migrates items to a new version only when asked, mapping their states, with a history entry', async () => {
    const item = await apply();
    await t.kernel.db.updateTable('workflow_items').set({ version: 1 }).where('id', '=', item.id).execute();
    await expect(
      migrateItems(t.kernel, { workflow: 'permits:application', from: 1, to: 2, states: { submitted: 'nowhere' } }),
    ).rejects.toThrow(/no state "nowhere"/);
    expect((await findItem(t.kernel.db, item.id))!.version).toBe(1); // nothing half-done
    const moved = await migrateItems(t.kernel, { workflow: 'permits:application', from: 1, to: 2, states: { submitted: 'received' } });
    expect(moved).toBeGreaterThanOrEqual(1);
    expect(await findItem(t.kernel.db, item.id)).toMatchObject({ version: 2, state: 'received' });
    expect((await itemHistory(t.kernel.db, item.id)).at(-1)).toMatchObject({ action: 'migrate:v1-v2', from: 'submitted', to: 'received' });
  });

  it('runs a bulk action item by item and says why each refused one was refused', async () => {
    const a = await apply();
    const b = await apply();
    const other = await apply(city.paths.m18);
    const done = await apply();
    await runAction(t.kernel, city.agent11.actor, done.id, 'take');
    const results = await runMassAction(t.kernel, city.agent11.actor, [a.id, b.id, other.id, done.id], 'take');
    expect(results).toEqual([
      { itemId: a.id, ok: true },
      { itemId: b.id, ok: true },
      { itemId: other.id, ok: false, code: 'workflow.forbidden' },
      { itemId: done.id, ok: false, code: 'workflow.not-available' },
    ]);
    expect((await runMassAction(t.kernel, city.agent11.actor, [a.id], 'accept'))[0]).toMatchObject({
      ok: false,
      code: 'workflow.not-mass',
    });
  });
});
