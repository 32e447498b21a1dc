import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { Executor } from '../db/transaction.js';
import { newId, nowIso } from '../db/values.js';
import { FileRejected, fileTooLarge } from './errors.js';
import { checkFilename, extensionFor } from './filename.js';
import { processImage, THUMBNAIL_MIME } from './images.js';
import type { FilesTable } from './migrations.js';
import { sniff } from './sniff.js';
import type { FileStorage } from './storage.js';

/** What a client learns about an uploaded file. */
export interface StoredFile {
  id: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  url: string;
  thumbnailUrl?: string;
}

export interface FileRecord extends StoredFile {
  originalName: string;
  owner: string | null;
  sha256: string;
  createdAt: string;
  attachedAt: string | null;
}

export type FileVariant = 'original' | 'thumb';

export interface FileContent {
  file: FileRecord;
  mime: string;
  /** Known for originals only: thumbnails' sizes are not recorded. */
  size: number | undefined;
  stream: Readable;
}

export interface Files {
  /** Checks, re-encodes (images) and stores an upload, pending until attached. Refusals store nothing. */
  store(input: { data: Buffer; filename: string; declaredType?: string }): Promise<StoredFile>;
  get(id: string): Promise<FileRecord | null>;
  /** `null` for an unknown id, or for the thumbnail of a file that has none (PDF). */
  read(id: string, variant: FileVariant): Promise<FileContent | null>;
  /**
   * Gives pending files to `owner` ("street-reports:report:<id>") within the caller's transaction.
   * Throws `file.not-attachable` unless every file exists and is pending or already the owner's.
   */
  attach(executor: Executor, ids: readonly string[], owner: string): Promise<void>;
  /** Deletes uploads never attached and created before `date`, with their content; returns how many. */
  deletePendingOlderThan(date: Date): Promise<number>;
}

export interface FilesOptions {
  db: Db;
  storage: FileStorage;
  maxBytes: number;
  /** Largest image accepted, in pixels (width × height), checked before decoding. */
  maxPixels: number;
}

function toStoredFile(row: Selectable<FilesTable>): StoredFile {
  return {
    id: row.id,
    mime: row.mime,
    size: row.size,
    width: row.width,
    height: row.height,
    url: `/files/${row.id}`,
    ...(row.thumb_key ? { thumbnailUrl: `/files/${row.id}/thumb` } : {}),
  };
}

function toRecord(row: Selectable<FilesTable>): FileRecord {
  return {
    ...toStoredFile(row),
    originalName: row.original_name,
    owner: row.owner,
    sha256: row.sha256,
    createdAt: row.created_at,
    attachedAt: row.attached_at,
  };
}

export function createFiles({ db, storage, maxBytes, maxPixels }: FilesOptions): Files {
  const findRow = (id: string) => db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();

  return {
    async store({ data, filename, declaredType }) {
      checkFilename(filename);
      if (data.length > maxBytes) throw fileTooLarge(maxBytes);
      const type = await sniff(data, declaredType);
      const content =
        type.kind === 'image'
          ? await processImage(data, type.mime, maxPixels)
          : { data, mime: type.mime, width: null, height: null, thumbnail: null };

      const now = new Date();
      const id = newId(now.getTime());
      // A folder per month keeps directories of local storage small.
      const prefix = nowIso(now).slice(0, 7);
      const storageKey = `${prefix}/${id}.${extensionFor(content.mime)}`;
      const objects = [{ key: storageKey, data: content.data }];
      let thumbKey: string | null = null;
      if (content.thumbnail) {
        thumbKey = `${prefix}/${id}.thumb.${extensionFor(THUMBNAIL_MIME)}`;
        objects.push({ key: thumbKey, data: content.thumbnail });
      }
      const row = {
        id,
        storage_key: storageKey,
        thumb_key: thumbKey,
        mime: content.mime,
        size: content.data.length,
        width: content.width,
        height: content.height,
        original_name: filename,
        owner: null,
        sha256: createHash('sha256').update(content.data).digest('hex'),
        created_at: nowIso(now),
        attached_at: null,
      };
      // Content first, row last: a row never points at missing content, and a failure removes both.
      try {
        for (const object of objects) await storage.put(object.key, object.data);
        await db.insertInto('files').values(row).execute();
      } catch (err) {
        await Promise.allSettled(objects.map((object) => storage.delete(object.key)));
        throw err;
      }
      return toStoredFile(row);
    },

    async get(id) {
      const row = await findRow(id);
      return row ? toRecord(row) : null;
    },

    async read(id, variant) {
      const row = await findRow(id);
      if (!row) return null;
      const key = variant === 'original' ? row.storage_key : row.thumb_key;
      if (!key) return null;
      const stream = await storage.stream(key);
      if (!stream) throw new Error(`The content of file ${id} (${key}) is missing from storage`);
      const file = toRecord(row);
      return variant === 'original'
        ? { file, mime: file.mime, size: file.size, stream }
        : { file, mime: THUMBNAIL_MIME, size: undefined, stream };
    },

    async attach(executor, ids, owner) {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return;
      await executor
        .updateTable('files')
        .set({ owner, attached_at: nowIso() })
        .where('id', 'in', unique)
        .where('owner', 'is', null)
        .execute();
      // Re-reading after the guarded update also settles a race: only one owner's update matched.
      const mine = await executor.selectFrom('files').select('id').where('id', 'in', unique).where('owner', '=', owner).execute();
      if (mine.length !== unique.length) {
        const found = new Set(mine.map((r) => r.id));
        const others = unique.filter((id) => !found.has(id));
        throw new FileRejected('file.not-attachable', `These files do not exist or belong to something else: ${others.join(', ')}.`);
      }
    },

    async deletePendingOlderThan(date) {
      // One statement picks and deletes, so a file attached meanwhile is never removed.
      const removed = await db
        .deleteFrom('files')
        .where('owner', 'is', null)
        .where('created_at', '<', nowIso(date))
        .returning(['storage_key', 'thumb_key'])
        .execute();
      for (const row of removed) {
        await storage.delete(row.storage_key);
        if (row.thumb_key) await storage.delete(row.thumb_key);
      }
      return removed.length;
    },
  };
}
