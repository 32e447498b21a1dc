import { crc32, inflateRawSync } from 'node:zlib';
import { SESSION_COOKIE } from '../../../src/kernel/identity/sessions.js';
import type { Kernel } from '../../../src/kernel/kernel.js';
import type { TestApp } from '../../support/app.js';
import { sessionCookie } from '../../support/identity.js';
import { Visitor } from '../../support/visitor.js';

/** Montmartre, in the 18th (agent.18's district). */
export const PARIS_18 = { lat: 48.8867, lng: 2.3431 };

export async function accountOf(kernel: Kernel, email: string): Promise<string> {
  return (await kernel.db.selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

/** A browser without JavaScript, signed in as this account. */
export async function signedIn(t: TestApp, email: string): Promise<Visitor> {
  const visitor = new Visitor(t.app);
  visitor.setCookie(SESSION_COOKIE, (await sessionCookie(t.kernel, await accountOf(t.kernel, email))).split('=')[1]!);
  return visitor;
}

/** The files of a zip archive, read with node:zlib alone (central directory, then each entry inflated). */
export function unzip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('No end of central directory.');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('Bad central directory entry.');
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const offset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataAt = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28);
    const data = zip.subarray(dataAt, dataAt + compressed);
    const content = method === 8 ? inflateRawSync(data) : data;
    if (crc32(content) >>> 0 !== zip.readUInt32LE(at + 16)) throw new Error(`CRC mismatch for ${name}.`);
    files.set(name, content);
    at += 46 + nameLength + extra + comment;
  }
  return files;
}
