import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../../src/kernel/demo.js';
import { cityView, projection } from '../../../src/kernel/geo/map.js';
import { categoriesOf } from '../../../src/modules/street-reports/domain/settings.js';
import { FORM_MAP_WIDTH } from '../../../src/modules/street-reports/routes/public-form.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { createCitizen, sessionCookie } from '../../support/identity.js';
import { FormWalker, photoWithGps } from './public-support.js';
import { fileReport, MONTREUIL, PARIS_11, POTHOLE } from './support.js';

/** A fake of the national address API on loopback: it answers, fails, or hangs as the test says. */
let geocoderMode: 'ok' | 'fail' | 'hang' = 'ok';
const geocoderQueries: string[] = [];
let geocoder: Server;

let t: TestApp;
let photo: Buffer;

beforeAll(async () => {
  geocoder = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    geocoderQueries.push(url.searchParams.get('q') ?? '');
    if (geocoderMode === 'hang') return;
    if (geocoderMode === 'fail') {
      res.writeHead(502).end('bad gateway');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            geometry: { type: 'Point', coordinates: [2.3795, 48.8575] },
            properties: { label: '2 Place Léon Blum 75011 Paris', postcode: '75011' },
          },
          { geometry: { type: 'Point', coordinates: [2.4436, 48.8611] }, properties: { label: '2 Place Léon Blum 93100 Montreuil' } },
          { geometry: { type: 'Point', coordinates: 'nonsense' }, properties: { label: 'broken' } },
        ],
      }),
    );
  });
  await new Promise<void>((resolve) => geocoder.listen(0, '127.0.0.1', resolve));
  const port = (geocoder.address() as AddressInfo).port;
  t = await createTestApp({ overrides: { geocoder: { url: `http://127.0.0.1:${port}/search/`, enabled: true, timeoutMs: 300 } } });
  await seedDemoOnce(t.kernel);
  photo = await photoWithGps();
});
afterAll(async () => {
  await t?.close();
  geocoder?.closeAllConnections();
  await new Promise((resolve) => geocoder?.close(resolve));
});

const reportCount = async () =>
  Number(
    (
      await t.kernel.db
        .selectFrom('street_reports')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** The pixel of the place step's first map where a point lies. */
function pixelOf(point: { lat: number; lng: number }) {
  const [x, y] = projection(t.kernel.districts, cityView(t.kernel.districts), FORM_MAP_WIDTH).toPixel(point);
  return { 'map.x': String(Math.round(x)), 'map.y': String(Math.round(y)) };
}

/** Far from other tests' reports, so that no duplicate is offered. */
const QUIET = { lat: 48.8399, lng: 2.2935 };

describe('the report form without JavaScript', () => {
  it('walks from the category to the confirmation, with a photo stored without its GPS position', async () => {
    const walker = new FormWalker(t.app);
    const first = await walker.start();
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('rel="manifest"');

    const search = await walker.post('category', { go: 'search', q: 'pavé arraché' });
    expect(search.body).toContain(`value="${POTHOLE}"`);

    const place = await walker.post('category', { go: 'next', category: POTHOLE });
    expect(place.statusCode).toBe(200);
    expect(place.body).toContain('type="image"');

    // A click on the city map places the point (to the map's precision) and brings the map closer.
    const clicked = await walker.post('place', pixelOf(QUIET));
    expect(clicked.statusCode).toBe(200);
    expect(clicked.body).toContain('15ème Ardt');
    expect(clicked.body).toContain('zoom=4');

    // Exact coordinates then settle it.
    await walker.post('place', { go: 'coords', lat: String(QUIET.lat), lng: String(QUIET.lng) });
    const details = await walker.post('place', { go: 'next' });
    expect(details.body).toContain('name="photos"');

    const before = await reportCount();
    const sent = await walker.send({ go: 'next', description: 'Un pavé arraché devant l’école.' }, [
      { name: 'photos', filename: 'trou.jpg', type: 'image/jpeg', data: photo },
    ]);
    expect(sent.statusCode).toBe(303);
    const location = String(sent.headers.location);
    expect(location).toMatch(/^\/reports\/[0-9a-f]{28}\?notice=sent$/);
    expect(await reportCount()).toBe(before + 1);

    const id = location.split('/')[2]!.split('?')[0]!;
    const row = await t.kernel.db.selectFrom('street_reports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      category: POTHOLE,
      channel: 'web',
      district: '75115',
      account_id: null,
      description: 'Un pavé arraché devant l’école.',
    });
    const confirmation = await t.app.inject({ url: location });
    expect(confirmation.body).toContain(row.reference);
    expect(confirmation.body).toContain('Signalement envoyé');

    const photos = await t.kernel.db.selectFrom('street_report_photos').select('file_id').where('report_id', '=', id).execute();
    expect(photos).toHaveLength(1);
    const served = await t.app.inject({ url: `/files/${photos[0]!.file_id}` });
    const meta = await sharp(served.rawPayload).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
  });

  it('refuses an unknown category, a point outside the city, a fake image and 10,000 characters, storing nothing', async () => {
    const before = await reportCount();
    const walker = new FormWalker(t.app);
    await walker.start();
    const unknown = await walker.post('category', { go: 'next', category: 'nowhere' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('Choisissez une catégorie de la liste.');
    expect(unknown.body).toContain('error-summary');

    await walker.post('category', { go: 'next', category: POTHOLE });
    const outside = await walker.post('place', { go: 'coords', lat: String(MONTREUIL.lat), lng: String(MONTREUIL.lng) });
    expect(outside.statusCode).toBe(400);
    expect(outside.body).toContain('Ce lieu est hors de la ville');
    const nonsense = await walker.post('place', { go: 'coords', lat: 'abc', lng: '2.3' });
    expect(nonsense.statusCode).toBe(400);
    expect(nonsense.body).toContain('Indiquez un lieu valide');
    // Continuing without a point is refused too.
    const noPoint = await walker.post('place', { go: 'next' });
    expect(noPoint.statusCode).toBe(400);

    await walker.post('place', { go: 'coords', lat: String(QUIET.lat), lng: String(QUIET.lng + 0.001) });
    await walker.post('place', { go: 'next' });
    const fake = await walker.send({ go: 'next', description: 'ok' }, [
      { name: 'photos', filename: 'trou.jpg', type: 'image/jpeg', data: Buffer.from('<html>not an image</html>') },
    ]);
    expect(fake.statusCode).toBe(400);
    expect(fake.body).toContain('n’est pas une image acceptée');

    const long = await walker.send({ go: 'next', description: 'x'.repeat(10_000) }, [
      { name: 'photos', filename: 'trou.jpg', type: 'image/jpeg', data: photo },
    ]);
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('La description dépasse 4 000 caractères.');
    // The photo is kept with the draft: the resident only shortens the text.
    expect(long.body).toContain('/thumb');

    const noPhoto = new FormWalker(t.app);
    await noPhoto.start();
    await noPhoto.post('category', { go: 'next', category: POTHOLE });
    await noPhoto.post('place', { go: 'coords', lat: String(QUIET.lat), lng: String(QUIET.lng + 0.002) });
    await noPhoto.post('place', { go: 'next' });
    const missing = await noPhoto.send({ go: 'next', description: 'sans photo' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Joignez au moins une photo.');

    // A tampered draft starts afresh instead of carrying unchecked values.
    walker.draft = `${walker.draft.slice(0, -4)}AAAA`;
    const tampered = await walker.send({ go: 'next', description: 'ok' }, [
      { name: 'photos', filename: 'a.jpg', type: 'image/jpeg', data: photo },
    ]);
    expect(tampered.statusCode).toBe(400);
    expect(await reportCount()).toBe(before);
  });

  it('lists open reports nearby, same category first, and lets a signed-in resident follow one instead', async () => {
    const near = { lat: 48.8661, lng: 2.3334 };
    const otherCategory = categoriesOf(t.kernel).leaves.find((l) => !l.agentOnly && l.code !== POTHOLE)!.code;
    const other = await fileReport(t.kernel, { ...near, lng: near.lng + 0.0002, category: otherCategory });
    const same = await fileReport(t.kernel, { lat: near.lat + 0.0003, lng: near.lng, category: POTHOLE });
    const far = await fileReport(t.kernel, { lat: near.lat + 0.003, lng: near.lng, category: POTHOLE });
    const accountId = await createCitizen(t.kernel, { email: 'nearby@example.org' });
    const walker = new FormWalker(t.app, await sessionCookie(t.kernel, accountId));
    await walker.start();
    await walker.post('category', { go: 'next', category: POTHOLE });
    await walker.post('place', { go: 'coords', lat: String(near.lat), lng: String(near.lng) });
    const nearby = await walker.post('place', { go: 'next' });
    expect(nearby.statusCode).toBe(200);
    expect(nearby.body).toContain(`/reports/${same.id}`);
    expect(nearby.body).toContain(`/reports/${other.id}`);
    expect(nearby.body).not.toContain(`/reports/${far.id}`);
    // The same category comes first, with its distance (about 33 m).
    expect(nearby.body.indexOf(same.id)).toBeLessThan(nearby.body.indexOf(other.id));
    expect(nearby.body).toMatch(/à 3\d m/);

    const before = await reportCount();
    const followed = await walker.follow(same.id);
    expect(followed.statusCode).toBe(303);
    expect(followed.headers.location).toBe(`/reports/${same.id}?notice=followed`);
    expect(await reportCount()).toBe(before);
    const row = await t.kernel.db.selectFrom('street_reports').select('followers').where('id', '=', same.id).executeTakeFirstOrThrow();
    expect(Number(row.followers)).toBe(1);
    // Following twice counts once; unfollowing brings it back.
    await walker.follow(same.id);
    const page = await t.app.inject({
      url: `/reports/${same.id}`,
      headers: { cookie: `${walker.cookie}; ${await sessionCookie(t.kernel, accountId)}` },
    });
    expect(page.body).toContain('Ne plus suivre');
    expect(page.body).toContain('1 personne(s)');
    await walker.follow(same.id, 'unfollow');
    const after = await t.kernel.db.selectFrom('street_report_followers').select('account_id').where('report_id', '=', same.id).execute();
    expect(after).toHaveLength(0);
    expect(
      Number(
        (await t.kernel.db.selectFrom('street_reports').select('followers').where('id', '=', same.id).executeTakeFirstOrThrow()).followers,
      ),
    ).toBe(0);

    // Going on instead of following leads to the details; anonymous visitors are asked to log in to follow.
    const details = await walker.post('nearby', { go: 'next' });
    expect(details.body).toContain('name="photos"');
    const anonymous = new FormWalker(t.app);
    await anonymous.start();
    await anonymous.post('category', { go: 'next', category: POTHOLE });
    await anonymous.post('place', { go: 'coords', lat: String(near.lat), lng: String(near.lng) });
    const asked = await anonymous.post('place', { go: 'next' });
    expect(asked.body).toContain(`/login?next=${encodeURIComponent(`/reports/${same.id}`)}`);
    expect((await anonymous.follow(same.id)).statusCode).toBe(401);
  });

  it('files a signed report as a demand of the resident, or anonymously when they choose', async () => {
    const accountId = await createCitizen(t.kernel, { email: 'signed@example.org' });
    const session = await sessionCookie(t.kernel, accountId);
    for (const identity of ['signed', 'anonymous']) {
      const walker = new FormWalker(t.app, session);
      await walker.start();
      await walker.post('category', { go: 'next', category: POTHOLE });
      await walker.post('place', { go: 'coords', lat: '48.8801', lng: String(2.3601 + (identity === 'signed' ? 0 : 0.004)) });
      await walker.post('place', { go: 'next' });
      const sent = await walker.send({ go: 'next', description: '', identity }, [
        { name: 'photos', filename: 'a.jpg', type: 'image/jpeg', data: photo },
      ]);
      expect(sent.statusCode).toBe(303);
      const id = String(sent.headers.location).split('/')[2]!.split('?')[0]!;
      const row = await t.kernel.db
        .selectFrom('street_reports')
        .select(['account_id', 'demand_id'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      if (identity === 'signed') {
        expect(row.account_id).toBe(accountId);
        expect(row.demand_id).not.toBeNull();
      } else expect(row).toEqual({ account_id: null, demand_id: null });
    }
  });
});

describe('address search', () => {
  const toPlace = async () => {
    const walker = new FormWalker(t.app);
    await walker.start();
    await walker.post('category', { go: 'next', category: POTHOLE });
    return walker;
  };

  it('offers the addresses of the city the geocoder finds, and takes the one picked', async () => {
    geocoderMode = 'ok';
    const walker = await toPlace();
    const found = await walker.post('place', { go: 'search', address: 'place Léon Blum' });
    expect(found.statusCode).toBe(200);
    expect(geocoderQueries.at(-1)).toBe('place Léon Blum');
    expect(found.body).toContain('2 Place Léon Blum 75011 Paris');
    // Outside the city, or malformed: not offered.
    expect(found.body).not.toContain('Montreuil');
    expect(found.body).not.toContain('broken');
    const picked = await walker.post('place', { pick: '48.8575,2.3795,2 Place Léon Blum 75011 Paris' });
    expect(picked.body).toContain('Lieu choisi');
    expect(picked.body).toContain('11ème Ardt');
    // A crafted pick outside the city is refused like any other point.
    const crafted = await walker.post('place', { pick: `${MONTREUIL.lat},${MONTREUIL.lng},Montreuil` });
    expect(crafted.statusCode).toBe(400);
  });

  it('says so quickly when the geocoder fails or hangs, and the map and coordinates still work', async () => {
    for (const mode of ['fail', 'hang'] as const) {
      geocoderMode = mode;
      const walker = await toPlace();
      const started = Date.now();
      const down = await walker.post('place', { go: 'search', address: 'place Léon Blum' });
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(down.statusCode).toBe(200);
      expect(down.body).toContain('La recherche d’adresse ne répond pas');
      const coords = await walker.post('place', { go: 'coords', lat: String(PARIS_11.lat), lng: String(PARIS_11.lng) });
      expect(coords.body).toContain('11ème Ardt');
    }
    geocoderMode = 'ok';
  });
});
