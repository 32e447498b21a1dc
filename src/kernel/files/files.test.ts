import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { migrate } from '../db/migrator.js';
import { inTransaction } from '../db/transaction.js';
import { filesMigrations } from './migrations.js';
import { fileRoutes } from './routes.js';
import { createFiles, type Files } from './service.js';
import { localStorage } from './storage.js';

const MAX_BYTES = 1_048_576;

let t: TestDatabase;
let files: Files;
let storageDir: string;
let app: FastifyInstance;

beforeAll(async () => {
  t = await createTestDatabase();
  await migrate(t.database, [filesMigrations]);
  storageDir = join(t.dataDir, 'files');
  files = createFiles({ db: t.database.db, storage: localStorage(storageDir), maxBytes: MAX_BYTES, maxPixels: 40_000_000 });
  app = Fastify();
  // Stands in for the application's handler, which renders the same fields as problem+json.
  app.setErrorHandler((err: FastifyError, _request, reply) => {
    reply.status(err.statusCode ?? 500).send({ code: err.code, message: err.message });
  });
  await fileRoutes(app, files, { maxBytes: MAX_BYTES });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await t.drop();
});

const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

function image(width: number, height: number, alpha = false) {
  return sharp({ create: { width, height, channels: alpha ? 4 : 3, background: { r: 200, g: 30, b: 30, alpha: alpha ? 0.5 : 1 } } });
}

function storedObjects(): string[] {
  return readdirSync(storageDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

async function rowCount(): Promise<number> {
  const { n } = await t.database.db
    .selectFrom('files')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

interface Part {
  name: string;
  data: Buffer | string;
  filename?: string;
  type?: string;
}

/** A multipart/form-data request built by hand, as a browser would send it. */
function multipart(...parts: Part[]) {
  const boundary = `----civitas${randomBytes(8).toString('hex')}`;
  const chunks = parts.flatMap((part) => {
    const filename = part.filename === undefined ? '' : `; filename="${part.filename}"`;
    const type = part.type ? `Content-Type: ${part.type}\r\n` : '';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${filename}\r\n${type}\r\n`;
    return [Buffer.from(head), Buffer.from(part.data), Buffer.from('\r\n')];
  });
  return {
    payload: Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

function upload(data: Buffer | string, filename: string, type = 'application/octet-stream') {
  return app.inject({ method: 'POST', url: '/api/v1/files', ...multipart({ name: 'file', data, filename, type }) });
}

describe('Files.store, get and read', () => {
  it('scales a large photo down to 2048 pixels and makes a WebP thumbnail', async () => {
    const stored = await files.store({ data: await image(3000, 1500).jpeg().toBuffer(), filename: 'wide.jpg' });
    expect(stored).toMatchObject({
      mime: 'image/jpeg',
      width: 2048,
      height: 1024,
      url: `/files/${stored.id}`,
      thumbnailUrl: `/files/${stored.id}/thumb`,
    });
    const thumb = await files.read(stored.id, 'thumb');
    expect(thumb?.mime).toBe('image/webp');
    const buffer = Buffer.concat(await (thumb?.stream.toArray() ?? []));
    expect(await sharp(buffer).metadata()).toMatchObject({ format: 'webp', width: 320, height: 160 });
  });

  it('keeps transparent images as PNG and small images at their size', async () => {
    const stored = await files.store({ data: await image(100, 50, true).png().toBuffer(), filename: 'logo.png' });
    expect(stored).toMatchObject({ mime: 'image/png', width: 100, height: 50 });
  });

  it('re-encodes opaque WebP and AVIF to JPEG, and GIF (which may be transparent) to PNG', async () => {
    for (const data of [await image(40, 30).webp().toBuffer(), await image(40, 30).avif().toBuffer()]) {
      expect(await files.store({ data, filename: 'x' })).toMatchObject({ mime: 'image/jpeg', width: 40, height: 30 });
    }
    const gif = await files.store({ data: await image(40, 30).gif().toBuffer(), filename: 'x.gif' });
    expect(gif).toMatchObject({ mime: 'image/png', width: 40, height: 30 });
  });

  it('stores a PDF unchanged, without thumbnail', async () => {
    const stored = await files.store({ data: pdf, filename: 'Compte rendu.pdf', declaredType: 'image/png' });
    expect(stored).toEqual({
      id: stored.id,
      mime: 'application/pdf',
      size: pdf.length,
      width: null,
      height: null,
      url: `/files/${stored.id}`,
    });
    const record = await files.get(stored.id);
    expect(record).toMatchObject({ originalName: 'Compte rendu.pdf', owner: null, attachedAt: null });
    expect(record?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const content = await files.read(stored.id, 'original');
    expect(Buffer.concat(await (content?.stream.toArray() ?? []))).toEqual(pdf);
    expect(await files.read(stored.id, 'thumb')).toBeNull();
  });

  it('answers null for an unknown id', async () => {
    expect(await files.get('0'.repeat(28))).toBeNull();
    expect(await files.read('0'.repeat(28), 'original')).toBeNull();
  });

  it('refuses content over the size limit, even when called directly', async () => {
    await expect(files.store({ data: Buffer.alloc(MAX_BYTES + 1), filename: 'big.pdf' })).rejects.toMatchObject({
      code: 'file.too-large',
      statusCode: 413,
    });
  });
});

describe('Files.attach and deletePendingOlderThan', () => {
  it('attaches within the caller transaction, which a rollback undoes', async () => {
    const { id } = await files.store({ data: pdf, filename: 'a.pdf' });
    await expect(
      inTransaction(t.database.db, async (trx) => {
        await files.attach(trx, [id], 'test:thing:1');
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await files.get(id))?.owner).toBeNull();

    await inTransaction(t.database.db, (trx) => files.attach(trx, [id, id], 'test:thing:1'));
    expect(await files.get(id)).toMatchObject({ owner: 'test:thing:1', attachedAt: expect.any(String) });
    // Attaching again to the same owner is harmless.
    await files.attach(t.database.db, [id], 'test:thing:1');
  });

  it('refuses files that belong to another owner or do not exist, attaching none', async () => {
    const taken = await files.store({ data: pdf, filename: 'a.pdf' });
    const free = await files.store({ data: pdf, filename: 'b.pdf' });
    await files.attach(t.database.db, [taken.id], 'test:thing:1');
    await expect(inTransaction(t.database.db, (trx) => files.attach(trx, [free.id, taken.id], 'test:thing:2'))).rejects.toMatchObject({
      code: 'file.not-attachable',
      statusCode: 400,
    });
    await expect(files.attach(t.database.db, ['f'.repeat(28)], 'test:thing:2')).rejects.toMatchObject({ code: 'file.not-attachable' });
    expect((await files.get(free.id))?.owner).toBeNull();
    expect((await files.get(taken.id))?.owner).toBe('test:thing:1');
  });

  it('deletes old pending uploads with their content, and nothing else', async () => {
    const pending = await files.store({ data: await image(50, 50).jpeg().toBuffer(), filename: 'p.jpg' });
    const attached = await files.store({ data: pdf, filename: 'kept.pdf' });
    await files.attach(t.database.db, [attached.id], 'test:thing:3');
    expect(await files.deletePendingOlderThan(new Date(Date.now() - 60_000))).toBe(0);

    const objects = storedObjects();
    expect(objects.filter((name) => name.startsWith(pending.id))).toHaveLength(2);
    const removed = await files.deletePendingOlderThan(new Date(Date.now() + 1000));
    expect(removed).toBeGreaterThanOrEqual(1);
    expect(await files.get(pending.id)).toBeNull();
    expect(storedObjects().filter((name) => name.startsWith(pending.id))).toEqual([]);
    expect(await files.get(attached.id)).not.toBeNull();
    expect(storedObjects().some((name) => name.startsWith(attached.id))).toBe(true);
  });
});

describe('POST /api/v1/files', () => {
  let photo: Buffer;
  let bomb: Buffer;

  beforeAll(async () => {
    // A 600x400 camera photo, taken sideways (orientation 6) and carrying its GPS position.
    photo = await image(600, 400)
      .jpeg()
      .withExif({ IFD0: { Make: 'Camera' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2400/100' } })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    // 400 million pixels of one colour: a few hundred kilobytes that would inflate to over a gigabyte.
    bomb = await sharp({ create: { width: 20_000, height: 20_000, channels: 3, background: '#ffffff' }, limitInputPixels: false })
      .extractChannel(0)
      .png({ compressionLevel: 9, adaptiveFiltering: false })
      .toBuffer();
  });

  it('re-encodes a photo upright, without EXIF or GPS, with a thumbnail', async () => {
    const sent = await sharp(photo).metadata();
    expect(sent.orientation).toBe(6);
    // The GPS IFD pointer (tag 0x8825, little-endian) is in the EXIF we send.
    expect(sent.exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true);

    const res = await upload(photo, 'photo.jpg', 'image/jpeg');
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{28}$/),
      mime: 'image/jpeg',
      size: expect.any(Number),
      width: 400,
      height: 600,
      url: `/files/${body.id}`,
      thumbnailUrl: `/files/${body.id}/thumb`,
    });
    expect(res.headers.location).toBe(body.url);

    const original = await app.inject({ url: body.url });
    expect(original.statusCode).toBe(200);
    const served = await sharp(original.rawPayload).metadata();
    expect(served).toMatchObject({ format: 'jpeg', width: 400, height: 600 });
    expect(served.exif).toBeUndefined();
    expect(served.xmp).toBeUndefined();
    expect(served.orientation).toBeUndefined();
    expect(original.rawPayload.length).toBe(body.size);

    const thumb = await app.inject({ url: body.thumbnailUrl });
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect(await sharp(thumb.rawPayload).metadata()).toMatchObject({ format: 'webp', width: 213, height: 320 });
  });

  it('accepts other form fields besides the file', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/files',
      ...multipart({ name: 'caption', data: 'Pothole' }, { name: 'file', data: pdf, filename: 'report.pdf', type: 'application/pdf' }),
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ mime: 'application/pdf', size: pdf.length });
  });

  describe('refuses, storing nothing,', () => {
    const cases: [string, () => Promise<Awaited<ReturnType<typeof upload>>>, number, string][] = [
      ['a text file named photo.jpg', () => upload('just some text', 'photo.jpg', 'image/jpeg'), 415, 'file.type-not-allowed'],
      ['an empty file', () => upload('', 'photo.jpg', 'image/jpeg'), 415, 'file.type-not-allowed'],
      [
        'an SVG (it may hold scripts)',
        () => upload('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'a.svg', 'image/svg+xml'),
        415,
        'file.type-not-allowed',
      ],
      [
        'an HTML page',
        () => upload('<!doctype html><html><script>alert(1)</script></html>', 'a.jpg', 'image/jpeg'),
        415,
        'file.type-not-allowed',
      ],
      [
        'a ZIP archive',
        () => upload(Buffer.from('504b030414000000080000000000', 'hex'), 'a.pdf', 'application/pdf'),
        415,
        'file.type-not-allowed',
      ],
      [
        'a damaged JPEG',
        () => upload(Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.alloc(200, 7)]), 'a.jpg'),
        400,
        'file.unreadable-image',
      ],
      ['a decompression bomb', () => upload(bomb, 'bomb.png', 'image/png'), 413, 'file.image-too-large'],
      ['a file over the size limit', () => upload(Buffer.alloc(MAX_BYTES + 10_000, 1), 'big.pdf'), 413, 'file.too-large'],
      ['a name with a path', () => upload(pdf, '../../etc/passwd.jpg'), 400, 'file.name-invalid'],
      ['a name with a Windows path', () => upload(pdf, '..\\..\\boot.ini'), 400, 'file.name-invalid'],
      ['a name with ".."', () => upload(pdf, 'x..pdf'), 400, 'file.name-invalid'],
      ['a name with a control character', () => upload(pdf, 'a\u0001.pdf'), 400, 'file.name-invalid'],
      ['a name with a bidirectional override', () => upload(pdf, 'fdp\u202Eexe.pdf'), 400, 'file.name-invalid'],
      ['a blank name', () => upload(pdf, '  '), 400, 'file.name-invalid'],
      ['a name over 255 characters', () => upload(pdf, `${'a'.repeat(252)}.pdf`), 400, 'file.name-invalid'],
      [
        'a form without field "file"',
        () => app.inject({ method: 'POST', url: '/api/v1/files', ...multipart({ name: 'other', data: pdf, filename: 'a.pdf' }) }),
        400,
        'file.missing',
      ],
      [
        'a body that is not multipart',
        () => app.inject({ method: 'POST', url: '/api/v1/files', payload: { file: 'x' } }),
        415,
        'file.not-multipart',
      ],
    ];
    it.each(cases)('%s', async (_, send, status, code) => {
      const before = { rows: await rowCount(), objects: storedObjects().length };
      const res = await send();
      expect(res.statusCode).toBe(status);
      expect(res.json()).toMatchObject({ code, message: expect.stringMatching(/^[A-Z].*\.$/) });
      expect({ rows: await rowCount(), objects: storedObjects().length }).toEqual(before);
    });
  });
});

describe('GET /files/:id', () => {
  it('serves an image inline, with safe headers and its name in ASCII and UTF-8', async () => {
    const { url, thumbnailUrl } = (await upload(await image(80, 60).png().toBuffer(), 'Rue de l’été.png')).json();
    const res = await app.inject({ url });
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject({
      'content-type': 'image/jpeg',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'public, max-age=31536000, immutable',
      // Re-encoded to JPEG, so the offered name ends in .jpg.
      'content-disposition': 'inline; filename="Rue de l_ete.jpg"; filename*=UTF-8\'\'Rue%20de%20l%E2%80%99%C3%A9t%C3%A9.jpg',
    });
    const thumb = await app.inject({ url: thumbnailUrl });
    expect(thumb.headers['content-disposition']).toBe(
      'inline; filename="Rue de l_ete.webp"; filename*=UTF-8\'\'Rue%20de%20l%E2%80%99%C3%A9t%C3%A9.webp',
    );
  });

  it('serves a PDF as a download, and has no thumbnail for it', async () => {
    const { id, url } = (await upload(pdf, 'Compte rendu; 100% été.pdf', 'application/pdf')).json();
    const res = await app.inject({ url });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload).toEqual(pdf);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="Compte rendu; 100_ ete.pdf"; filename*=UTF-8''Compte%20rendu%3B%20100%25%20%C3%A9t%C3%A9.pdf`,
    );
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    const thumb = await app.inject({ url: `/files/${id}/thumb` });
    expect(thumb.statusCode).toBe(404);
    expect(thumb.json().code).toBe('file.not-found');
  });

  it('answers 404 for an unknown id', async () => {
    for (const url of [`/files/${'0'.repeat(28)}`, `/files/${'0'.repeat(28)}/thumb`]) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'file.not-found' });
    }
  });

  it.each([
    '/files/..%2F..%2Fetc%2Fpasswd',
    '/files/..%2F..%2Fetc%2Fpasswd/thumb',
    '/files/../../etc/passwd',
    '/files/ABC',
    `/files/${'0'.repeat(27)}g`,
  ])('refuses the malformed id in %s', async (url) => {
    const res = await app.inject({ url });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.body).not.toContain('root:');
  });
});
