import type { FastifyInstance, FastifyReply } from 'fastify';
import { h } from 'preact';
import { inTransaction } from '../../db/transaction.js';
import type { Kernel } from '../../kernel.js';
import { normalizeEmail } from '../accounts.js';
import { audit } from '../audit.js';
import { closeSession } from '../sessions.js';
import { safeNext } from './links.js';
import { passwordLogin } from './login.js';
import { clearSessionCookie, startSession } from './session-cookie.js';
import { field } from './validation.js';
import { LoginPage, type LoginState } from './views/login.js';

/** Messages another page may ask the login page to show (`?notice=`), and nothing else. */
const NOTICES: Record<string, string> = {
  'email-verified': 'identity.notice.emailVerified',
  'password-reset': 'identity.notice.passwordReset',
  'logged-out': 'identity.notice.loggedOut',
  'sessions-revoked': 'identity.notice.sessionsRevoked',
};

const loginQuery = {
  type: 'object',
  properties: { next: { type: 'string' }, notice: { type: 'string' }, lang: { type: 'string' } },
} as const;

export function loginRoutes(app: FastifyInstance, kernel: Kernel): void {
  const oidcLabel = kernel.config.oidc?.label;
  const show = (reply: FastifyReply, state: Omit<LoginState, 'oidcLabel'>, status = 200) => {
    const ctx = reply.view();
    return reply.page(ctx.t('identity.login.title'), h(LoginPage, { ctx, state: { ...state, ...(oidcLabel ? { oidcLabel } : {}) } }), {
      status,
    });
  };

  app.get<{ Querystring: { next?: string; notice?: string } }>(
    '/login',
    { config: { public: true }, schema: { querystring: loginQuery } },
    async (request, reply) => show(reply, { next: safeNext(request.query.next), notice: NOTICES[request.query.notice ?? ''] }),
  );

  app.post<{ Querystring: { next?: string }; Body: Record<string, unknown> }>(
    '/login',
    { config: { public: true }, schema: { querystring: loginQuery } },
    async (request, reply) => {
      const body = request.body ?? {};
      const next = safeNext(request.query.next);
      const typed = field(body, 'email');
      const password = typeof body.password === 'string' ? body.password : '';
      const email = normalizeEmail(typed);
      const t = reply.view().t;
      if (!typed) return show(reply, { next, error: { field: 'email', message: t('identity.errors.emailRequired') } }, 400);
      if (!email) return show(reply, { next, email: typed, error: { field: 'email', message: t('identity.errors.emailInvalid') } }, 400);
      if (!password) return show(reply, { next, email, error: { field: 'password', message: t('identity.errors.passwordRequired') } }, 400);

      const result = await passwordLogin(kernel, { email, password, ip: request.ip });
      if (result.ok) {
        await startSession(kernel, request, reply, { accountId: result.accountId, method: 'password' });
        return reply.redirect(next, 303);
      }
      if (result.reason === 'throttled') {
        reply.header('retry-after', String(result.retryAfter));
        const minutes = Math.ceil(result.retryAfter / 60);
        return show(reply, { next, email, error: { field: 'email', message: t('identity.errors.throttled', { minutes }) } }, 429);
      }
      if (result.reason === 'unverified')
        return show(reply, { next, email, error: { field: 'email', message: t('identity.errors.unverified') } }, 403);
      return show(reply, { next, email, error: { field: 'email', message: t('identity.errors.credentials') } }, 400);
    },
  );

  // Open to anyone: the layout's "log out" button posts here for residents and agents alike.
  app.post('/logout', { config: { public: true } }, async (request, reply) => {
    const actor = request.actor;
    if (actor.kind !== 'anonymous') {
      await inTransaction(kernel.db, async (trx) => {
        await closeSession(trx, actor.session.id);
        await audit(trx, { actor, action: 'logout', resourceType: 'account', resourceId: actor.account.id, ip: request.ip });
      });
    }
    clearSessionCookie(request, reply);
    return reply.redirect('/login?notice=logged-out', 303);
  });
}
