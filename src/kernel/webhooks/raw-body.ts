import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors.js';

const rawBodies = new WeakMap<FastifyRequest, string>();

/**
 * Keeps the raw text of JSON bodies in this Fastify scope (a module's own scope, or a plugin
 * registered for its callback routes), as an HMAC must be checked on the bytes as sent, not on
 * re-serialised JSON. Parsing itself stays Fastify's (size limit, prototype-poisoning checks).
 * Other scopes keep the default parser.
 */
export function keepRawJsonBody(scope: FastifyInstance): void {
  const parseJson = scope.getDefaultJsonParser('error', 'error');
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    rawBodies.set(request, body as string);
    parseJson(request, body as string, done);
  });
}

/** The JSON body as received; 415 when the request was not JSON (so no raw text was kept). */
export function rawBodyOf(request: FastifyRequest): string {
  const raw = rawBodies.get(request);
  if (raw === undefined) {
    throw new HttpError(415, 'body.unsupported-type', 'This callback accepts a JSON body only (Content-Type: application/json).');
  }
  return raw;
}
