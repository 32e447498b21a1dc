import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../src/kernel/db/transaction.js';
import { DEMO_PASSWORD } from '../../../src/kernel/identity/demo.js';
import { actorByEmail } from '../../../src/kernel/identity/seeding-actor.js';
import { parsePabulib } from '../../../src/modules/participatory-budget/pabulib/parse.js';
import { electionFromPabulib } from '../../../src/modules/participatory-budget/pabulib/to-election.js';
import { computeResults } from '../../../src/modules/participatory-budget/results/compute.js';
import { runRule } from '../../../src/modules/participatory-budget/rules/run-rule.js';
import { logInAgent } from '../../identity/agents-fixtures.js';
import type { TestApp } from '../../support/app.js';
import { Visitor } from '../../support/visitor.js';
import { startWithParticipatoryBudget } from './campaigns-support.js';
import { AFTER_VOTE, seedClosedVote } from './results-support.js';

let t: TestApp;
const CODE = 'resultats-pages';
const PUBLIC = `/budget/${CODE}/results`;
const ADMIN = `/admin/budget/${CODE}/results`;
let envelopeIds: Record<string, string>;

beforeAll(async () => {
  t = await startWithParticipatoryBudget({ demo: true });
  const admin = await actorByEmail(t.kernel.db, 'admin@ville.example');
  ({ envelopeIds } = await seedClosedVote(t.kernel, CODE, admin!.account.id));
});
afterAll(async () => t.close());

describe('before publication', () => {
  it('shows the public nothing but a notice, and 404 for an envelope', async () => {
    const page = await new Visitor(t.app).get(PUBLIC);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Les résultats de cette campagne ne sont pas encore publiés.');
    expect((await new Visitor(t.app).get(`${PUBLIC}/75111`)).status).toBe(404);
    expect((await new Visitor(t.app).get(`${PUBLIC}/75111/pabulib.pb`)).status).toBe(404);
  });

  it('keeps the back office to agents with the permission for the whole city', async () => {
    expect((await new Visitor(t.app).get(ADMIN)).status).toBe(303);
    const townHall = await logInAgent(t.app, 'agent.11@ville.example', DEMO_PASSWORD);
    expect((await townHall.get(ADMIN)).status).toBe(200);
    await townHall.get(ADMIN);
    const refused = await townHall.post(`${ADMIN}/compute`, {});
    expect(refused.status).toBe(403);
  });

  it('refuses to compute while the vote is open, saying so on the page', async () => {
    const agent = await logInAgent(t.app, 'admin@ville.example', DEMO_PASSWORD);
    await agent.get(ADMIN);
    const res = await agent.post(`${ADMIN}/compute`, {});
    expect(res.status).toBe(409);
    expect(res.body).toContain('has not closed yet');
    expect(await t.kernel.db.selectFrom('pb_results').selectAll().where('envelope_id', 'in', Object.values(envelopeIds)).execute()).toEqual(
      [],
    );
  });
});

describe('computed, corrected, published', () => {
  it('lists the computed results to the agent and takes a correction only with its reason', async () => {
    await inTransaction(t.kernel.db, (trx) =>
      computeResults(trx, t.kernel, { actor: { kind: 'system', label: 'test' } }, CODE, AFTER_VOTE),
    );
    const agent = await logInAgent(t.app, 'admin@ville.example', DEMO_PASSWORD);
    const page = await agent.get(ADMIN);
    expect(page.body).toContain('Publier les résultats');
    const noReason = await agent.post(`${ADMIN}/override`, { envelope: '75111', project: 'a', decision: 'fund', reason: '' });
    expect(noReason.status).toBe(400);
    expect(noReason.body).toContain('href="#reason"');
    expect(
      await t.kernel.db.selectFrom('pb_result_overrides').selectAll().where('envelope_id', 'in', Object.values(envelopeIds)).execute(),
    ).toEqual([]);
    const saved = await agent.post(`${ADMIN}/override`, {
      envelope: '75111',
      project: 'c',
      decision: 'exclude',
      reason: 'Le terrain s’est révélé privé.',
    });
    expect(saved.status).toBe(303);
    const published = await agent.post(`${ADMIN}/publish`, {});
    expect([published.status, published.headers.location]).toEqual([303, `${ADMIN}?notice=published`]);
    expect((await agent.get(ADMIN)).body).toContain('Publiés le');
  });

  it('publishes the campaign page: figures, envelopes, money per envelope, turnout by district and age, each chart with its table', async () => {
    const page = await new Visitor(t.app).get(PUBLIC);
    expect(page.status).toBe(200);
    for (const text of [
      'Budget attribué par enveloppe',
      'Participation par arrondissement choisi',
      'Participation par âge',
      'Âge non connu',
    ]) {
      expect(page.body).toContain(text);
    }
    expect(page.body).toContain(`href="${PUBLIC}/75111"`);
    expect(page.body.match(/role="img"/g)).toHaveLength(3);
    expect(page.body.match(/<table class="data-table">/g)?.length).toBe(4);
    const english = await new Visitor(t.app).get(`${PUBLIC}?lang=en`);
    expect(english.body).toContain('Turnout by age');
  });

  it('explains an envelope: its rule, votes, funding line, ranking, and the correction with its reason', async () => {
    const page = await new Visitor(t.app).get(`${PUBLIC}/75111`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Les projets sont classés par nombre de voix');
    expect(page.body).toContain('Ligne de financement');
    expect(page.body).toContain('Décision corrigée : Le terrain s’est révélé privé.');
    // b (4 votes) is funded; a (3 votes) does not fit after it; c was excluded by the correction.
    const ranking = page.body.slice(page.body.indexOf('Classement'));
    expect(ranking.indexOf('Projet b')).toBeLessThan(ranking.indexOf('Projet a'));
    const city = await new Visitor(t.app).get(`${PUBLIC}/city?lang=en`);
    expect(city.body).toContain('Majority judgement');
    expect(city.body).not.toContain('pabulib.pb');
  });

  it('exports the envelope as a Pabulib file that reads back and recomputes to the same winners by its rule', async () => {
    const res = await new Visitor(t.app).get(`${PUBLIC}/75118/pabulib.pb`);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${CODE}_75118.pb"`);
    const file = parsePabulib(res.body);
    expect([file.meta.num_votes, file.meta.budget, file.meta.rule, file.meta.vote_type]).toEqual([4, 4_500_000, 'equalshares', 'approval']);
    expect(file.votes.map((v) => v.voter_id)).toEqual(['1', '2', '3', '4']);
    const { election, rule } = electionFromPabulib(file);
    expect(runRule(rule, election).selected).toEqual(file.projects.filter((p) => p.selected === 1).map((p) => p.project_id));
    // The 11th's paper counts have no ballots: its file says so in the META comment.
    const eleventh = parsePabulib((await new Visitor(t.app).get(`${PUBLIC}/75111/pabulib.pb`)).body);
    expect(eleventh.meta.comment).toContain('2 votes from ballot boxes');
  });
});
