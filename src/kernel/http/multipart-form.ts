import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fileTooLarge } from '../files/errors.js';
import type { Files } from '../files/service.js';
import { CSRF_FIELD, verifyCsrf } from './csrf.js';

/** The values of a posted form by name, a repeated name as an array. */
export type PostedValues = Record<string, string | string[]>;

/** A file chosen in a form's file input, not stored yet. */
export interface PostedFile {
  /** Name of the input. */
  name: string;
  filename: string;
  declaredType: string;
  data: Buffer;
  /** Cut at the upload limit. */
  truncated: boolean;
}

/**
 * Lets the routes of this scope receive `multipart/form-data` (HTML forms with a file input, which
 * work without JavaScript). Such routes declare `config.csrf: false` and check the token once the
 * fields are read (`readMultipartForm` does): the app-wide check runs before the body is parsed.
 */
export async function acceptMultipart(
  scope: FastifyInstance,
  limits: { fileBytes: number; files: number; fields?: number; fieldSize?: number },
): Promise<void> {
  await scope.register(multipart, {
    limits: { fileSize: limits.fileBytes, files: limits.files, fields: limits.fields ?? 50, fieldSize: limits.fieldSize ?? 100_000 },
    // Truncation is checked by the caller, to answer with its own error.
    throwFileSizeLimit: false,
    // Keep the name as sent, so a path in it is refused instead of silently cut to its last part.
    preservePath: true,
  });
}

function add(values: PostedValues, name: string, value: string): void {
  const previous = values[name];
  values[name] = previous === undefined ? value : [...[previous].flat(), value];
}

/** Reads a posted form, urlencoded or multipart: its values, and the files chosen (empty inputs skipped). */
export async function readPostedForm(request: FastifyRequest): Promise<{ values: PostedValues; files: PostedFile[] }> {
  const values: PostedValues = {};
  const files: PostedFile[] = [];
  if (!request.isMultipart()) {
    for (const [name, value] of Object.entries((request.body ?? {}) as Record<string, unknown>)) {
      for (const v of [value].flat()) if (typeof v === 'string') add(values, name, v);
    }
    return { values, files };
  }
  for await (const part of request.parts()) {
    if (part.type === 'field') {
      if (typeof part.value === 'string') add(values, part.fieldname, part.value);
      continue;
    }
    const data = await part.toBuffer();
    // An input left empty still sends a part, without a name or content.
    if (!part.filename && data.length === 0) continue;
    files.push({ name: part.fieldname, filename: part.filename, declaredType: part.mimetype, data, truncated: part.file.truncated });
  }
  return { values, files };
}

/** What a form with file inputs posted: its values and the ids of the files stored, by input name. */
export interface MultipartForm {
  fields: PostedValues;
  files: Record<string, string[]>;
}

/** Reads a form, checks its CSRF token, then stores each file through the kernel's files (sniffed, re-encoded). */
export async function readMultipartForm(request: FastifyRequest, files: Files, secret: Buffer, maxBytes: number): Promise<MultipartForm> {
  const posted = await readPostedForm(request);
  const value = posted.values[CSRF_FIELD];
  verifyCsrf(secret, request, Array.isArray(value) ? value[0] : value);
  // Only once the form is known to be genuine are files checked and stored.
  const form: MultipartForm = { fields: posted.values, files: {} };
  for (const file of posted.files) {
    if (file.truncated) throw fileTooLarge(maxBytes);
    const stored = await files.store({ data: file.data, filename: file.filename, declaredType: file.declaredType });
    form.files[file.name] = [...(form.files[file.name] ?? []), stored.id];
  }
  return form;
}
