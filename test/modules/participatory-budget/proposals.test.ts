import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../src/kernel/db/transaction.js';
import { moderateProposal } from '../../../src/modules/participatory-budget/proposals/moderate.js';
import { findProposal } from '../../../src/modules/participatory-budget/proposals/store.js';
import { supportProposal, withdrawSupport } from '../../../src/modules/participatory-budget/proposals/supports.js';
import type { TestApp } from '../../support/app.js';
import { NOW, refusal, startWithParticipatoryBudget } from './campaigns-support.js';
import { CAMPAIGN, dashboardOf, IN_11, IN_18, proposalsFixture, propose, STUDY_TIME } from './proposals-support.js';

let t: TestApp;
let f: Awaited<ReturnType<typeof proposalsFixture>>;
beforeAll(async () => {
  t = await startWithParticipatoryBudget({ demo: true });
  f = await proposalsFixture(t.kernel);
});
afterAll(async () => t.close());

const count = async () =>
  (
    await t.kernel.db
      .selectFrom('pb_proposals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n;

describe('submitting a proposal', () => {
  it('files it during the proposals phase, with co-authors, as a demand on the author’s dashboard', async () => {
    const { id, reference } = await propose(t.kernel, f.author, {
      coauthorEmails: ['Omar.Diallo@example.org'],
      address: '12 rue de la Roquette',
    });
    expect(reference).toMatch(/^BP-\d{4}-\d{6}$/);
    const proposal = (await findProposal(t.kernel.db, id))!;
    expect(proposal).toMatchObject({ status: 'submitted', envelope_code: '75111', cost: 45_000, theme_code: 'environnement', ...IN_11 });
    const coauthors = await t.kernel.db.selectFrom('pb_proposal_coauthors').select('account_id').where('proposal_id', '=', id).execute();
    expect(coauthors.map((c) => c.account_id)).toEqual([f.neighbour]);

    const { demands, notifications } = await dashboardOf(t.kernel, f.author);
    const demand = demands.find((d) => d.id === proposal.demand_id)!;
    expect(demand).toMatchObject({ type: 'participatory-budget:proposal', reference, status: 'ongoing', step: 1, steps: 5 });
    expect(demand.link).toBe(`/budget/${CAMPAIGN}/proposals/${id}`);
    expect(JSON.parse(demand.state_label!)).toEqual({ fr: 'Déposée, en attente de modération', en: 'Submitted, awaiting moderation' });
    expect(notifications.at(-1)!.subject).toBe(`Proposition ${reference} : Déposée, en attente de modération`);
    // The co-author is told too, without the demand (it is the author's).
    const coauthorNews = await dashboardOf(t.kernel, f.neighbour);
    expect(coauthorNews.notifications.at(-1)).toMatchObject({
      subject: `Proposition ${reference} : Déposée, en attente de modération`,
      demand_id: null,
    });
  });

  it('attaches its images through the files service', async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3a5' } })
      .png()
      .toBuffer();
    const stored = await t.kernel.files.store({ data: png, filename: 'jardin.png', declaredType: 'image/png' });
    const { id } = await propose(t.kernel, f.author, { imageIds: [stored.id] });
    expect((await t.kernel.files.get(stored.id))!.owner).toBe(`participatory-budget:proposal:${id}`);
  });

  it('is refused outside the proposals phase, and nothing is stored', async () => {
    const before = await count();
    await refusal(propose(t.kernel, f.author, {}, STUDY_TIME), 'participatory-budget.not-proposals-phase');
    await refusal(propose(t.kernel, f.author, {}, new Date('2026-10-01T00:00:00Z')), 'participatory-budget.not-proposals-phase');
    expect(await count()).toBe(before);
  });

  it('names every problem of a bad proposal at once and stores nothing', async () => {
    const before = await count();
    const demandsBefore = (await dashboardOf(t.kernel, f.author)).demands.length;
    const error = await refusal(
      propose(t.kernel, f.author, {
        title: ' ',
        cost: 12.5,
        theme: 'cuisine',
        envelope: '75199',
        coauthorEmails: ['personne@example.org'],
      }),
      'participatory-budget.invalid-proposal',
    );
    expect(error.fields.map((p) => p.field)).toEqual(['title', 'cost', 'theme', 'envelope', 'place', 'coauthors']);
    expect(error.fields.find((p) => p.field === 'coauthors')!.message).toBe('participatory-budget.proposal.errors.coauthor-unknown');
    const elsewhere = await refusal(propose(t.kernel, f.author, { point: IN_18 }), 'participatory-budget.invalid-proposal');
    expect(elsewhere.fields).toEqual([{ field: 'place', message: 'participatory-budget.proposal.errors.point-other-district' }]);
    const outside = await refusal(
      propose(t.kernel, f.author, { envelope: 'city', point: { lat: 48.8611, lng: 2.4436 } }),
      'participatory-budget.invalid-proposal',
    );
    expect(outside.fields).toEqual([{ field: 'place', message: 'participatory-budget.proposal.errors.point-outside' }]);
    await refusal(propose(t.kernel, f.author, { cost: 0 }), 'participatory-budget.invalid-proposal');
    expect(await count()).toBe(before);
    expect((await dashboardOf(t.kernel, f.author)).demands).toHaveLength(demandsBefore);
  });

  it('accepts a city-wide proposal without a point', async () => {
    const { id } = await propose(t.kernel, f.author, { envelope: 'city', point: null, theme: 'sport' });
    expect(await findProposal(t.kernel.db, id)).toMatchObject({ envelope_code: 'city', lat: null, lng: null });
  });
});

describe('moderation', () => {
  const moderate = (acting: typeof f.agent11, id: string, moderation: Parameters<typeof moderateProposal>[4]) =>
    inTransaction(t.kernel.db, (trx) => moderateProposal(trx, t.kernel, acting, id, moderation));

  it('an agent of the envelope’s town hall publishes; one of another district may not', async () => {
    const { id } = await propose(t.kernel, f.author);
    await refusal(moderate(f.agent18, id, { decision: 'publish' }), 'participatory-budget.not-allowed');
    expect((await findProposal(t.kernel.db, id))!.status).toBe('submitted');
    await moderate(f.agent11, id, { decision: 'publish' });
    const proposal = (await findProposal(t.kernel.db, id))!;
    expect(proposal.status).toBe('published');
    const demand = await t.kernel.db.selectFrom('demands').selectAll().where('id', '=', proposal.demand_id).executeTakeFirstOrThrow();
    expect(demand).toMatchObject({ status: 'ongoing', step: 2 });
    const entry = await t.kernel.db.selectFrom('audit_log').selectAll().where('resource_id', '=', id).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      action: 'participatory-budget.proposal.publish',
      actor_label: 'agent:agent.11@ville.example',
      ip: '192.0.2.7',
    });
    await refusal(moderate(f.agent11, id, { decision: 'publish' }), 'participatory-budget.proposal-not-pending');
  });

  it('a removal needs a reason, which the author reads; it closes the demand', async () => {
    const { id, reference } = await propose(t.kernel, f.author);
    await refusal(moderate(f.agent11, id, { decision: 'remove', reason: '  ' }), 'participatory-budget.reason-required');
    expect((await findProposal(t.kernel.db, id))!.status).toBe('submitted');
    await moderate(f.agent11, id, { decision: 'remove', reason: 'Ce projet relève du fonctionnement, pas de l’investissement.' });
    const proposal = (await findProposal(t.kernel.db, id))!;
    expect(proposal).toMatchObject({ status: 'removed', removal_reason: 'Ce projet relève du fonctionnement, pas de l’investissement.' });
    const { demands, notifications } = await dashboardOf(t.kernel, f.author);
    expect(demands.find((d) => d.id === proposal.demand_id)).toMatchObject({ status: 'closed' });
    const told = notifications.at(-1)!;
    expect(told.subject).toBe(`Proposition ${reference} : Retirée par la modération`);
    expect(told.body).toContain('relève du fonctionnement');
  });
});

describe('supports ("+1")', () => {
  let published: string;
  beforeAll(async () => {
    published = (await propose(t.kernel, f.author)).id;
    await inTransaction(t.kernel.db, (trx) => moderateProposal(trx, t.kernel, f.agent11, published, { decision: 'publish' }));
  });
  const support = (account: string, id: string, now = NOW) =>
    inTransaction(t.kernel.db, (trx) => supportProposal(trx, account, id, { now }));

  it('counts one per resident, refuses a second, and can be withdrawn', async () => {
    expect(await support(f.neighbour, published)).toBe(1);
    await refusal(support(f.neighbour, published), 'participatory-budget.already-supported');
    expect((await findProposal(t.kernel.db, published))!.supports).toBe(1);
    expect(await inTransaction(t.kernel.db, (trx) => withdrawSupport(trx, f.neighbour, published, { now: NOW }))).toBe(0);
    expect(await support(f.neighbour, published)).toBe(1);
  });

  it('is refused on one’s own proposal, on an unpublished one, and outside the proposals phase', async () => {
    await refusal(support(f.author, published), 'participatory-budget.own-proposal');
    const { id } = await propose(t.kernel, f.author);
    await refusal(support(f.neighbour, id), 'participatory-budget.proposal-not-published');
    await refusal(support(f.neighbour, published, STUDY_TIME), 'participatory-budget.not-proposals-phase');
  });
});
