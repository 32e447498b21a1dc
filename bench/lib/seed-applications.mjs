// Applications of the `procedures` module waiting in state `submitted`, for the workflow
// scenario to move one by one. Written in bulk, row for row what submitApplication + startItem
// write (src/modules/procedures/submit.ts, src/kernel/workflow/transition.ts): the application,
// its workflow item and history entry, its demand and the demand's "created" event. Left out: the
// receipt notification and the `workflow.started` event of the past submissions, which the
// transitions measured do not read.
import { performance } from 'node:perf_hooks';
import { applicationWorkflow } from '../../dist/modules/procedures/workflow.js';
import { openDatabase } from './db.mjs';
import { DEMAND_COLUMNS, districtUnitPaths, referenceCounters, saveReferenceCounters } from './seed-demands.mjs';

const WORKFLOW = applicationWorkflow.code;
const DEMAND_TYPE = 'procedures:application';
const REFERENCE_PREFIX = 'DEM';
const DAY_MS = 86_400_000;

const hex = (n, width) => Math.floor(n).toString(16).padStart(width, '0');
const randomHex = (bytes) => hex(Math.random() * 2 ** (bytes * 8), bytes * 2);
/** Like newId(): 12 hex digits of milliseconds, then 16 random ones. */
const idAt = (ms) => hex(ms, 12) + randomHex(4) + randomHex(4);

/**
 * `count` applications of the resident `accountId`, submitted over the last two weeks to their
 * district's town hall; returns their workflow item ids, oldest first.
 */
export async function seedSubmittedApplications(ctx, { accountId, count }) {
  const since = performance.now();
  const db = await openDatabase(ctx);
  try {
    const initial = applicationWorkflow.states[applicationWorkflow.initial];
    const steps = Math.max(0, ...Object.values(applicationWorkflow.states).map((s) => s.step ?? 0)) || null;
    const label = JSON.stringify(initial.label);
    // An application as the demo made it: same procedure, same answers.
    const [model] = await db.all('select procedure, data, form_version from procedures_applications where account_id = ? limit 1', [
      accountId,
    ]);
    const [title] = await db.all('select title from demands where type = ? and account_id = ? limit 1', [DEMAND_TYPE, accountId]);
    if (!model || !title) throw new Error('bench: the demo resident has no application to copy: was the demo city seeded?');
    const unitPaths = await districtUnitPaths(db);
    const counters = await referenceCounters(db);
    const now = Date.now();

    const applications = [];
    const demands = [];
    const events = [];
    const items = [];
    const history = [];
    for (let n = 0; n < count; n++) {
      const ms = now - 14 * DAY_MS + Math.floor((n / count) * 14 * DAY_MS);
      const at = new Date(ms).toISOString();
      const [applicationId, demandId, itemId] = [idAt(ms), idAt(ms), idAt(ms)];
      const subject = `${WORKFLOW}:${applicationId}`;
      const unitPath = unitPaths[Math.floor(Math.random() * unitPaths.length)];
      const key = `${REFERENCE_PREFIX}-${new Date(ms).getUTCFullYear()}`;
      counters.set(key, (counters.get(key) ?? 0) + 1);
      const reference = `${key}-${String(counters.get(key)).padStart(6, '0')}`;
      applications.push([applicationId, model.procedure, accountId, itemId, demandId, model.data, Number(model.form_version), at]);
      demands.push([
        demandId,
        DEMAND_TYPE,
        'procedures',
        reference,
        accountId,
        title.title,
        initial.status,
        label,
        initial.step ?? null,
        steps,
        null,
        unitPath,
        `/procedures/applications/${applicationId}`,
        subject,
        0,
        0,
        at,
        at,
        null,
      ]);
      events.push([idAt(ms), demandId, 'created', JSON.stringify({ status: initial.status, label: initial.label }), 1, at]);
      items.push([
        itemId,
        WORKFLOW,
        applicationWorkflow.version,
        subject,
        applicationWorkflow.initial,
        unitPath,
        accountId,
        demandId,
        1,
        at,
        at,
        at,
      ]);
      history.push([idAt(ms), itemId, applicationWorkflow.initial, accountId, 'citizen', '{}', at]);
    }
    await db.insertRows(
      'procedures_applications',
      [
        ['id', 'text'],
        ['procedure', 'text'],
        ['account_id', 'text'],
        ['item_id', 'text'],
        ['demand_id', 'text'],
        ['data', 'text'],
        ['form_version', 'int'],
        ['created_at', 'text'],
      ],
      applications,
    );
    await db.insertRows('demands', DEMAND_COLUMNS, demands);
    await db.insertRows(
      'demand_events',
      [
        ['id', 'text'],
        ['demand_id', 'text'],
        ['kind', 'text'],
        ['data', 'text'],
        ['public', 'int'],
        ['at', 'text'],
      ],
      events,
    );
    await db.insertRows(
      'workflow_items',
      [
        ['id', 'text'],
        ['workflow', 'text'],
        ['version', 'int'],
        ['subject', 'text'],
        ['state', 'text'],
        ['unit_path', 'text'],
        ['account_id', 'text'],
        ['demand_id', 'text'],
        ['revision', 'int'],
        ['state_entered_at', 'text'],
        ['created_at', 'text'],
        ['updated_at', 'text'],
      ],
      items,
    );
    await db.insertRows(
      'workflow_history',
      [
        ['id', 'text'],
        ['item_id', 'text'],
        ['to_state', 'text'],
        ['actor_id', 'text'],
        ['actor_kind', 'text'],
        ['fields', 'text'],
        ['at', 'text'],
      ],
      history,
    );
    await saveReferenceCounters(db, counters);
    await db.settle(['procedures_applications', 'demands', 'demand_events', 'workflow_items', 'workflow_history']);
    const seconds = (performance.now() - since) / 1000;
    return { itemIds: items.map((row) => row[0]), seconds };
  } finally {
    await db.close();
  }
}

/**
 * What the transitions `start-review` have written so far, read in one snapshot: items under
 * review, their history entries and demand updates, their notifications by channel and status.
 */
export async function reviewCounts(ctx) {
  const db = await openDatabase(ctx);
  try {
    return await db.snapshot(async () => {
      const one = async (sql, params) => Number((await db.all(sql, params))[0].n);
      const notifications = {};
      for (const r of await db.all(
        'select channel, status, count(*) as n from notifications where template_code = ? group by channel, status order by channel, status',
        ['procedures.review'],
      )) {
        notifications[`${r.channel}/${r.status}`] = Number(r.n);
      }
      return {
        review: await one('select count(*) as n from workflow_items where workflow = ? and state = ?', [WORKFLOW, 'review']),
        history: await one('select count(*) as n from workflow_history where action = ?', ['start-review']),
        demandsUnderReview: await one('select count(*) as n from demand_events where kind = ? and data like ?', [
          'status',
          '%"Under review"%',
        ]),
        notifications,
      };
    });
  } finally {
    await db.close();
  }
}
