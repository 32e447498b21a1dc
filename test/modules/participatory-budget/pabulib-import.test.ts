import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../src/kernel/db/transaction.js';
import { fromJson } from '../../../src/kernel/db/values.js';
import type { AgentActor } from '../../../src/kernel/identity/agents/acting.js';
import { actorByEmail } from '../../../src/kernel/identity/seeding-actor.js';
import type { CampaignActing } from '../../../src/modules/participatory-budget/campaigns/access.js';
import { loadCampaign } from '../../../src/modules/participatory-budget/campaigns/store.js';
import { parsePabulib } from '../../../src/modules/participatory-budget/pabulib/parse.js';
import { electionFromPabulib } from '../../../src/modules/participatory-budget/pabulib/to-election.js';
import { computeResults } from '../../../src/modules/participatory-budget/results/compute.js';
import type { PabulibImportError } from '../../../src/modules/participatory-budget/results/pabulib-import.js';
import { publishResults } from '../../../src/modules/participatory-budget/results/publish.js';
import { envelopeResults } from '../../../src/modules/participatory-budget/results/read.js';
import { runRule } from '../../../src/modules/participatory-budget/rules/run-rule.js';
import { DEFAULT_TIE_BREAKING } from '../../../src/modules/participatory-budget/rules/tie-breaking.js';
import type { TestApp } from '../../support/app.js';
import { refusal, startWithParticipatoryBudget } from './campaigns-support.js';
import { campaignForFile, footprint, importInto } from './pabulib-import-support.js';
import { AFTER_VOTE } from './results-support.js';
import { fixtureBytes, fixtureText, REAL_FILES } from './support.js';

let t: TestApp;
let admin: CampaignActing;
let townHall: CampaignActing;
const DURING_VOTE = new Date('2027-09-10T10:00:00Z');

beforeAll(async () => {
  t = await startWithParticipatoryBudget({ demo: true });
  admin = { actor: (await actorByEmail(t.kernel.db, 'admin@ville.example')) as AgentActor, ip: '192.0.2.1' };
  townHall = { actor: (await actorByEmail(t.kernel.db, 'agent.11@ville.example')) as AgentActor, ip: '192.0.2.2' };
});
afterAll(async () => t.close());

/** The winners of the 11th's computed result, in selection order. */
async function computedWinners(code: string): Promise<string[]> {
  await inTransaction(t.kernel.db, (trx) => computeResults(trx, t.kernel, admin, code, AFTER_VOTE));
  const campaign = (await loadCampaign(t.kernel.db, code))!;
  const result = (await envelopeResults(t.kernel.db, campaign, { drafts: true })).find((r) => r.code === '75111')!;
  const outcome = result.lines.filter((l) => l.funded).map((l) => l.code);
  return outcome;
}

describe('importing a real Pabulib file, then computing the envelope by its rule', () => {
  it.each(Object.entries(REAL_FILES))('%s: same winners as the rule run on the file, Civitas’s tie-breaking', async (key, name) => {
    const code = `import-${key}`;
    const bytes = fixtureBytes(name);
    const campaign = await campaignForFile(t.kernel, code, bytes);
    const summary = await importInto(t.kernel, admin, code, '75111', bytes, { fileName: name });
    const file = parsePabulib(bytes);
    expect(summary).toEqual({
      envelope: '75111',
      projects: file.projects.length,
      ballots: file.votes.length,
      fileRule: file.meta.rule,
      envelopeRule: file.meta.rule,
      scoreThreshold: file.meta.min_project_score_threshold ?? null,
    });
    const { election, rule, threshold } = electionFromPabulib(file);
    const expected = runRule(rule, election, { threshold, tieBreaking: DEFAULT_TIE_BREAKING }).selected.map((id) => id.toLowerCase());
    const winners = await computedWinners(code);
    expect([...winners].sort()).toEqual([...expected].sort());
    const recorded = file.projects.filter((p) => p.selected === 1).map((p) => p.project_id.toLowerCase());
    if (key === 'gdynia') {
      // The file's record broke the tie at 101 votes by id (project 1); Civitas's published chain funds the cheaper 5.
      expect(winners.sort()).toEqual(['2', '4', '5']);
      expect(recorded.sort()).toEqual(['1', '2', '4']);
    } else expect(winners.sort()).toEqual(recorded.sort());
    // Imported ballots are neither online nor paper: the import's record counts them.
    const row = await t.kernel.db
      .selectFrom('pb_results as r')
      .innerJoin('pb_envelopes as e', 'e.id', 'r.envelope_id')
      .select(['r.ballots_online', 'r.ballots_paper'])
      .where('e.campaign_id', '=', campaign.id)
      .where('e.code', '=', '75111')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ ballots_online: 0, ballots_paper: 0 });
  });

  it('applies the file’s score threshold: Łódź’s W068NR fits in what is left but has 21 votes of the 50 needed', async () => {
    const winners = await computedWinners('import-lodz');
    expect(winners).not.toContain('w068nr');
    expect(winners).toEqual(['w008nr', 'w014nr', 'w127nr']);
  });

  it('stores anonymous confirmed ballots with their history, the projects on the ballot, the record and the audit entry', async () => {
    const campaign = (await loadCampaign(t.kernel.db, 'import-warszawa'))!;
    const ballots = await t.kernel.db
      .selectFrom('pb_ballots as b')
      .innerJoin('pb_voters as v', 'v.id', 'b.voter_id')
      .select(['b.status', 'b.channel', 'b.receipt_code', 'b.choices', 'v.account_id', 'v.person_key', 'v.district_code'])
      .where('v.campaign_id', '=', campaign.id)
      .execute();
    expect(ballots).toHaveLength(108);
    expect(
      new Set(ballots.map((b) => `${b.status}/${b.channel}/${b.receipt_code}/${b.account_id}/${b.person_key}/${b.district_code}`)),
    ).toEqual(new Set(['confirmed/import/null/null/null/75111']));
    const file = parsePabulib(fixtureBytes(REAL_FILES.warszawa));
    expect(ballots.map((b) => fromJson<{ projects: string[] }>(b.choices, { projects: [] }).projects.join(',')).sort()).toEqual(
      file.votes.map((v) => v.vote.join(',')).sort(),
    );
    const projects = await t.kernel.db
      .selectFrom('pb_projects')
      .select(['code', 'title_fr', 'cost', 'status', 'position'])
      .where('campaign_id', '=', campaign.id)
      .orderBy('position')
      .execute();
    expect(projects[0]).toEqual({
      code: '558',
      title_fr: 'Chodnik na ul.Wacława Wojtyszki',
      cost: projects[0]!.cost,
      status: 'ballot',
      position: 0,
    });
    expect(Number(projects[0]!.cost)).toBe(30500);
    const counts = await footprint(t.kernel, campaign.id);
    expect(counts).toMatchObject({ projects: 5, voters: 108, ballots: 108, history: 108, imports: 1 });
    const record = await t.kernel.db
      .selectFrom('pb_pabulib_imports')
      .selectAll()
      .where('campaign_id', '=', campaign.id)
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({ file_name: REAL_FILES.warszawa, file_rule: 'greedy', vote_type: 'approval', projects: 5, ballots: 108 });
    expect(record.file_sha256).toMatch(/^[0-9a-f]{64}$/);
    const entry = await t.kernel.db
      .selectFrom('audit_log')
      .select(['actor_label', 'resource_id', 'ip'])
      .where('action', '=', 'participatory-budget.results.pabulib-import')
      .where('resource_id', '=', 'import-warszawa/75111')
      .executeTakeFirstOrThrow();
    expect(entry).toEqual({ actor_label: 'agent:admin@ville.example', resource_id: 'import-warszawa/75111', ip: '192.0.2.1' });
  });

  it('publishes the imported envelope and exports it back with the same projects and votes', async () => {
    await inTransaction(t.kernel.db, (trx) => publishResults(trx, t.kernel, admin, 'import-warszawa'));
    const page = await t.app.inject({ url: '/budget/import-warszawa/results/75111', headers: { accept: 'text/html' } });
    expect(page.body).toContain(
      '108 bulletin(s) dépouillé(s) ailleurs, importé(s) d’un fichier au format Pabulib : Local PB in Warszawa, Wawer | Nadwiśle — Warszawa — 2017.',
    );
    const res = await t.app.inject({ url: '/budget/import-warszawa/results/75111/pabulib.pb' });
    expect(res.statusCode).toBe(200);
    const exported = parsePabulib(res.body);
    const original = parsePabulib(fixtureText(REAL_FILES.warszawa));
    expect(exported.meta.budget).toBe(original.meta.budget);
    expect(exported.votes.map((v) => v.vote.join(',')).sort()).toEqual(original.votes.map((v) => v.vote.join(',')).sort());
    expect(exported.projects.map((p) => [p.project_id, p.votes, p.selected]).sort()).toEqual(
      original.projects.map((p) => [p.project_id, p.votes, p.selected]).sort(),
    );
  });
});

/** A small valid file for the refusals: budget 1000, approval, 3 projects, 4 voters. */
const SMALL = [
  'META',
  'key;value',
  'description;Test',
  'country;France',
  'unit;Paris',
  'instance;2026',
  'num_projects;3',
  'num_votes;4',
  'budget;1000',
  'vote_type;approval',
  'rule;greedy',
  'date_begin;01.09.2026',
  'date_end;22.09.2026',
  'PROJECTS',
  'project_id;cost;name;category',
  'a1;600;Un jardin;environnement',
  'a2;300;Un banc;',
  'a3;400;Une fontaine;sport,autre',
  'VOTES',
  'voter_id;vote',
  '1;a1,a2',
  '2;a1',
  '3;a2,a3',
  '4;a3',
  '',
].join('\n');
const spoil = (from: string, to: string) => {
  if (!SMALL.includes(from)) throw new Error(`not in SMALL: ${from}`);
  return SMALL.replace(from, to);
};

describe('refusals: each names what to fix, and nothing is written', () => {
  const CODE = 'import-refusals';
  let campaignId: string;
  let before: Awaited<ReturnType<typeof footprint>>;

  beforeAll(async () => {
    const campaign = await campaignForFile(t.kernel, CODE, Buffer.from(SMALL), {
      ballotRules: { type: 'approval', maxProjects: 2 },
      winnerRule: 'greedy',
    });
    campaignId = campaign.id;
    before = await footprint(t.kernel, campaignId);
  });

  const refused = async (text: string, code: string, options: { now?: Date; envelope?: string; acting?: CampaignActing } = {}) => {
    const error = await refusal(importInto(t.kernel, options.acting ?? admin, CODE, options.envelope ?? '75111', text, options), code);
    expect(await footprint(t.kernel, campaignId)).toEqual(before);
    return error;
  };
  const lines = (error: unknown) => (error as PabulibImportError).fields.map((f) => f.field);

  it.each([
    ['a missing section', SMALL.slice(0, SMALL.indexOf('VOTES')), 'line.18', 'section VOTES is missing'],
    ['wrong counts', spoil('num_votes;4', 'num_votes;5'), 'line.8', 'num_votes'],
    ['a duplicate project id', spoil('a3;400', 'a2;400'), 'line.18', 'project_id "a2" appears twice'],
    ['a vote for an unknown project', spoil('4;a3', '4;a9'), 'line.24', 'names project "a9", which is not in PROJECTS'],
    ['a cost that is not whole', spoil('a2;300', 'a2;300.5'), 'line.17', 'project “a2” costs 300.5'],
  ])('refuses %s with its line', async (_what, text, line, words) => {
    const error = await refused(text, 'participatory-budget.pabulib-invalid');
    expect(error.statusCode).toBe(400);
    expect(lines(error)).toEqual([line]);
    expect(error.message).toContain(words);
    expect(error.message).toContain('nothing was imported');
  });

  it('refuses a budget other than the envelope’s, naming both', async () => {
    const error = await refused(spoil('budget;1000', 'budget;1200'), 'participatory-budget.pabulib-budget-mismatch');
    expect([error.statusCode, lines(error)]).toEqual([409, ['line.9']]);
    expect(error.message).toContain('the file’s budget (1200) is not the envelope’s amount (1000)');
  });

  it('refuses a vote type the envelope’s ballot cannot hold', async () => {
    const cumulative = spoil('vote_type;approval', 'vote_type;cumulative');
    const error = await refused(cumulative, 'participatory-budget.pabulib-vote-type');
    expect([error.statusCode, lines(error)]).toEqual([409, ['line.10']]);
    expect(error.message).toContain('of type “cumulative”, cannot become ballots of the envelope (a “approval” ballot)');
  });

  it('refuses ballots breaking the envelope’s rules, each with its line and the rule broken', async () => {
    const three = spoil('1;a1,a2', '1;a1,a2,a3');
    const error = await refused(three, 'participatory-budget.pabulib-invalid');
    expect(lines(error)).toEqual(['line.21']);
    expect(error.message).toContain('the vote of voter “1” breaks the envelope’s rules: Choose at most 2 projects: you chose 3.');
  });

  it('refuses ids that cannot be codes, or clash once lowercased', async () => {
    const error = await refused(
      spoil('a1;600', 'A 1;600').replace('1;a1,a2', '1;A 1,a2').replace('2;a1', '2;A 1'),
      'participatory-budget.pabulib-invalid',
    );
    expect(error.message).toContain('project “A 1” would get the code “a 1”');
    const twice = await refused(
      spoil('a2;300', 'A1;300').replace('a2,a3', 'A1,a3').replace('1;a1,a2', '1;a1,A1'),
      'participatory-budget.pabulib-invalid',
    );
    expect(twice.message).toContain('project “A1” would get the same code as project “a1”');
  });

  it('keeps the town hall’s agent out: the permission is needed for the whole city', async () => {
    await refused(SMALL, 'participatory-budget.forbidden', { acting: townHall });
  });

  it('refuses while the vote is under way', async () => {
    const error = await refused(SMALL, 'participatory-budget.vote-open', { now: DURING_VOTE });
    expect(error.statusCode).toBe(409);
  });

  it('refuses an envelope with projects already, and a graded envelope', async () => {
    const summary = await importInto(t.kernel, admin, CODE, '75111', SMALL);
    expect([summary.projects, summary.ballots]).toEqual([3, 4]);
    const project = await t.kernel.db
      .selectFrom('pb_projects')
      .select(['theme_code', 'title_en'])
      .where('campaign_id', '=', campaignId)
      .where('code', '=', 'a3')
      .executeTakeFirstOrThrow();
    // "sport" is a theme of the campaign; "autre" is not.
    expect(project).toEqual({ theme_code: 'sport', title_en: 'Une fontaine' });
    before = await footprint(t.kernel, campaignId);
    await refused(SMALL, 'participatory-budget.envelope-not-empty');
    // Same ids in another envelope of the campaign: codes are unique per campaign, a prefix is the way out.
    const city = spoil('budget;1000', 'budget;30000000');
    const taken = await refused(city, 'participatory-budget.pabulib-invalid', { envelope: 'city' });
    expect(taken.message).toContain('the code “a1” is already a project’s of the envelope “75111”: give a code prefix.');
    const prefixed = await importInto(t.kernel, admin, CODE, 'city', city, { codePrefix: 'city-' });
    expect(prefixed.projects).toBe(3);
    expect(
      (
        await t.kernel.db
          .selectFrom('pb_projects')
          .select('code')
          .where('campaign_id', '=', campaignId)
          .where('code', 'like', 'city-%')
          .execute()
      )
        .map((p) => p.code)
        .sort(),
    ).toEqual(['city-a1', 'city-a2', 'city-a3']);
  });

  it('refuses once the results are published', async () => {
    await inTransaction(t.kernel.db, (trx) => computeResults(trx, t.kernel, admin, CODE, AFTER_VOTE));
    await inTransaction(t.kernel.db, (trx) => publishResults(trx, t.kernel, admin, CODE));
    before = await footprint(t.kernel, campaignId);
    await refused(spoil('budget;1000', 'budget;4500000'), 'participatory-budget.results-published', { envelope: '75118' });
  });

  it('takes cumulative votes into a points envelope, ranked by points, and refuses a points ballot without points', async () => {
    const code = 'import-points';
    const points = spoil('vote_type;approval', 'vote_type;cumulative')
      .replace('voter_id;vote', 'voter_id;vote;points')
      .replace('1;a1,a2', '1;a1,a2;1,2')
      .replace('2;a1\n', '2;a1;3\n')
      .replace('3;a2,a3', '3;a2,a3;2,1')
      .replace('4;a3', '4;a3;3');
    const rules = { type: 'cumulative', points: 3, minProjects: 1, maxPointsPerProject: 3 };
    const campaign = await campaignForFile(t.kernel, code, Buffer.from(points), { ballotRules: rules });
    const missing = await refusal(
      importInto(t.kernel, admin, code, '75111', points.replace('4;a3;3', '4;a3;')),
      'participatory-budget.pabulib-invalid',
    );
    expect(missing.fields).toEqual([
      { field: 'line.24', message: expect.stringContaining('gives none of the points a points ballot needs') },
    ]);
    expect((await footprint(t.kernel, campaign.id)).projects).toBe(0);
    await importInto(t.kernel, admin, code, '75111', points);
    // Points: a1 4, a2 4, a3 4 — all tied, so the cheaper first: a2 (300), a3 (400), then a1 (600) no longer fits in 1000.
    expect(await computedWinners(code)).toEqual(['a2', 'a3']);
  });

  it('refuses a graded envelope: majority judgement has no Pabulib vote type', async () => {
    const code = 'import-graded';
    const campaign = await campaignForFile(t.kernel, code, Buffer.from(SMALL), { ballotRules: { type: 'majority-judgement' } });
    const error = await refusal(importInto(t.kernel, admin, code, '75111', SMALL), 'participatory-budget.pabulib-vote-type');
    expect(error.statusCode).toBe(409);
    expect((await footprint(t.kernel, campaign.id)).projects).toBe(0);
  });
});
