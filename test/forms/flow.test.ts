import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromJson } from '../../src/kernel/db/values.js';
import { draftFileOwner, draftsOf, eraseDraftsOf, expireDrafts, loadDraft, saveDraft } from '../../src/kernel/forms/drafts.js';
import { catalogue } from '../../src/modules/catalogue.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { csrfCookieAndToken } from '../support/csrf.js';
import { createCitizen, sessionCookie } from '../support/identity.js';
import { multipartBody } from '../support/multipart.js';
import { formsTestModule, pngFixture, type Submission } from './fixture-module.js';

const BASE = '/forms-test/transport';
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ catalogue: [...catalogue, formsTestModule], overrides: { modules: ['pages', 'forms-test'] } });
});
afterAll(async () => {
  await t?.close();
});

/** A signed-in resident with the cookies and CSRF token a browser would hold. */
async function resident(email: string) {
  const accountId = await createCitizen(t.kernel, { email });
  const session = await sessionCookie(t.kernel, accountId);
  const { cookie, token } = await csrfCookieAndToken(t.app, { url: `${BASE}/steps/applicant`, headers: { cookie: session } });
  const cookies = `${session}; ${cookie}`;
  const post = (url: string, fields: Record<string, string | string[]>) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(
        Object.entries({ _csrf: token, ...fields }).flatMap(([k, v]) => [v].flat().map((x) => [k, x] as [string, string])),
      ).toString(),
    });
  const postMultipart = (
    url: string,
    fields: Record<string, string>,
    files: { name: string; filename: string; type: string; data: Buffer }[],
  ) => {
    const { body, contentType } = multipartBody({ _csrf: token, ...fields }, files);
    return t.app.inject({
      method: 'POST',
      url,
      headers: { cookie: cookies, 'content-type': contentType },
      payload: body,
    });
  };
  const get = (url: string) => t.app.inject({ url, headers: { cookie: cookies, accept: 'text/html' } });
  const draft = () => loadDraft(t.kernel.db, { accountId, formCode: 'forms-test:transport', subject: null });
  return { accountId, post, postMultipart, get, draft };
}

describe('a multi-step form mounted by a module', () => {
  it('asks a visitor to sign in first', async () => {
    const res = await t.app.inject({ url: `${BASE}/steps/applicant`, headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/login\?next=/);
  });

  it('walks the steps, keeps a draft after errors and a refused upload, and sends typed answers', async () => {
    const r = await resident('walker@example.fr');
    const start = await r.get(BASE);
    expect(start.statusCode).toBe(303);
    expect(start.headers.location).toBe(`${BASE}/steps/applicant`);
    const first = await r.get(`${BASE}/steps/applicant`);
    expect(first.body).toContain('Étape 1 sur 2');

    // Mistakes: the page comes back with the summary linked to each field, and what was typed is kept.
    const wrong = await r.post(`${BASE}/steps/applicant`, { given_name: 'Ada', email: 'not-an-email', unknown_field: 'dropped' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('href="#email"');
    expect(wrong.body).toContain('href="#has_children"');
    expect(wrong.body).toContain('value="Ada"');
    const kept = await r.draft();
    expect(kept?.data).toMatchObject({ given_name: 'Ada', email: 'not-an-email' });
    expect(kept?.data).not.toHaveProperty('unknown_field');
    expect(kept?.step).toBe('applicant');

    // Corrected, with children: the conditional step comes next; a row is added without JavaScript.
    const ok = await r.post(`${BASE}/steps/applicant`, { given_name: 'Ada', email: 'ADA@example.fr', has_children: 'yes' });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`${BASE}/steps/children`);
    const added = await r.post(`${BASE}/steps/children`, {
      'children.rows': '1',
      'children.0.name': 'Léa',
      'children.0.birth_date': '2017-05-02',
      _action: 'add-row:children',
    });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(`${BASE}/steps/children#children.1.name`);
    const twoRows = await r.get(`${BASE}/steps/children`);
    expect(twoRows.body).toContain('Enfant 2');
    expect(twoRows.body).toContain('value="Léa"');
    const rowError = await r.post(`${BASE}/steps/children`, {
      'children.rows': '2',
      'children.0.name': 'Léa',
      'children.0.birth_date': '2017-05-02',
      'children.0.contract': '1234',
      'children.1.name': '',
      'children.1.birth_date': '',
    });
    expect(rowError.statusCode).toBe(400);
    expect(rowError.body).toContain('Enfant 1 – Numéro de contrat du passe : Écrivez les 8 chiffres du contrat.');
    const children = await r.post(`${BASE}/steps/children`, {
      'children.rows': '2',
      'children.0.name': 'Léa',
      'children.0.birth_date': '02/05/2017',
      'children.0.contract': '12345678',
    });
    expect(children.headers.location).toBe(`${BASE}/steps/payment`);

    // A refused upload (not an image) and a wrong IBAN: nothing typed is lost.
    const refused = await r.postMultipart(`${BASE}/steps/payment`, { iban: 'FR76 3000 6000 0112 3456 7890 188', amount: '24' }, [
      { name: 'proof.upload', filename: 'notes.txt', type: 'text/plain', data: Buffer.from('plain text, not a picture') },
    ]);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('« notes.txt » n’a pas pu être lu');
    expect((await r.draft())?.data).toMatchObject({ iban: 'FR76 3000 6000 0112 3456 7890 188', amount: '24' });

    const png = await pngFixture();
    const uploaded = await r.postMultipart(`${BASE}/steps/payment`, { iban: 'FR76 3000 6000 0112 3456 7890 188', amount: '24,5' }, [
      { name: 'proof.upload', filename: 'justificatif.png', type: 'image/png', data: png },
    ]);
    expect(uploaded.statusCode).toBe(400);
    expect(uploaded.body).toContain('Cet IBAN comporte une erreur de saisie');
    const withFile = await r.draft();
    expect(withFile?.fileIds).toHaveLength(1);
    const fileRow = await t.kernel.db.selectFrom('files').selectAll().where('id', '=', withFile!.fileIds[0]!).executeTakeFirstOrThrow();
    expect(fileRow.owner).toBe(draftFileOwner(withFile!.id));
    expect(uploaded.body).toContain('justificatif.png');

    // The same-step condition: custody details are asked only when custody is shared.
    const fixed = await r.post(`${BASE}/steps/payment`, {
      iban: 'FR76 3000 6000 0112 3456 7890 189',
      amount: '24,5',
      shared_custody: 'no',
      custody_note: 'ignored because custody is not shared',
    });
    expect(fixed.statusCode).toBe(303);
    expect(fixed.headers.location).toBe(`${BASE}/summary`);

    const summary = await r.get(`${BASE}/summary`);
    expect(summary.statusCode).toBe(200);
    expect(summary.body).toContain('Vérifiez vos réponses avant d’envoyer');
    expect(summary.body).toContain('FR76 3000 6000 0112 3456 7890 189');
    expect(summary.body).toContain('24,50');
    expect(summary.body).toContain('justificatif.png');
    expect(summary.body).toContain(`href="${BASE}/steps/payment?return=summary#iban"`);
    expect(summary.body).not.toContain('Précisez l’organisation de la garde');

    const sent = await r.post(`${BASE}/submit`, {});
    expect(sent.statusCode).toBe(303);
    const id = /\/forms-test\/done\/(\w+)$/.exec(sent.headers.location as string)?.[1];
    expect(id).toBeTruthy();
    const row = (await (t.kernel.db as any)
      .selectFrom('forms_test_submissions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()) as Submission;
    expect(row.account_id).toBe(r.accountId);
    expect(fromJson(row.data, {})).toEqual({
      given_name: 'Ada',
      email: 'ada@example.fr',
      has_children: true,
      children: [{ name: 'Léa', birth_date: '2017-05-02', contract: '12345678' }],
      iban: 'FR7630006000011234567890189',
      amount: '24.50',
      proof: [{ id: fileRow.id, name: 'justificatif.png', mime: fileRow.mime, size: fileRow.size }],
      shared_custody: false,
    });
    const attached = await t.kernel.files.get(fileRow.id);
    expect(attached?.owner).toBe(`forms-test:submission:${id}`);
    expect(await r.draft()).toBeNull();
    // Sent twice (a double click): the second finds no draft and changes nothing.
    const again = await r.post(`${BASE}/submit`, {});
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(BASE);
    expect(await (t.kernel.db as any).selectFrom('forms_test_submissions').selectAll().execute()).toHaveLength(1);
  });

  it('skips a step whose condition does not hold, and sends back to the first missing answer', async () => {
    const r = await resident('skipper@example.fr');
    const res = await r.post(`${BASE}/steps/applicant`, { given_name: 'Bo', email: 'bo@example.fr', has_children: 'no' });
    expect(res.headers.location).toBe(`${BASE}/steps/payment`);
    const payment = await r.get(`${BASE}/steps/payment`);
    expect(payment.body).toContain('Étape 2 sur 2');
    expect(payment.body).toContain('enctype="multipart/form-data"');
    // The custody note depends on an answer of the same page: it is shown with its condition read out.
    expect(payment.body).toContain('Seulement si la réponse à « Garde alternée ? » est « Oui ».');
    const summary = await r.get(`${BASE}/summary`);
    expect(summary.statusCode).toBe(303);
    expect(summary.headers.location).toBe(`${BASE}/steps/payment?check=1`);
    const check = await r.get(`${BASE}/steps/payment?check=1`);
    expect(check.body).toContain('href="#iban"');
    const saved = await r.post(`${BASE}/steps/payment`, { iban: 'FR76', _action: 'save' });
    expect(saved.headers.location).toBe(`${BASE}/steps/payment?saved=1`);
    expect((await r.get(saved.headers.location as string)).body).toContain('Vos réponses sont enregistrées jusqu’au');
    expect((await r.draft())?.data.iban).toBe('FR76');
    const discarded = await r.post(`${BASE}/discard`, {});
    expect(discarded.headers.location).toBe(BASE);
    expect(await r.draft()).toBeNull();
  });

  it('refuses a post without its CSRF token and an unknown step', async () => {
    const r = await resident('csrf@example.fr');
    const accountId = r.accountId;
    const session = await sessionCookie(t.kernel, accountId);
    const forged = await t.app.inject({
      method: 'POST',
      url: `${BASE}/steps/applicant`,
      headers: { cookie: session, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'given_name=Mallory',
    });
    expect(forged.statusCode).toBe(403);
    expect(await r.draft()).toBeNull();
    expect((await r.get(`${BASE}/steps/nope`)).statusCode).toBe(404);
  });

  it('deletes drafts past their expiry and lets their uploads go', async () => {
    const r = await resident('expiry@example.fr');
    await r.postMultipart(`${BASE}/steps/payment`, { iban: '' }, [
      { name: 'proof.upload', filename: 'proof.png', type: 'image/png', data: await pngFixture() },
    ]);
    const draft = await r.draft();
    expect(draft?.fileIds).toHaveLength(1);
    expect(await expireDrafts(t.kernel.db, new Date(Date.now() + 89 * 24 * 3600 * 1000))).toBe(0);
    expect(await expireDrafts(t.kernel.db, new Date(Date.now() + 91 * 24 * 3600 * 1000))).toBeGreaterThanOrEqual(1);
    expect(await r.draft()).toBeNull();
    expect((await t.kernel.files.get(draft!.fileIds[0]!))?.owner).toBeNull();
  });

  it('keeps one draft per person, form and subject, and erases the drafts of a person', async () => {
    const accountId = await createCitizen(t.kernel, { email: 'drafts@example.fr' });
    const key = { accountId, formCode: 'forms-test:transport', subject: null };
    const forApplication = { ...key, subject: 'procedures:application:42' };
    const content = { formVersion: 1, step: 'applicant', data: { given_name: 'Ada' }, fileIds: [] };
    const first = await saveDraft(t.kernel.db, key, content);
    const again = await saveDraft(t.kernel.db, key, { ...content, data: { given_name: 'Ada L.' } });
    expect(again.id).toBe(first.id);
    expect(again.createdAt).toBe(first.createdAt);
    await saveDraft(t.kernel.db, forApplication, { ...content, step: 'payment' });
    expect((await loadDraft(t.kernel.db, key))?.data).toEqual({ given_name: 'Ada L.' });
    expect((await loadDraft(t.kernel.db, forApplication))?.step).toBe('payment');
    expect(await draftsOf(t.kernel.db, accountId)).toHaveLength(2);
    await eraseDraftsOf(t.kernel.db, accountId);
    expect(await draftsOf(t.kernel.db, accountId)).toEqual([]);
  });
});
