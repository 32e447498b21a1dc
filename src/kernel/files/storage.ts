import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Where file contents live. The service generates every key, so backends may map keys directly to
 * paths or object names; an S3-like backend implements the same four operations.
 */
export interface FileStorage {
  put(key: string, data: Buffer): Promise<void>;
  /** `null` when nothing is stored under `key`. */
  get(key: string): Promise<Buffer | null>;
  stream(key: string): Promise<Readable | null>;
  /** Deleting a missing key is not an error, so cleanups can be retried. */
  delete(key: string): Promise<void>;
}

const KEY = /^[a-z0-9/._-]+$/;

function checkKey(key: string): void {
  // Keys are generated, so a bad one is a bug; refusing it keeps any slip from escaping rootDir.
  if (!KEY.test(key) || key.includes('..')) throw new Error(`Invalid storage key: ${JSON.stringify(key)}`);
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Files under `rootDir`, one per key. */
export function localStorage(rootDir: string): FileStorage {
  const pathOf = (key: string) => {
    checkKey(key);
    return join(rootDir, key);
  };
  return {
    async put(key, data) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      // Readers see either no file or the whole file: write aside, flush, then rename over.
      const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      const handle = await open(temp, 'wx');
      try {
        try {
          await handle.writeFile(data);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, path);
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
    },
    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },
    async stream(key) {
      try {
        const handle = await open(pathOf(key), 'r');
        return handle.createReadStream();
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
