import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../src/kernel/db/transaction.js';
import { fromJson, newId, nowIso } from '../../../src/kernel/db/values.js';
import type { AgentActor } from '../../../src/kernel/identity/agents/acting.js';
import { actorByEmail } from '../../../src/kernel/identity/seeding-actor.js';
import { computeResults, storedOutcome } from '../../../src/modules/participatory-budget/results/compute.js';
import { overrideResult, publishResults } from '../../../src/modules/participatory-budget/results/publish.js';
import type { TestApp } from '../../support/app.js';
import { refusal, SYSTEM, startWithParticipatoryBudget } from './campaigns-support.js';
import { AFTER_VOTE, seedClosedVote } from './results-support.js';

let t: TestApp;
let admin: AgentActor;
const CODE = 'resultats-2027';
let envelopeIds: Record<string, string>;
let projectIds: Record<string, string>;

const compute = (now = AFTER_VOTE) =>
  inTransaction(t.kernel.db, (trx) => computeResults(trx, t.kernel, { actor: admin, ip: '192.0.2.9' }, CODE, now));
const resultOf = async (envelope: string) => {
  const row = await t.kernel.db
    .selectFrom('pb_results')
    .selectAll()
    .where('envelope_id', '=', envelopeIds[envelope]!)
    .executeTakeFirstOrThrow();
  return { ...row, outcome: storedOutcome(row.outcome), selected: fromJson<string[]>(row.selected, []) };
};

beforeAll(async () => {
  t = await startWithParticipatoryBudget({ demo: true });
  admin = (await actorByEmail(t.kernel.db, 'admin@ville.example')) as AgentActor;
  ({ envelopeIds, projectIds } = await seedClosedVote(t.kernel, CODE, admin.account.id));
});
afterAll(async () => t.close());

describe('computing results', () => {
  it('waits for the vote to close', async () => {
    await refusal(compute(new Date('2027-09-10T10:00:00Z')), 'participatory-budget.vote-not-closed');
    expect(await t.kernel.db.selectFrom('pb_results').selectAll().where('envelope_id', 'in', Object.values(envelopeIds)).execute()).toEqual(
      [],
    );
  });

  it('counts every envelope by its frozen rule: confirmed ballots and paper counts, never drafts', async () => {
    await compute();
    const eleventh = await resultOf('75111');
    // B: 2 online + 2 on paper = 4 > A's 3; B (2.5M) then A (3M) would overspend 5M: A skipped, C (1.5M) fits.
    expect(eleventh.outcome.projects.map((p) => [p.code, p.votes, p.fundedByRule])).toEqual([
      ['b', 4, true],
      ['a', 3, false],
      ['c', 2, true],
    ]);
    expect(eleventh.selected).toEqual(['b', 'c']);
    expect([eleventh.rule, eleventh.ballots_online, eleventh.ballots_paper, eleventh.published_at]).toEqual(['greedy', 3, 1, null]);

    const eighteenth = await resultOf('75118');
    // €4.5M over 4 voters (1.125M each): M1's 3 supporters hold 3.375M ≥ 3M; then M2's two hold too little.
    expect(eighteenth.rule).toBe('equalshares');
    expect(eighteenth.selected).toEqual(['m1']);

    const city = await resultOf('city');
    expect(city.rule).toBe('majority-judgement');
    expect(city.outcome.projects.map((p) => [p.code, p.majorityGrade])).toEqual([
      ['v1', 'good'],
      ['v2', 'bad'],
    ]);
    expect(city.selected).toEqual(['v1']);
  });

  it('refuses Equal Shares over per-project paper counts, and changes nothing', async () => {
    const paper = {
      id: newId(),
      envelope_id: envelopeIds['75118']!,
      project_id: projectIds.m2!,
      ballot_box: 'mairie-18',
      grade: '',
      count: 5,
      imported_by: admin.account.id,
      imported_at: nowIso(),
    };
    await t.kernel.db.insertInto('pb_paper_counts').values(paper).execute();
    const before = await resultOf('75111');
    await refusal(compute(), 'participatory-budget.paper-counts-need-ballots');
    expect((await resultOf('75111')).computed_at).toBe(before.computed_at);
    await t.kernel.db.deleteFrom('pb_paper_counts').where('id', '=', paper.id).execute();
  });
});

describe('correcting and publishing', () => {
  const override = (input: { projectCode: string; decision: 'fund' | 'exclude'; reason: string }, envelopeCode = '75111') =>
    inTransaction(t.kernel.db, (trx) => overrideResult(trx, t.kernel, { actor: admin, ip: null }, CODE, { envelopeCode, ...input }));

  it('needs a reason, a project of the envelope and an actual change; a town hall agent may not', async () => {
    await refusal(override({ projectCode: 'a', decision: 'fund', reason: 'short' }), 'participatory-budget.invalid-override');
    await refusal(
      override({ projectCode: 'b', decision: 'fund', reason: 'Already funded by the rule.' }),
      'participatory-budget.invalid-override',
    );
    await refusal(
      override({ projectCode: 'v1', decision: 'exclude', reason: 'Another envelope’s project.' }),
      'participatory-budget.project-unknown',
    );
    const townHall = (await actorByEmail(t.kernel.db, 'agent.11@ville.example')) as AgentActor;
    await refusal(
      inTransaction(t.kernel.db, (trx) =>
        overrideResult(trx, t.kernel, { actor: townHall, ip: null }, CODE, {
          envelopeCode: '75111',
          projectCode: 'c',
          decision: 'exclude',
          reason: 'The site is not available.',
        }),
      ),
      'participatory-budget.forbidden',
    );
    expect(await t.kernel.db.selectFrom('pb_result_overrides').selectAll().execute()).toEqual([]);
    expect((await resultOf('75111')).selected).toEqual(['b', 'c']);
  });

  it('records an override with its reason, keeps it through a recomputation, and audits it', async () => {
    expect(await override({ projectCode: 'c', decision: 'exclude', reason: 'The site turned out to be private land.' })).toEqual(['b']);
    await compute();
    expect((await resultOf('75111')).selected).toEqual(['b']);
    const audit = await t.kernel.db
      .selectFrom('audit_log')
      .select(['action', 'resource_id'])
      .where('action', 'like', 'participatory-budget.results.%')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['participatory-budget.results.override', 'participatory-budget.results.compute']),
    );
  });

  it('publishes every envelope at once, tracks the funded projects, and is then final', async () => {
    expect(await inTransaction(t.kernel.db, (trx) => publishResults(trx, t.kernel, SYSTEM, CODE))).toBe(3);
    const tracked = await t.kernel.db
      .selectFrom('pb_tracked_projects')
      .select('project_id')
      .where('project_id', 'in', Object.values(projectIds))
      .execute();
    expect(tracked.map((r) => r.project_id).sort()).toEqual([projectIds.b, projectIds.m1, projectIds.v1].sort());
    await refusal(compute(), 'participatory-budget.results-published');
    await refusal(
      override({ projectCode: 'a', decision: 'fund', reason: 'Too late to change anything.' }),
      'participatory-budget.results-published',
    );
    await refusal(
      inTransaction(t.kernel.db, (trx) => publishResults(trx, t.kernel, SYSTEM, CODE)),
      'participatory-budget.results-published',
    );
  });
});
