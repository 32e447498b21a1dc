import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { Kernel } from '../../../kernel.js';
import { field, setSessionCookie } from '../http.js';
import { loginAgent, safeNext } from '../login.js';
import { LoginPage } from '../views/login.js';

export function loginRoutes(app: FastifyInstance, kernel: Kernel): void {
  app.get('/admin/login', { config: { public: true } }, async (request, reply) => {
    const next = safeNext(field(request.query, 'next'));
    if (request.actor.kind === 'agent') return reply.redirect(next ?? '/admin', 303);
    const ctx = reply.view();
    const notice = field(request.query, 'password') === 'set' ? ctx.t('admin.setPassword.done') : undefined;
    return reply.page(ctx.t('admin.login.title'), h(LoginPage, { ctx, email: '', next, notice }));
  });

  app.post('/admin/login', { config: { public: true } }, async (request, reply) => {
    const next = safeNext(field(request.body, 'next'));
    const email = field(request.body, 'email');
    const outcome = await loginAgent(kernel.db, kernel.config.identity, {
      email,
      password: field(request.body, 'password'),
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? '',
      previousSessionId: request.actor.kind === 'anonymous' ? undefined : request.actor.session.id,
    });
    if (!outcome.ok) {
      const ctx = reply.view();
      const page = h(LoginPage, { ctx, email: email.slice(0, 254), next, problem: outcome.reason });
      return reply.page(ctx.t('admin.login.title'), page, { status: outcome.reason === 'throttled' ? 429 : 401 });
    }
    setSessionCookie(request, reply, outcome.token);
    const target = next ?? '/admin';
    const step = { verify: '/admin/mfa', setup: '/admin/mfa/setup', none: undefined }[outcome.secondFactor];
    return reply.redirect(step ? `${step}?next=${encodeURIComponent(target)}` : target, 303);
  });
}
