import type { FastifyReply, FastifyRequest } from 'fastify';
import { inTransaction } from '../../db/transaction.js';
import { HttpError } from '../../http/errors.js';
import type { Kernel } from '../../kernel.js';
import { audit } from '../audit.js';
import type { Actor } from '../authorization.js';
import { closeSession, openSession, readSession, SESSION_COOKIE } from '../sessions.js';
import { hashToken } from '../tokens.js';

/** HttpOnly (no script reads it), SameSite=Lax, Secure over TLS; a browser-session cookie (no Max-Age), the server enforcing the timeouts. */
function cookieOptions(request: FastifyRequest) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: request.protocol === 'https' };
}

/**
 * Logs a resident in: ends whatever session the browser came with (another account's, or one an
 * attacker planted) and opens a new one under a fresh id, so a cookie known before login is
 * worthless after it (session fixation). Records the login in the audit log.
 */
export async function startSession(
  kernel: Kernel,
  request: FastifyRequest,
  reply: FastifyReply,
  login: { accountId: string; method: string; acr?: string | null; details?: Record<string, unknown> },
): Promise<void> {
  const token = await inTransaction(kernel.db, async (trx) => {
    const previous = request.cookies[SESSION_COOKIE];
    if (previous) await closeSession(trx, hashToken(previous));
    const token = await openSession(
      trx,
      {
        accountId: login.accountId,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? '',
        method: login.method,
        acr: login.acr ?? null,
      },
      kernel.config.identity,
    );
    const opened = await readSession(trx, token, kernel.config.identity);
    if (!opened) throw new Error('A session just opened cannot be read back.');
    await audit(trx, {
      actor: { kind: 'citizen', ...opened },
      action: 'login',
      resourceType: 'account',
      resourceId: login.accountId,
      ip: request.ip,
      details: { method: login.method, ...(login.acr ? { acr: login.acr } : {}), ...login.details },
    });
    return token;
  });
  reply.setCookie(SESSION_COOKIE, token, cookieOptions(request));
}

/** Forgets the session cookie in this browser (the server-side session is ended by the caller). */
export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
}

/** The signed-in resident of a request; agents have the back office, not the residents' account pages. */
export function citizenOf(request: FastifyRequest): Extract<Actor, { kind: 'citizen' }> {
  const actor = request.actor;
  if (actor.kind === 'citizen') return actor;
  if (actor.kind === 'anonymous') throw new HttpError(401, 'auth.required', 'You must be signed in.');
  throw new HttpError(403, 'identity.citizens-only', 'This page is for residents’ accounts; agents use the back office at /admin.');
}
