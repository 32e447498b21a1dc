import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../src/kernel/db/values.js';
import { seedDemoOnce } from '../../../src/kernel/demo.js';
import { runAction } from '../../../src/kernel/workflow/transition.js';
import { createKey } from '../../../src/modules/street-reports/open311/keys.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { multipartBody } from '../../support/multipart.js';
import { fileReport, MONTREUIL, PARIS_11, POTHOLE } from './support.js';

/** A tiny XML reader for the API's answers: elements, text and the five entities; anything else fails. */
interface XmlNode {
  name: string;
  children: XmlNode[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };

function parseXml(xml: string): XmlNode {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="utf-8"\?>\n/, '');
  if (body === xml) throw new Error('missing XML declaration');
  const root: XmlNode = { name: '#document', children: [], text: '' };
  const stack = [root];
  for (const [token, closing, name, selfClosing] of body.matchAll(/<(\/?)([a-z_]+)(\/?)>|[^<]+/g)) {
    const top = stack.at(-1)!;
    if (!name) {
      if (/[<>]/.test(token) || /&(?!(lt|gt|quot|apos|amp);)/.test(token)) throw new Error(`bad text ${token}`);
      top.text += token.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ENTITIES[e]!);
    } else if (closing) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
    } else {
      const node: XmlNode = { name, children: [], text: '' };
      top.children.push(node);
      if (!selfClosing) stack.push(node);
    }
  }
  if (stack.length !== 1 || root.children.length !== 1) throw new Error('unbalanced XML document');
  return root.children[0]!;
}

const kids = (node: XmlNode, name: string) => node.children.filter((c) => c.name === name);
const text = (node: XmlNode, name: string) => {
  const found = kids(node, name);
  if (found.length !== 1) throw new Error(`<${node.name}> has ${found.length} <${name}>`);
  return found[0]!.text;
};

const BASE = '/open311/v2';
const PUBLIC_URL = 'https://signalements.paris.example';
let t: TestApp;
let apiKey: string;

beforeAll(async () => {
  t = await createTestApp({ overrides: { publicUrl: PUBLIC_URL } });
  await seedDemoOnce(t.kernel);
  ({ key: apiKey } = await createKey(t.kernel.db, { actor: { kind: 'system', label: 'test' }, ip: null }, 'Test client'));
});
afterAll(() => t?.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: `${BASE}/${url}`, headers });
const postForm = (format: 'json' | 'xml', fields: Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url: `${BASE}/requests.${format}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });
const postMultipart = (format: 'json' | 'xml', fields: Record<string, string>, files: Parameters<typeof multipartBody>[1]) => {
  const { body, contentType } = multipartBody(fields, files);
  return t.app.inject({ method: 'POST', url: `${BASE}/requests.${format}`, headers: { 'content-type': contentType }, payload: body });
};
const pothole = (extra: Record<string, string> = {}) => ({
  api_key: apiKey,
  service_code: POTHOLE,
  lat: String(PARIS_11.lat),
  long: String(PARIS_11.lng),
  description: 'Nid-de-poule devant le 12',
  ...extra,
});
const reportCount = async () => (await t.kernel.db.selectFrom('street_reports').select('id').execute()).length;

/** The standard's error body, in JSON or in XML, as one list. */
function errorsOf(res: { headers: Record<string, unknown>; body: string }): { code: number; description: string }[] {
  if (String(res.headers['content-type']).startsWith('text/xml')) {
    const root = parseXml(res.body);
    expect(root.name).toBe('errors');
    return kids(root, 'error').map((e) => ({ code: Number(text(e, 'code')), description: text(e, 'description') }));
  }
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return JSON.parse(res.body);
}

describe('Open311 discovery and services', () => {
  it('describes the endpoint in JSON and XML', async () => {
    const json = await get('discovery.json');
    expect(json.statusCode).toBe(200);
    const d = JSON.parse(json.body);
    expect(d.endpoints[0]).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      url: `${PUBLIC_URL}/open311/v2`,
      type: 'production',
    });
    expect(d.endpoints[0].formats).toEqual(['text/xml', 'application/json']);
    const xml = await get('discovery.xml');
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    const root = parseXml(xml.body);
    expect(root.name).toBe('discovery');
    const endpoint = kids(kids(root, 'endpoints')[0]!, 'endpoint')[0]!;
    expect(text(endpoint, 'url')).toBe(`${PUBLIC_URL}/open311/v2`);
    expect(kids(kids(endpoint, 'formats')[0]!, 'format').map((f) => f.text)).toEqual(['text/xml', 'application/json']);
    expect(text(root, 'key_service')).toContain('@');
  });

  it('lists the categories residents may use as services, with their group, in the client’s language', async () => {
    const services = JSON.parse((await get('services.json', { 'accept-language': 'en' })).body) as Record<string, unknown>[];
    const hole = services.find((s) => s.service_code === POTHOLE);
    expect(hole).toMatchObject({ metadata: false, type: 'realtime', group: 'Roads and public space' });
    expect(String(hole?.keywords)).toContain('Voirie et espace public');
    expect(services.every((s) => typeof s.service_name === 'string' && s.service_name)).toBe(true);
    // Agent-only categories are not offered.
    const agentOnly = [...(await import('../../../src/modules/street-reports/domain/settings.js')).categoriesOf(t.kernel).leaves].filter(
      (l) => l.agentOnly,
    );
    expect(agentOnly.length).toBeGreaterThan(0);
    expect(services.some((s) => agentOnly.some((l) => l.code === s.service_code))).toBe(false);

    const root = parseXml((await get('services.xml')).body);
    expect(root.name).toBe('services');
    const entries = kids(root, 'service');
    expect(entries).toHaveLength(services.length);
    const xmlHole = entries.find((s) => text(s, 'service_code') === POTHOLE)!;
    expect(text(xmlHole, 'group')).toBe('Voirie et espace public');
    expect(text(xmlHole, 'metadata')).toBe('false');
  });

  it('gives a service’s definition (no questions yet) and 404 for an unknown service', async () => {
    expect(JSON.parse((await get(`services/${POTHOLE}.json`)).body)).toEqual({ service_code: POTHOLE, attributes: [] });
    const def = parseXml((await get(`services/${POTHOLE}.xml`)).body);
    expect(def.name).toBe('service_definition');
    expect(text(def, 'service_code')).toBe(POTHOLE);
    expect(kids(kids(def, 'attributes')[0]!, 'attribute')).toEqual([]);
    for (const format of ['json', 'xml']) {
      const missing = await get(`services/nothing-here.${format}`);
      expect(missing.statusCode).toBe(404);
      expect(errorsOf(missing)).toEqual([{ code: 404, description: expect.stringContaining('nothing-here') }]);
    }
    expect((await get(`services/${POTHOLE}.csv`)).statusCode).toBe(404);
  });
});

describe('posting a request', () => {
  it('files a report with a photo sent as multipart `media`, stored without its GPS position, and reads it back in JSON and XML', async () => {
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#a33' } })
      .jpeg()
      .withExif({ IFD0: { Make: 'Phone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2700/100' } })
      .toBuffer();
    const res = await postMultipart('json', pothole({ email: 'lea@example.org', first_name: 'Léa', account_id: 'client-42' }), [
      { name: 'media', filename: 'hole.jpg', type: 'image/jpeg', data: jpeg },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    const [answer] = JSON.parse(res.body);
    expect(answer.service_request_id).toMatch(/^O-\d{6}-\d{6}$/);
    expect(answer.account_id).toBe('client-42');
    expect(answer.service_notice).toMatch(/Mairie/);

    const [record] = JSON.parse((await get(`requests/${answer.service_request_id}.json`)).body);
    expect(record).toMatchObject({
      service_request_id: answer.service_request_id,
      status: 'open',
      status_notes: 'Nouveau',
      service_code: POTHOLE,
      description: 'Nid-de-poule devant le 12',
      lat: PARIS_11.lat,
      long: PARIS_11.lng,
    });
    expect(record.agency_responsible).toContain('Mairie');
    expect(record.requested_datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(record.media_url).toMatch(new RegExp(`^${PUBLIC_URL}/files/[0-9a-f]{28}$`));
    const photo = await t.app.inject({ method: 'GET', url: new URL(record.media_url).pathname });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toMatch(/^image\/jpeg/);
    expect((await sharp(photo.rawPayload).metadata()).exif).toBeUndefined();
    // The reporter's contact is kept for agents, never in the public record.
    expect(JSON.stringify(record)).not.toContain('lea@example.org');
    const contact = await t.kernel.db
      .selectFrom('street_report_open311_requests as o')
      .innerJoin('street_reports as r', 'r.id', 'o.report_id')
      .selectAll('o')
      .where('r.reference', '=', answer.service_request_id)
      .executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ email: 'lea@example.org', first_name: 'Léa', account_ref: 'client-42' });

    const xml = parseXml((await get(`requests/${answer.service_request_id}.xml`)).body);
    expect(xml.name).toBe('service_requests');
    const [request] = kids(xml, 'request');
    expect(text(request!, 'service_request_id')).toBe(answer.service_request_id);
    expect(text(request!, 'media_url')).toBe(record.media_url);
    expect(text(request!, 'status')).toBe('open');
    expect(Number(text(request!, 'long'))).toBe(PARIS_11.lng);
    expect(text(request!, 'address_id')).toBe('');
  });

  it('answers a form-encoded post in XML, escaping what the resident wrote', async () => {
    const res = await postForm(
      'xml',
      pothole({ description: 'Trou <profond> & "dangereux" l’hiver', address_string: '12 rue de la Roquette, 75011 Paris' }),
    );
    expect(res.statusCode, res.body).toBe(200);
    const id = text(kids(parseXml(res.body), 'request')[0]!, 'service_request_id');
    const token = await get(`tokens/${id}.json`);
    expect(JSON.parse(token.body)).toEqual([{ service_request_id: id, token: id }]);
    const record = kids(parseXml((await get(`requests/${id}.xml`)).body), 'request')[0]!;
    expect(text(record, 'description')).toBe('Trou <profond> & "dangereux" l’hiver');
    expect(text(record, 'zipcode')).toBe('75011');
    expect(text(record, 'address')).toBe('12 rue de la Roquette, 75011 Paris');
  });

  it('refuses a missing, unknown or revoked api_key with 403 and the standard body, in both formats', async () => {
    const before = await reportCount();
    for (const format of ['json', 'xml'] as const) {
      for (const key of ['', 'o311_not-a-key', 'anything']) {
        const res = await postForm(format, pothole({ api_key: key }));
        expect(res.statusCode).toBe(403);
        expect(errorsOf(res)).toEqual([{ code: 403, description: expect.stringContaining('api_key') }]);
      }
    }
    const { revokeKey } = await import('../../../src/modules/street-reports/open311/keys.js');
    const { key } = await createKey(t.kernel.db, { actor: { kind: 'system', label: 'test' }, ip: null }, 'Old app');
    await revokeKey(t.kernel.db, { actor: { kind: 'system', label: 'test' }, ip: null }, 'Old app');
    expect((await postForm('json', pothole({ api_key: key }))).statusCode).toBe(403);
    expect(await reportCount()).toBe(before);
  });

  it('refuses an unknown service, a point outside the city, a 5,000-character description and a fake image with 400, storing nothing', async () => {
    const before = await reportCount();
    const files = async () => (await t.kernel.db.selectFrom('files').select('id').execute()).length;
    const filesBefore = await files();
    const cases: [Record<string, string>, RegExp][] = [
      [{ service_code: 'no-such-service' }, /service_code/],
      [{ service_code: '' }, /service_code: is required/],
      [{ lat: String(MONTREUIL.lat), long: String(MONTREUIL.lng) }, /hors de la ville/],
      [{ lat: '91', long: '2.3' }, /lat, long/],
      [{ lat: '', long: '', address_string: '12 rue de Rivoli' }, /lat et long/],
      [{ description: 'x'.repeat(5000) }, /4 000/],
      [{ email: 'not an address' }, /email/],
      [{ 'attribute[colour]': 'red' }, /attribute\[colour\]/],
    ];
    for (const [fields, description] of cases) {
      for (const format of ['json', 'xml'] as const) {
        const res = await postForm(format, pothole(fields));
        expect(res.statusCode, JSON.stringify(fields)).toBe(400);
        const errors = errorsOf(res);
        expect(errors.every((e) => e.code === 400)).toBe(true);
        expect(errors.map((e) => e.description).join(' ')).toMatch(description);
      }
    }
    const fake = await postMultipart('xml', pothole(), [
      { name: 'media', filename: 'photo.jpg', type: 'image/jpeg', data: Buffer.from('GIF89a? no, just text pretending to be a photo') },
    ]);
    expect(fake.statusCode).toBe(400);
    expect(errorsOf(fake)[0]?.code).toBe(400);
    const pdf = await postMultipart('json', pothole(), [
      {
        name: 'media',
        filename: 'a.pdf',
        type: 'application/pdf',
        data: Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
      },
    ]);
    expect(pdf.statusCode).toBe(400);
    expect(await reportCount()).toBe(before);
    // Refused before any photo is read into storage, except where the photo itself is the problem.
    expect(await files()).toBeLessThanOrEqual(filesBefore + 1);
  });
});

describe('searching requests', () => {
  let ids: { id: string; reference: string; itemId: string }[] = [];
  const BENCH = 'voirie-espace.affaissement-trou-bosse-pave-arrache';
  let other: string;
  /** Just before this block's reports: the demo city's reports are older. */
  let since: string;

  beforeAll(async () => {
    const { categoriesOf } = await import('../../../src/modules/street-reports/domain/settings.js');
    other = categoriesOf(t.kernel).leaves.find((l) => !l.agentOnly && l.code !== BENCH)!.code;
    ids = [];
    since = new Date().toISOString();
    // end_date is inclusive: the reports must come strictly after `since`.
    await new Promise((r) => setTimeout(r, 3));
    for (let i = 0; i < 4; i++) {
      ids.push(await fileReport(t.kernel, { category: i === 3 ? other : BENCH, channel: 'open311' }));
      // Distinct creation times, so "newest first" has one right answer.
      await new Promise((r) => setTimeout(r, 3));
    }
    await runAction(t.kernel, 'system', ids[0]!.itemId, 'mark-duplicate');
  });

  /** Searches this block's reports (from `since`) unless the query names its own dates. */
  const list = async (query: string, format: 'json' | 'xml' = 'json') => {
    const window = /(start|end)_date=[^&]|updated_/.test(query) ? '' : `&start_date=${since}`;
    const res = await get(`requests.${format}?${query}${window}`);
    expect(res.statusCode, res.body).toBe(200);
    if (format === 'json')
      return (JSON.parse(res.body) as { service_request_id: string; status: string; status_notes: string }[]).map((r) => r);
    return kids(parseXml(res.body), 'request').map((r) => ({
      service_request_id: text(r, 'service_request_id'),
      status: text(r, 'status'),
      status_notes: text(r, 'status_notes'),
    }));
  };

  it('finds requests by id (a comma list that overrides other filters) and by service code', async () => {
    const wanted = [ids[0]!.reference, ids[3]!.reference];
    for (const format of ['json', 'xml'] as const) {
      const found = await list(`service_request_id=${wanted.join(',')}&status=open&service_code=nothing`, format);
      expect(found.map((r) => r.service_request_id).sort()).toEqual([...wanted].sort());
    }
    const byOther = await list(`service_code=${other}`);
    expect(byOther.map((r) => r.service_request_id)).toContain(ids[3]!.reference);
    expect(byOther.some((r) => r.service_request_id === ids[1]!.reference)).toBe(false);
    const both = await list(`service_code=${BENCH},${other}`);
    expect(ids.every((i) => both.some((r) => r.service_request_id === i.reference))).toBe(true);
  });

  it('filters by status, and tells the last public state in status_notes', async () => {
    const closed = await list('status=closed', 'xml');
    expect(closed.map((r) => r.service_request_id)).toEqual([ids[0]!.reference]);
    expect(closed[0]).toMatchObject({ status: 'closed', status_notes: 'Doublon' });
    const open = await list('status=open');
    expect(open.every((r) => r.status === 'open')).toBe(true);
    expect(open.some((r) => r.service_request_id === ids[0]!.reference)).toBe(false);
    // An empty parameter counts as absent.
    expect((await list(`status=&service_code=&end_date=&start_date=${since}`)).length).toBe(open.length + 1);
    expect((await get('requests.json?status=pending')).statusCode).toBe(400);
  });

  it('filters by requested date within 90 days, and refuses a wider span', async () => {
    const day = 24 * 3600 * 1000;
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const mine = (found: { service_request_id: string }[]) => found.filter((r) => ids.some((i) => i.reference === r.service_request_id));
    expect(await list(`start_date=${since}&end_date=${iso(now + day)}`)).toHaveLength(4);
    expect(mine(await list(`start_date=${iso(now - 30 * day)}&end_date=${since}`))).toEqual([]);
    // An end without a start looks 90 days back from it.
    expect(mine(await list(`end_date=${iso(now + day)}`))).toHaveLength(4);
    expect(mine(await list(`end_date=${since}`))).toEqual([]);
    for (const format of ['json', 'xml']) {
      const wide = await get(`requests.${format}?start_date=${iso(now - 100 * day)}&end_date=${iso(now)}`);
      expect(wide.statusCode).toBe(400);
      expect(errorsOf(wide)[0]?.description).toMatch(/90 days/);
      expect((await get(`requests.${format}?start_date=yesterday`)).statusCode).toBe(400);
    }
  });

  it('pages through results newest first, page_size at most 1000', async () => {
    const all = await list('page_size=1000');
    const first = await list('page_size=2&page=1');
    const second = await list('page_size=2&page=2');
    expect(first.map((r) => r.service_request_id)).toEqual(all.slice(0, 2).map((r) => r.service_request_id));
    expect(second.map((r) => r.service_request_id)).toEqual(all.slice(2, 4).map((r) => r.service_request_id));
    expect(all[0]!.service_request_id).toBe(ids[3]!.reference);
    for (const bad of ['page_size=1001', 'page_size=0', 'page=-1', 'page=two'])
      expect((await get(`requests.json?${bad}`)).statusCode).toBe(400);
  });

  it('finds what changed after a moment (updated_after / updated_before)', async () => {
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    await runAction(t.kernel, 'system', ids[1]!.itemId, 'mark-duplicate');
    const changed = await list(`updated_after=${since}`, 'xml');
    expect(changed.map((r) => r.service_request_id)).toEqual([ids[1]!.reference]);
    expect((await list(`updated_before=${since}`)).some((r) => r.service_request_id === ids[1]!.reference)).toBe(false);
  });

  it('answers 404 in the standard body for an unknown request or token', async () => {
    for (const path of ['requests/W-200001-000000.json', 'requests/W-200001-000000.xml', 'tokens/nope.xml', 'nothing.json']) {
      const res = await get(path);
      expect(res.statusCode).toBe(404);
      expect(errorsOf(res)[0]?.code).toBe(404);
    }
  });
});

describe('a request’s notes and photo', () => {
  it('tells the last public step (not a later internal one), its planned date, and the first photo not redacted', async () => {
    const told = await fileReport(t.kernel, { category: POTHOLE, channel: 'open311' });
    const planned = await fileReport(t.kernel, { category: POTHOLE, channel: 'open311' });
    const later = (ms: number) => new Date(Date.now() + ms).toISOString();
    const entry = (itemId: string, action: string, from: string, to: string, at: string, comment: string | null, fields = '{}') => ({
      id: newId(),
      item_id: itemId,
      action,
      from_state: from,
      to_state: to,
      actor_id: null,
      actor_kind: 'system' as const,
      comment,
      fields,
      at,
    });
    await t.kernel.db
      .insertInto('workflow_history')
      .values([
        entry(told.itemId, 'acknowledge', 'new', 'to-treat', later(1000), 'Nous passons demain.'),
        // Internal, and later: the public still reads the step before it.
        entry(told.itemId, 'needs-requalifying', 'to-treat', 'to-requalify', later(2000), 'Mauvaise catégorie'),
        entry(planned.itemId, 'schedule', 'field-work', 'scheduled', later(1000), null, '{"planned-on":"2030-01-15"}'),
      ])
      .execute();
    const photo = (reportId: string, fileId: string, redacted: number, at: string) => ({
      id: newId(),
      report_id: reportId,
      file_id: fileId,
      kind: 'closeup',
      redacted,
      created_at: at,
    });
    const [hidden, shown, last] = [newId(), newId(), newId()];
    await t.kernel.db
      .insertInto('street_report_photos')
      .values([photo(told.id, hidden, 1, later(1)), photo(told.id, shown, 0, later(2)), photo(told.id, last, 0, later(3))])
      .execute();

    const res = await get(`requests.json?service_request_id=${told.reference},${planned.reference}`);
    expect(res.statusCode, res.body).toBe(200);
    const byId = new Map((JSON.parse(res.body) as Record<string, unknown>[]).map((r) => [r.service_request_id, r]));
    expect(byId.get(told.reference)).toMatchObject({
      status_notes: 'Nous passons demain.',
      expected_datetime: null,
      media_url: `${PUBLIC_URL}/files/${shown}`,
    });
    expect(byId.get(planned.reference)).toMatchObject({
      status_notes: 'Intervention programmée',
      expected_datetime: '2030-01-15T00:00:00.000Z',
      media_url: null,
    });
  });
});
