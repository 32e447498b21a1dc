import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { localStorage } from './storage.js';

const root = mkdtempSync(join(tmpdir(), 'civitas-storage-'));
const storage = localStorage(root);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('localStorage', () => {
  it('stores, reads, streams, replaces and deletes content', async () => {
    await storage.put('2025-01/abc.jpg', Buffer.from('first'));
    await storage.put('2025-01/abc.jpg', Buffer.from('second'));
    expect((await storage.get('2025-01/abc.jpg'))?.toString()).toBe('second');
    const stream = await storage.stream('2025-01/abc.jpg');
    expect(stream && (await text(stream))).toBe('second');
    // The temporary file of each write was renamed away.
    expect(readdirSync(join(root, '2025-01'))).toEqual(['abc.jpg']);
    await storage.delete('2025-01/abc.jpg');
    expect(await storage.get('2025-01/abc.jpg')).toBeNull();
  });

  it('answers null for missing content and deletes it without error', async () => {
    expect(await storage.get('missing/x.pdf')).toBeNull();
    expect(await storage.stream('missing/x.pdf')).toBeNull();
    await expect(storage.delete('missing/x.pdf')).resolves.toBeUndefined();
  });

  it.each(['../outside', 'a/../../b', 'UPPER.jpg', 'with space', 'back\\slash', '', 'é.jpg'])('refuses the key %j', async (key) => {
    await expect(storage.put(key, Buffer.from('x'))).rejects.toThrow(/Invalid storage key/);
    await expect(storage.get(key)).rejects.toThrow(/Invalid storage key/);
  });
});
