import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';

export const CSRF_COOKIE = 'civitas_csrf';
export const CSRF_FIELD = '_csrf';

/**
 * Signed double-submit tokens: a random cookie plus, in each form, its HMAC under the shared
 * secret. A forged form cannot read the cookie, and the token needs no server-side storage, so
 * any process can check any form.
 */
export function csrfTokenFor(secret: Buffer, cookieValue: string): string {
  let tokens = recentTokens.get(secret);
  if (!tokens) {
    tokens = new Map();
    recentTokens.set(secret, tokens);
  }
  let token = tokens.get(cookieValue);
  if (token === undefined) {
    token = createHmac('sha256', secret).update(`csrf:${cookieValue}`).digest('base64url');
    if (tokens.size >= RECENT_TOKENS) tokens.delete(tokens.keys().next().value as string);
    tokens.set(cookieValue, token);
  }
  return token;
}

/**
 * A token is a pure function of the secret and the cookie, so each process keeps the most recent
 * ones (every process computes the same: nothing to keep in step). A visitor's cookie lasts their
 * visit, and the HMAC was the costliest step of a signed-in page. Bounded, oldest dropped first,
 * so that made-up cookies cannot grow it.
 */
const RECENT_TOKENS = 5_000;
const recentTokens = new WeakMap<Buffer, Map<string, string>>();

export function ensureCsrfCookie(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  let value = request.cookies[CSRF_COOKIE];
  if (!value || !/^[A-Za-z0-9_-]{22,64}$/.test(value)) {
    value = randomBytes(18).toString('base64url');
    reply.setCookie(CSRF_COOKIE, value, { path: '/', httpOnly: true, sameSite: 'lax', secure });
    request.cookies[CSRF_COOKIE] = value;
  }
  return value;
}

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)/i;

/** Only bodies a cross-site HTML form can send need the token; JSON needs a CORS preflight. */
export function isFormRequest(request: FastifyRequest): boolean {
  return FORM_TYPES.test(request.headers['content-type'] ?? '');
}

export function verifyCsrf(secret: Buffer, request: FastifyRequest, submitted: unknown): void {
  const cookie = request.cookies[CSRF_COOKIE];
  const given = typeof submitted === 'string' ? submitted : (request.headers['x-csrf-token'] as string | undefined);
  if (!cookie || !given)
    throw new HttpError(403, 'csrf.missing', 'The form is missing its security token (CSRF). Reload the page and send it again.');
  const expected = Buffer.from(csrfTokenFor(secret, cookie));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new HttpError(403, 'csrf.invalid', 'The form’s security token (CSRF) is invalid or expired. Reload the page and send it again.');
  }
}
