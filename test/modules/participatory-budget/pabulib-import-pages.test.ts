import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../../src/kernel/identity/demo.js';
import { logInAgent } from '../../identity/agents-fixtures.js';
import type { TestApp } from '../../support/app.js';
import { Visitor } from '../../support/visitor.js';
import { startWithParticipatoryBudget } from './campaigns-support.js';
import { campaignForFile, footprint } from './pabulib-import-support.js';
import { fixtureBytes, REAL_FILES } from './support.js';

let t: TestApp;
let campaignId: string;
const CODE = 'import-pages';
const PAGE = `/admin/budget/${CODE}/results/import`;
const API = `/api/v1/participatory-budget/${CODE}/envelopes`;
const warszawa = fixtureBytes(REAL_FILES.warszawa);
const pb = (data: Buffer | string, name = 'nadwisle.pb') => ({ file: { name, type: 'application/octet-stream', data: Buffer.from(data) } });
const written = () => footprint(t.kernel, campaignId);

beforeAll(async () => {
  t = await startWithParticipatoryBudget({ demo: true });
  campaignId = (await campaignForFile(t.kernel, CODE, warszawa)).id;
});
afterAll(async () => t.close());

describe('the import page', () => {
  it('is for agents holding the results permission for the whole city', async () => {
    expect((await new Visitor(t.app).get(PAGE)).status).toBe(303);
    const before = await written();
    const townHall = await logInAgent(t.app, 'agent.11@ville.example', DEMO_PASSWORD);
    // The route lets in any holder of the permission; the import itself needs it in the city's root unit.
    expect((await townHall.get(PAGE)).status).toBe(200);
    const refused = await townHall.postMultipart(PAGE, { envelope: '75111' }, pb(warszawa));
    expect(refused.status).toBe(403);
    expect(await written()).toEqual(before);
  });

  it('refuses a form without its CSRF token', async () => {
    const agent = await logInAgent(t.app, 'admin@ville.example', DEMO_PASSWORD);
    await agent.get(PAGE);
    const before = await written();
    const forged = await agent.postMultipart(PAGE, { envelope: '75111', _csrf: 'forged' }, pb(warszawa));
    expect(forged.status).toBe(403);
    expect(await written()).toEqual(before);
  });

  it('shows each problem of a refused file with its line, in French by default and in English, and writes nothing', async () => {
    const agent = await logInAgent(t.app, 'admin@ville.example', DEMO_PASSWORD);
    const page = await agent.get(PAGE);
    expect(page.body).toContain('enctype="multipart/form-data"');
    expect(page.body).toContain('Aucun fichier importé dans cette campagne.');
    const before = await written();
    const missing = await agent.postMultipart(PAGE, { envelope: '75111' });
    expect(missing.status).toBe(400);
    expect(missing.body).toContain('Choisissez un fichier .pb à importer');
    const wrongBudget = await agent.postMultipart(PAGE, { envelope: '75118' }, pb(warszawa));
    expect(wrongBudget.status).toBe(409);
    expect(wrongBudget.body).toContain('Ligne 11 : le budget du fichier (98600) n’est pas le montant de l’enveloppe (4500000)');
    expect(wrongBudget.body).toContain('href="#file"');
    const unknown = warszawa.toString('utf8').replace(/\n(\d+);558,/, '\n$1;999,');
    const malformed = await agent.postMultipart(PAGE, { envelope: '75111' }, pb(unknown));
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatch(
      /Ligne \d+ : ce n’est pas un fichier Pabulib lisible \(the vote of voter &quot;\d+&quot; names project &quot;999&quot;/,
    );
    await agent.get(`${PAGE}?lang=en`);
    const english = await agent.postMultipart(PAGE, { envelope: '75118' }, pb(warszawa));
    expect(english.body).toContain('Line 11: the file’s budget (98600) is not the envelope’s amount (4500000)');
    expect(await written()).toEqual(before);
    await agent.get(`${PAGE}?lang=fr`);
  });

  it('imports a good file, then lists it and says so', async () => {
    const agent = await logInAgent(t.app, 'admin@ville.example', DEMO_PASSWORD);
    await agent.get(PAGE);
    const done = await agent.postMultipart(PAGE, { envelope: '75111', prefix: '' }, pb(warszawa, 'C:\\exports\\nadwisle.pb'));
    expect([done.status, done.location]).toEqual([303, `${PAGE}?notice=imported&envelope=75111`]);
    const page = await agent.follow(done);
    expect(page.body).toContain('Fichier importé dans l’enveloppe « 11e arrondissement » : 5 projet(s) et 108 bulletin(s).');
    expect(page.body).toContain('« nadwisle.pb » (Local PB in Warszawa, Wawer | Nadwiśle — Warszawa — 2017), 5 projet(s), 108 bulletin(s)');
    expect(await written()).toMatchObject({ projects: 5, ballots: 108, imports: 1 });
    const again = await agent.postMultipart(PAGE, { envelope: '75111' }, pb(warszawa));
    expect(again.status).toBe(409);
    expect(again.body).toContain('Cette enveloppe a déjà des projets, des bulletins ou des dépouillements');
    const results = await agent.get(`/admin/budget/${CODE}/results`);
    expect(results.body).toContain(`href="${PAGE}"`);
  });
});

describe('the JSON API', () => {
  const small = (budget: number) =>
    [
      'META',
      'key;value',
      'description;API',
      'country;France',
      'unit;Paris',
      'instance;2026',
      'num_projects;2',
      'num_votes;2',
      `budget;${budget}`,
      'vote_type;approval',
      'rule;greedy',
      'date_begin;01.09.2026',
      'date_end;22.09.2026',
      'PROJECTS',
      'project_id;cost;name',
      '1;1000000;Un préau',
      '2;2000000;Une piste',
      'VOTES',
      'voter_id;vote',
      '1;1,2',
      '2;7',
      '',
    ].join('\n');

  it('refuses without the permission, then answers problem+json with the line, then imports', async () => {
    const townHall = await logInAgent(t.app, 'agent.11@ville.example', DEMO_PASSWORD);
    const forbidden = await townHall.request('POST', `${API}/city/pabulib`, { json: { file: small(30_000_000) } });
    expect([forbidden.status, JSON.parse(forbidden.body).code]).toEqual([403, 'participatory-budget.forbidden']);
    const agent = await logInAgent(t.app, 'admin@ville.example', DEMO_PASSWORD);
    const before = await written();
    const bad = await agent.request('POST', `${API}/city/pabulib`, { json: { file: small(30_000_000), codePrefix: 'city-' } });
    expect(bad.status).toBe(400);
    const problem = JSON.parse(bad.body);
    expect(problem.code).toBe('participatory-budget.pabulib-invalid');
    expect(problem.errors).toEqual([
      { field: 'line.21', message: expect.stringContaining('the vote of voter "2" names project "7", which is not in PROJECTS') },
    ]);
    expect(await written()).toEqual(before);
    const good = await agent.request('POST', `${API}/city/pabulib`, {
      json: { file: small(30_000_000).replace('2;7', '2;2'), fileName: 'api.pb', codePrefix: 'city-' },
    });
    expect(good.status).toBe(201);
    expect(JSON.parse(good.body)).toEqual({
      envelope: 'city',
      projects: 2,
      ballots: 2,
      fileRule: 'greedy',
      envelopeRule: 'greedy',
      scoreThreshold: null,
    });
    const unknownField = await agent.request('POST', `${API}/75118/pabulib`, { json: { file: small(4_500_000), extra: 1 } });
    expect(unknownField.status).toBe(400);
  });
});
