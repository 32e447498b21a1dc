import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../src/kernel/db/transaction.js';
import { putOnBallot } from '../../../src/modules/participatory-budget/projects/ballot.js';
import { importEvaluations } from '../../../src/modules/participatory-budget/projects/evaluations-csv.js';
import {
  addProposalsToProject,
  createProjectFromProposals,
  type NewProject,
} from '../../../src/modules/participatory-budget/projects/merge.js';
import { findProject, listProjects } from '../../../src/modules/participatory-budget/projects/store.js';
import { type Evaluation, recordEvaluation } from '../../../src/modules/participatory-budget/projects/study.js';
import { moderateProposal } from '../../../src/modules/participatory-budget/proposals/moderate.js';
import { findProposal } from '../../../src/modules/participatory-budget/proposals/store.js';
import type { TestApp } from '../../support/app.js';
import { refusal, startWithParticipatoryBudget } from './campaigns-support.js';
import { CAMPAIGN, dashboardOf, IN_11, proposalsFixture, propose, STUDY_TIME, VOTE_TIME } from './proposals-support.js';

let t: TestApp;
let f: Awaited<ReturnType<typeof proposalsFixture>>;
let campaignId: string;
beforeAll(async () => {
  t = await startWithParticipatoryBudget({ demo: true });
  f = await proposalsFixture(t.kernel);
  campaignId = (await t.kernel.db.selectFrom('pb_campaigns').select('id').where('code', '=', CAMPAIGN).executeTakeFirstOrThrow()).id;
});
afterAll(async () => t.close());

/** A proposal published by the 11th's agent. */
async function published(input: Parameters<typeof propose>[2] = {}): Promise<string> {
  const { id } = await propose(t.kernel, f.author, input);
  await inTransaction(t.kernel.db, (trx) => moderateProposal(trx, t.kernel, f.agent11, id, { decision: 'publish' }));
  return id;
}
const merge = (input: Partial<NewProject> & { proposalIds: string[] }, acting = f.agent11, now = STUDY_TIME) =>
  inTransaction(t.kernel.db, (trx) =>
    createProjectFromProposals(
      trx,
      t.kernel,
      acting,
      CAMPAIGN,
      {
        envelope: '75111',
        title: { fr: 'Jardins partagés du 11e', en: 'Shared gardens of the 11th' },
        description: { fr: 'Deux jardins.' },
        ...input,
      },
      { now },
    ),
  );
const evaluate = (code: string, evaluation: Evaluation, acting = f.agent11, now = STUDY_TIME) =>
  inTransaction(t.kernel.db, (trx) => recordEvaluation(trx, t.kernel, acting, CAMPAIGN, code, evaluation, { now }));
const project = async (code: string) => (await findProject(t.kernel.db, campaignId, code))!;

describe('merging proposals into a ballot project', () => {
  it('makes a project under study from published proposals, links both ways and tells the authors', async () => {
    const a = await published({ cost: 40_000 });
    const b = await published({ cost: 25_000, point: null });
    const { code } = await merge({ proposalIds: [a, b] });
    expect(code).toBe('75111-001');
    const made = await project(code);
    expect(made).toMatchObject({
      status: 'study',
      cost: 65_000,
      theme_code: 'environnement',
      title_en: 'Shared gardens of the 11th',
      description_en: 'Deux jardins.',
      ...IN_11,
    });
    for (const id of [a, b]) expect(await findProposal(t.kernel.db, id)).toMatchObject({ status: 'merged', project_id: made.id });
    const { notifications } = await dashboardOf(t.kernel, f.author);
    expect(notifications.at(-1)!.subject).toMatch(/Regroupée dans le projet 75111-001, à l’étude$/);
    const entry = await t.kernel.db.selectFrom('audit_log').selectAll().where('resource_id', '=', made.id).executeTakeFirstOrThrow();
    expect(entry.action).toBe('participatory-budget.project.create');

    const c = await published();
    await inTransaction(t.kernel.db, (trx) => addProposalsToProject(trx, t.kernel, f.agent11, CAMPAIGN, code, [c], { now: STUDY_TIME }));
    expect((await findProposal(t.kernel.db, c))!.project_id).toBe(made.id);
  });

  it('refuses proposals not published or already merged, another district’s agent, a taken code — changing nothing', async () => {
    const submitted = (await propose(t.kernel, f.author)).id;
    const ok = await published();
    const error = await refusal(merge({ proposalIds: [submitted, ok] }), 'participatory-budget.proposals-not-mergeable');
    expect(error.fields).toEqual([{ field: `proposals.${submitted}`, message: 'participatory-budget.merge.errors.not-published' }]);
    await refusal(merge({ proposalIds: [ok] }, f.agent18), 'participatory-budget.not-allowed');
    await refusal(merge({ proposalIds: [ok], code: '75111-001' }), 'participatory-budget.invalid-project');
    expect(await findProposal(t.kernel.db, ok)).toMatchObject({ status: 'published', project_id: null });
    const { code } = await merge({ proposalIds: [ok], code: 'jardin-roquette' });
    expect(code).toBe('jardin-roquette');
    await refusal(merge({ proposalIds: [ok] }), 'participatory-budget.proposals-not-mergeable');
  });
});

describe('the study', () => {
  let code: string;
  beforeAll(async () => {
    code = (await merge({ proposalIds: [await published()] })).code;
  });

  it('refuses "not feasible" without an explanation and "feasible" without cost or period', async () => {
    const missing = await refusal(evaluate(code, { feasible: false, explanation: ' ' }), 'participatory-budget.invalid-evaluation');
    expect(missing.fields).toEqual([{ field: 'explanation', message: 'participatory-budget.study.errors.explanation-required' }]);
    const feasible = await refusal(evaluate(code, { feasible: true }), 'participatory-budget.invalid-evaluation');
    expect(feasible.fields.map((p) => p.field)).toEqual(['cost', 'months']);
    await refusal(evaluate(code, { feasible: true, cost: 50_000, months: 6 }, f.agent18), 'participatory-budget.not-allowed');
    expect((await project(code)).status).toBe('study');
  });

  it('records "not feasible" with its explanation, closing the authors’ demands, then "feasible" with cost and period', async () => {
    await evaluate(code, { feasible: false, explanation: 'Le square est classé : aucune construction n’y est permise.' });
    expect(await project(code)).toMatchObject({
      status: 'not-feasible',
      study_explanation: 'Le square est classé : aucune construction n’y est permise.',
    });
    const { demands, notifications } = await dashboardOf(t.kernel, f.author);
    expect(notifications.at(-1)!.body).toContain('Le square est classé');
    const proposal = await t.kernel.db
      .selectFrom('pb_proposals')
      .selectAll()
      .where('project_id', '=', (await project(code)).id)
      .executeTakeFirstOrThrow();
    expect(demands.find((d) => d.id === proposal.demand_id)).toMatchObject({ status: 'closed', step: 4 });

    await evaluate(code, { feasible: true, cost: 52_000, months: 8 });
    expect(await project(code)).toMatchObject({ status: 'feasible', cost: 52_000, execution_months: 8, study_explanation: null });
  });
});

describe('evaluations from CSV', () => {
  let first: string;
  let second: string;
  beforeAll(async () => {
    first = (await merge({ proposalIds: [await published()] })).code;
    second = (await merge({ proposalIds: [await published()] })).code;
  });
  const load = (csv: string, acting = f.agent11) =>
    inTransaction(t.kernel.db, (trx) => importEvaluations(trx, t.kernel, acting, CAMPAIGN, csv, { now: STUDY_TIME }));

  it('checks every line first: one bad line refuses the file with each problem by line, and nothing changes', async () => {
    const csv = [
      'projet;réalisable;coût;mois;explication',
      `${first};oui;48 000;6;`,
      `${second};non;;;`,
      'inconnu;oui;1000;2;',
      `${first};peut-être;;;`,
      `${second};oui;1000`,
    ].join('\r\n');
    const error = await refusal(load(csv), 'participatory-budget.invalid-csv');
    expect(error.fields).toEqual([
      { field: 'line.3', message: 'participatory-budget.csv.errors.explanation-required' },
      { field: 'line.4', message: 'participatory-budget.csv.errors.unknown-project' },
      { field: 'line.5', message: 'participatory-budget.csv.errors.duplicate-project' },
      { field: 'line.5', message: 'participatory-budget.csv.errors.feasible' },
      { field: 'line.6', message: 'participatory-budget.csv.errors.columns' },
    ]);
    expect((await project(first)).status).toBe('study');
    expect((await project(second)).status).toBe('study');
    await refusal(load(`code;f;c;m;e\n${first};oui;48000;6;`, f.agent18), 'participatory-budget.invalid-csv');
    expect((await project(first)).status).toBe('study');
  });

  it('applies a good file as the form would, explanations with ";" quoted', async () => {
    const csv = `code;feasible;cost;months;explanation\n${first};yes;48 000;6;\n${second};no;;;"Hors compétence ; relève de l’État."\n`;
    expect(await load(csv)).toBe(2);
    expect(await project(first)).toMatchObject({ status: 'feasible', cost: 48_000, execution_months: 6 });
    expect(await project(second)).toMatchObject({ status: 'not-feasible', study_explanation: 'Hors compétence ; relève de l’État.' });
  });
});

describe('the ballot', () => {
  it('takes feasible projects only, before the vote opens; after, nothing changes', async () => {
    const feasible = (await merge({ proposalIds: [await published()] })).code;
    const studied = (await merge({ proposalIds: [await published()] })).code;
    await evaluate(feasible, { feasible: true, cost: 30_000, months: 4 });
    const onBallot = (codes: string[], now = STUDY_TIME) =>
      inTransaction(t.kernel.db, (trx) => putOnBallot(trx, t.kernel, f.agent11, CAMPAIGN, codes, { now }));
    await refusal(onBallot([feasible, studied]), 'participatory-budget.not-feasible-for-ballot');
    expect((await project(feasible)).status).toBe('feasible');
    expect(await onBallot([feasible])).toBe(1);
    expect((await project(feasible)).status).toBe('ballot');
    const { notifications } = await dashboardOf(t.kernel, f.author);
    expect(notifications.at(-1)!.subject).toContain(`Projet ${feasible} soumis au vote`);
    expect((await listProjects(t.kernel.db, campaignId, ['ballot'])).map((p) => p.code)).toEqual([feasible]);

    await evaluate(studied, { feasible: true, cost: 10_000, months: 2 });
    await refusal(onBallot([studied], VOTE_TIME), 'participatory-budget.vote-opened');
    await refusal(
      evaluate(studied, { feasible: false, explanation: 'Trop tard.' }, f.agent11, VOTE_TIME),
      'participatory-budget.vote-opened',
    );
    await refusal(merge({ proposalIds: [await published()] }, f.agent11, VOTE_TIME), 'participatory-budget.vote-opened');
    expect((await project(studied)).status).toBe('feasible');
  });
});
