import { FileRejected } from '../files/errors.js';
import type { Files } from '../files/service.js';
import { type FileAnswer, type FormError, type RawValues, rawList } from './answers.js';
import type { FileFieldDef, StepDef } from './definition.js';
import type { Upload } from './parse-post.js';
import { DEFAULT_ACCEPT, megabytes, mimeLabel } from './validate.js';
import { groupValueFields, valueFields } from './walk.js';

/** The file field an answer name belongs to on this step (`code`, or `group.<row>.<code>`). */
export function fileFieldAt(step: StepDef, name: string): FileFieldDef | undefined {
  const [code, row, child] = name.split('.');
  const field = valueFields(step).find((f) => f.code === code);
  if (!field) return undefined;
  if (field.type === 'group' && row !== undefined && /^\d+$/.test(row)) {
    const inner = groupValueFields(field).find((c) => c.code === child);
    return inner?.type === 'file' || inner?.type === 'photo' ? inner : undefined;
  }
  return field.type === 'file' || field.type === 'photo' ? field : undefined;
}

export interface StoredUploads {
  raw: RawValues;
  stored: FileAnswer[];
  errors: FormError[];
}

function rejection(err: FileRejected, upload: Upload, uploadLimit: number): FormError {
  if (err.code === 'file.too-large')
    return { field: upload.field, code: 'file-size', params: { name: upload.filename, max: megabytes(uploadLimit) } };
  return { field: upload.field, code: 'upload-rejected', params: { name: upload.filename } };
}

/**
 * Stores the files chosen on a step through the kernel's files service and adds them to their
 * answers. A refused file (type, size, count, unreadable) becomes a problem on its field; the
 * rest of the post is kept all the same.
 */
export async function storeUploads(
  files: Files,
  step: StepDef,
  raw: RawValues,
  uploads: readonly Upload[],
  uploadLimit: number,
): Promise<StoredUploads> {
  const out: StoredUploads = { raw: { ...raw }, stored: [], errors: [] };
  const refuse = (error: FormError) => {
    if (!out.errors.some((e) => e.field === error.field)) out.errors.push(error);
  };
  for (const upload of uploads) {
    const field = fileFieldAt(step, upload.field);
    if (!field) {
      refuse({ field: upload.field, code: 'upload-rejected', params: { name: upload.filename } });
      continue;
    }
    const max = field.max ?? 1;
    const current = rawList(out.raw, upload.field);
    if (current.length >= max) {
      refuse({ field: upload.field, code: 'files-max', params: { max } });
      continue;
    }
    const sizeLimit = Math.min(field.maxBytes ?? uploadLimit, uploadLimit);
    if (upload.truncated || upload.data.length > sizeLimit) {
      refuse({ field: upload.field, code: 'file-size', params: { name: upload.filename, max: megabytes(sizeLimit) } });
      continue;
    }
    try {
      const stored = await files.store({ data: upload.data, filename: upload.filename, declaredType: upload.declaredType });
      const accept: readonly string[] = field.accept ?? DEFAULT_ACCEPT[field.type];
      // Judged on the stored type (sniffed from the content); a refused file stays pending and is cleaned up.
      if (!accept.includes(stored.mime)) {
        refuse({ field: upload.field, code: 'file-type', params: { name: upload.filename, types: accept.map(mimeLabel).join(', ') } });
        continue;
      }
      out.stored.push({ id: stored.id, name: upload.filename, mime: stored.mime, size: stored.size });
      out.raw[upload.field] = [...current, stored.id];
    } catch (err) {
      if (!(err instanceof FileRejected)) throw err;
      refuse(rejection(err, upload, uploadLimit));
    }
  }
  return out;
}
