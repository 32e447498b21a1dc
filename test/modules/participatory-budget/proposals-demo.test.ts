import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../src/kernel/db/transaction.js';
import { demoCampaignDefinition } from '../../../src/modules/participatory-budget/campaigns/demo.js';
import { freezeOpenedVotes } from '../../../src/modules/participatory-budget/campaigns/envelopes.js';
import { listProjects } from '../../../src/modules/participatory-budget/projects/store.js';
import { seedProposalsDemo } from '../../../src/modules/participatory-budget/proposals/demo.js';
import type { TestApp } from '../../support/app.js';
import { create, NOW, startWithParticipatoryBudget } from './campaigns-support.js';
import { liveDefinition } from './proposals-support.js';

let t: TestApp;
beforeAll(async () => {
  t = await startWithParticipatoryBudget({ demo: true });
});
afterAll(async () => t.close());

describe('the proposals demo', () => {
  it('takes a campaign to its ballot: projects on it in every envelope, merged proposals linked, some not feasible', async () => {
    // Created before its vote (so not frozen), seeded, then frozen as a campaign whose vote opened.
    const campaign = await create(t.kernel, { ...demoCampaignDefinition(t.kernel, NOW, -1), code: 'demo-vote' }, { now: NOW });
    expect(campaign.envelopes).toHaveLength(21);
    const ballot = await inTransaction(t.kernel.db, (trx) => seedProposalsDemo(trx, t.kernel, campaign.code, { stage: 'ballot' }));
    await inTransaction(t.kernel.db, (trx) => freezeOpenedVotes(trx, new Date(Date.parse(NOW.toISOString()) + 300 * 86_400_000)));

    const projects = await listProjects(t.kernel.db, campaign.id);
    for (const envelope of campaign.envelopes) {
      expect(projects.filter((p) => p.envelope_code === envelope.code && p.status === 'ballot').length, envelope.code).toBeGreaterThan(0);
    }
    expect(
      projects
        .filter((p) => p.status === 'ballot')
        .map((p) => p.code)
        .sort(),
    ).toEqual([...ballot].sort());
    const notFeasible = projects.filter((p) => p.status === 'not-feasible');
    expect(notFeasible.length).toBeGreaterThan(0);
    expect(notFeasible.every((p) => p.study_explanation)).toBe(true);
    expect(projects.filter((p) => p.status === 'ballot').every((p) => p.execution_months! > 0)).toBe(true);
    const proposals = await t.kernel.db
      .selectFrom('pb_proposals')
      .select(['status', 'project_id'])
      .where('campaign_id', '=', campaign.id)
      .execute();
    expect(proposals.every((p) => p.status === 'merged' && p.project_id)).toBe(true);
    const supports = await t.kernel.db.selectFrom('pb_supports').select('account_id').execute();
    expect(supports.length).toBeGreaterThan(0);
  });

  it('leaves a campaign in its proposals phase with proposals to moderate and to support', async () => {
    const campaign = await create(t.kernel, liveDefinition(), { now: new Date() });
    await inTransaction(t.kernel.db, (trx) => seedProposalsDemo(trx, t.kernel, campaign.code, { stage: 'proposals' }));
    const rows = await t.kernel.db.selectFrom('pb_proposals').select('status').where('campaign_id', '=', campaign.id).execute();
    const count = (status: string) => rows.filter((r) => r.status === status).length;
    expect(count('submitted')).toBe(campaign.envelopes.length);
    expect(count('published')).toBe(2 * campaign.envelopes.length);
    expect(await listProjects(t.kernel.db, campaign.id)).toEqual([]);
  });
});
