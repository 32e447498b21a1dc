import { FileRejected } from '../../../kernel/files/errors.js';
import { HttpError, toHttpError } from '../../../kernel/http/errors.js';
import type { Translate } from '../../../kernel/i18n/i18n.js';

/** One error of the standard's body: `code` is the HTTP status, `description` says what to fix. */
export type Open311ErrorItem = {
  code: number;
  description: string;
};

/** An error answered in the standard's shape: 404 missing resource, 403 missing or bad api_key, 400 otherwise. */
export class Open311Error extends Error {
  constructor(
    readonly status: number,
    readonly descriptions: string[],
  ) {
    super(descriptions.join(' '));
  }
}

export const badRequest = (...descriptions: string[]) => new Open311Error(400, descriptions);
export const notFound = (description: string) => new Open311Error(404, [description]);

/**
 * Any error, as the standard's status and list of errors. Statuses the standard does not name are
 * 400 (a file too large, a body that does not parse), except too many requests (429, with its
 * Retry-After) and server failures. Field problems carry message keys, told in the client's language.
 */
export function toOpen311(err: unknown, t: Translate): { status: number; errors: Open311ErrorItem[] } {
  if (err instanceof Open311Error)
    return { status: err.status, errors: err.descriptions.map((description) => ({ code: err.status, description })) };
  const http = err instanceof FileRejected ? new HttpError(err.statusCode, err.code, err.message) : toHttpError(err);
  const status = [403, 404, 429].includes(http.statusCode) || http.statusCode >= 500 ? http.statusCode : 400;
  const descriptions = http.fields.length
    ? http.fields.map((f) => `${f.field}: ${f.message.includes(' ') ? f.message : t(f.message)}`)
    : [http.message];
  return { status, errors: descriptions.map((description) => ({ code: status, description })) };
}
