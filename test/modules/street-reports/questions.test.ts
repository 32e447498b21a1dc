import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../../src/kernel/demo.js';
import { categoriesFromCsv } from '../../../src/modules/street-reports/domain/categories.js';
import { applyCategoryConfig, checkAnswers } from '../../../src/modules/street-reports/domain/questions.js';
import { categoriesOf } from '../../../src/modules/street-reports/domain/settings.js';
import { createKey } from '../../../src/modules/street-reports/open311/keys.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { createCitizen, sessionCookie } from '../../support/identity.js';
import { signedIn } from './back-office-support.js';
import { FormWalker, photoWithGps } from './public-support.js';
import { PARIS_11 } from './support.js';

/** Paris's configuration (cities/paris/street-report-categories.json) asks these. */
const LIGHT_OUT = 'eclairage-electricite.eclairage-public-eteint-nuit';
const BULKY = 'objets-abandonnes.autres-objets-encombrants-abandonnes';
const POST_BOX = 'mobiliers-urbains.boite-aux-lettres-poste-deterioree';

let t: TestApp;
let apiKey: string;
let photo: Buffer;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemoOnce(t.kernel);
  ({ key: apiKey } = await createKey(t.kernel.db, { actor: { kind: 'system', label: 'test' }, ip: null }, 'Questions client'));
  photo = await photoWithGps();
});
afterAll(() => t?.close());

const reportCount = async () => (await t.kernel.db.selectFrom('street_reports').select('id').execute()).length;
const answersOf = async (id: string) =>
  JSON.parse((await t.kernel.db.selectFrom('street_reports').select('answers').where('id', '=', id).executeTakeFirstOrThrow()).answers);

describe('the category configuration', () => {
  const csv = 'type,soustype,count\nÉclairage,Lampe éteinte,3\nÉclairage,Lampe cassée,1\n';

  it('adds questions, "handled elsewhere" and anonymity to leaves, checked at start', () => {
    const tree = categoriesFromCsv(csv);
    const [out, broken] = tree.leaves;
    applyCategoryConfig(
      tree,
      {
        $comment: 'ignored',
        [out!.code]: { questions: [{ type: 'yesno', code: 'night', label: { fr: 'La nuit ?', en: 'At night?' }, required: true }] },
        [broken!.code]: { elsewhere: { fr: 'Appelez Enedis.', en: 'Call Enedis.' }, anonymousAllowed: false },
      },
      'test.json',
    );
    expect(out!.questions).toHaveLength(1);
    expect(broken!.elsewhere?.en).toBe('Call Enedis.');
    expect(broken!.anonymousAllowed).toBe(false);
    expect(checkAnswers(out!, {}).errors.map((e) => [e.field, e.code])).toEqual([['night', 'required']]);
    expect(checkAnswers(out!, { night: 'yes' })).toEqual({ answers: { night: true }, errors: [] });
  });

  it('refuses a code that is not a leaf, an unknown key, a bad question and a photo question, naming the file', () => {
    const tree = () => categoriesFromCsv(csv);
    const leaf = tree().leaves[0]!.code;
    expect(() => applyCategoryConfig(tree(), { nowhere: {} }, 'city.json')).toThrow(/city\.json: "nowhere" is not a category/);
    expect(() => applyCategoryConfig(tree(), { eclairage: { questions: [] } }, 'city.json')).toThrow(/"eclairage" has sub-categories/);
    expect(() => applyCategoryConfig(tree(), { eclairage: { icon: 'unicorn' } }, 'city.json')).toThrow(/city\.json: invalid/);
    expect(() => applyCategoryConfig(tree(), { [leaf]: { colour: 'red' } }, 'city.json')).toThrow(/city\.json: invalid/);
    expect(() =>
      applyCategoryConfig(tree(), { [leaf]: { questions: [{ type: 'choice', code: 'x', label: { fr: 'X', en: 'X' } }] } }, 'c.json'),
    ).toThrow(/questions of ".*": .*options/s);
    expect(() =>
      applyCategoryConfig(tree(), { [leaf]: { questions: [{ type: 'photo', code: 'p', label: { fr: 'P', en: 'P' } }] } }, 'c.json'),
    ).toThrow(/type "photo" cannot be asked here/);
  });

  it('is Paris’s: questions on lighting and bulky items, post boxes sent to La Poste', () => {
    const tree = categoriesOf(t.kernel);
    expect(tree.byCode.get(LIGHT_OUT)?.questions?.map((q) => q.code)).toEqual(['extent', 'pole']);
    expect(tree.byCode.get(BULKY)?.questions?.map((q) => q.code)).toEqual(['volume', 'kinds']);
    expect(tree.byCode.get(POST_BOX)?.elsewhere?.fr).toMatch(/La Poste/);
    expect(tree.roots.map((r) => r.icon)).not.toContain(undefined);
    expect(tree.byCode.get('eclairage-electricite')?.icon).toBe('lighting');
  });
});

describe('questions on the web form', () => {
  it('asks them with the details, refuses a missing answer, then stores the typed answers', async () => {
    const account = await createCitizen(t.kernel, { email: 'questions@example.org' });
    const walker = new FormWalker(t.app, await sessionCookie(t.kernel, account));
    await walker.start();
    await walker.post('category', { go: 'next', category: LIGHT_OUT });
    await walker.post('place', { go: 'coords', lat: '48.8612', lng: '2.3768' });
    const details = await walker.post('place', { go: 'next' });
    const page =
      details.statusCode === 200 && details.body.includes('name="extent"') ? details : await walker.post('nearby', { go: 'next' });
    expect(page.body).toContain('Combien de lampadaires sont éteints ?');
    expect(page.body).toContain('name="pole"');

    const before = await reportCount();
    const missing = await walker.send({ go: 'next', pole: '13-0452' }, [
      { name: 'photos', filename: 'nuit.jpg', type: 'image/jpeg', data: photo },
    ]);
    expect(missing.statusCode).toBe(400);
    // The error summary links to the question, and what was typed is kept.
    expect(missing.body).toMatch(/href="#extent"/);
    expect(missing.body).toContain('value="13-0452"');
    expect(await reportCount()).toBe(before);

    // The photo stored at the first attempt travels in the draft.
    const sent = await walker.send({ go: 'next', extent: 'several', pole: '13-0452' });
    expect(sent.statusCode).toBe(303);
    const id = String(sent.headers.location).split('/')[2]!.split('?')[0]!;
    expect(await answersOf(id)).toEqual({ extent: 'several', pole: '13-0452' });

    // Her dashboard names the category in her language, and her receipt quotes the reference.
    const english = await t.app.inject({ url: '/account/demands?lang=en', headers: { cookie: await sessionCookie(t.kernel, account) } });
    expect(english.body).toContain('Street lighting off at night');
    const receipt = await t.kernel.db
      .selectFrom('notifications')
      .select('subject')
      .where('account_id', '=', account)
      .where('template_code', '=', 'street-reports.received')
      .where('channel', '=', 'email')
      .executeTakeFirstOrThrow();
    expect(receipt.subject).toMatch(/^Signalement W-\d{6}-\d{6} reçu$/);
    // The 11th's agent reads the answers with the questions' labels.
    const agent = await signedIn(t, 'agent.11@ville.example');
    const agentPage = await agent.get(`/admin/reports/${id}`);
    expect(agentPage.status).toBe(200);
    expect(agentPage.body).toContain('Combien de lampadaires sont éteints ?');
    expect(agentPage.body).toContain('Plusieurs dans la rue');
  });

  it('does not carry answers over to another category', async () => {
    const walker = new FormWalker(t.app);
    await walker.start();
    await walker.post('category', { go: 'next', category: LIGHT_OUT });
    await walker.post('place', { go: 'back' });
    const place = await walker.post('category', { go: 'next', category: BULKY });
    expect(place.statusCode).toBe(200);
    await walker.post('place', { go: 'coords', lat: '48.8301', lng: '2.3522' });
    const next = await walker.post('place', { go: 'next' });
    const details = next.body.includes('name="volume"') ? next : await walker.post('nearby', { go: 'next' });
    expect(details.body).toContain('name="volume"');
    expect(details.body).not.toContain('name="extent"');
  });

  it('sends a resident elsewhere for a category the city does not handle', async () => {
    const walker = new FormWalker(t.app);
    await walker.start();
    const refused = await walker.post('category', { go: 'next', category: POST_BOX });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('laposte.fr');
  });
});

describe('questions in the mobile API', () => {
  const file = (answers?: Record<string, unknown>, session?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/street-reports',
      headers: session ? { cookie: session } : {},
      payload: { category: BULKY, lat: PARIS_11.lat, lng: PARIS_11.lng, description: 'Un canapé', ...(answers ? { answers } : {}) },
    });

  it('lists the questions with the category and checks the answers', async () => {
    const tree = (await t.app.inject({ url: '/api/v1/street-reports/categories' })).json() as { code: string; children: unknown[] }[];
    const find = (
      nodes: { code: string; questions?: { code: string }[]; children: unknown[] }[],
    ): { questions?: { code: string }[] } | undefined => nodes.map((n) => (n.code === BULKY ? n : find(n.children as never))).find(Boolean);
    expect(find(tree as never)?.questions?.map((q) => q.code)).toEqual(['volume', 'kinds']);

    const session = await sessionCookie(t.kernel, await createCitizen(t.kernel, { email: 'app-questions@example.org' }));
    const before = await reportCount();
    const missing = await file(undefined, session);
    expect(missing.statusCode).toBe(400);
    expect(missing.headers['content-type']).toMatch(/problem\+json/);
    expect(missing.json().errors ?? missing.json().fields).toEqual([{ field: 'answers.volume', message: 'forms.error.required' }]);
    const unknownAndWrong = await file({ volume: 'huge', colour: 'red' }, session);
    expect(unknownAndWrong.statusCode).toBe(400);
    expect(JSON.stringify(unknownAndWrong.json())).toMatch(/answers\.volume.*answers\.colour/);
    expect(await reportCount()).toBe(before);

    const created = await file({ volume: 'medium', kinds: ['mattress', 'furniture'] }, session);
    expect(created.statusCode).toBe(201);
    expect(await answersOf(created.json().id)).toEqual({ volume: 'medium', kinds: ['furniture', 'mattress'] });
  });
});

describe('questions as Open311 attributes', () => {
  const post = (fields: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        api_key: apiKey,
        service_code: LIGHT_OUT,
        lat: String(PARIS_11.lat),
        long: String(PARIS_11.lng),
        description: 'Rue dans le noir',
        ...fields,
      }).toString(),
    });

  it('describes them, refuses a missing required attribute with the standard’s error, and stores the answers', async () => {
    const services = (await t.app.inject({ url: '/open311/v2/services.json' })).json() as { service_code: string; metadata: boolean }[];
    expect(services.find((s) => s.service_code === LIGHT_OUT)?.metadata).toBe(true);
    expect(services.some((s) => s.service_code === POST_BOX)).toBe(false);
    const definition = (await t.app.inject({ url: `/open311/v2/services/${LIGHT_OUT}.json` })).json();
    expect(
      definition.attributes.map((a: { code: string; required: boolean; datatype: string }) => [a.code, a.required, a.datatype]),
    ).toEqual([
      ['extent', true, 'singlevaluelist'],
      ['pole', false, 'string'],
    ]);

    const before = await reportCount();
    const missing = await post({});
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toEqual([{ code: 400, description: expect.stringMatching(/^attribute\[extent\]: /) }]);
    expect(await reportCount()).toBe(before);

    const created = await post({ 'attribute[extent]': 'street', 'attribute[pole]': '11-0001' });
    expect(created.statusCode).toBe(200);
    const [{ service_request_id }] = created.json();
    const row = await t.kernel.db
      .selectFrom('street_reports')
      .select('answers')
      .where('reference', '=', service_request_id)
      .executeTakeFirst();
    expect(JSON.parse(row?.answers ?? '{}')).toEqual({ extent: 'street', pole: '11-0001' });
  });
});
