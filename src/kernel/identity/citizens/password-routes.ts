import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { FieldProblem } from '../../http/errors.js';
import type { Kernel } from '../../kernel.js';
import { peekToken } from './account-tokens.js';
import { requestPasswordReset, resetPassword } from './password-reset.js';
import { linkProblemPage, tokenParams } from './signup-routes.js';
import { emailProblems, field, newPasswordProblems } from './validation.js';
import { ForgotPasswordPage, ResetPasswordPage } from './views/password.js';

export function passwordRoutes(app: FastifyInstance, kernel: Kernel): void {
  app.get<{ Querystring: { sent?: string } }>(
    '/forgot-password',
    {
      config: { public: true },
      schema: { querystring: { type: 'object', properties: { sent: { type: 'string' }, lang: { type: 'string' } } } },
    },
    async (request, reply) => {
      const ctx = reply.view();
      return reply.page(ctx.t('identity.forgot.title'), h(ForgotPasswordPage, { ctx, sent: request.query.sent === '1' }));
    },
  );

  app.post<{ Body: Record<string, unknown> }>(
    '/forgot-password',
    { config: { public: true, rateLimit: { max: 10, windowSeconds: 900 } } },
    async (request, reply) => {
      const problems: FieldProblem[] = [];
      const typed = field(request.body ?? {}, 'email');
      const email = emailProblems(typed, problems);
      const ctx = reply.view();
      if (!email)
        return reply.page(ctx.t('identity.forgot.title'), h(ForgotPasswordPage, { ctx, sent: false, problems, email: typed }), {
          status: 400,
        });
      await requestPasswordReset(kernel, email, { lang: ctx.lang, ip: request.ip });
      return reply.redirect('/forgot-password?sent=1', 303);
    },
  );

  const retry = { href: '/forgot-password', label: 'identity.link.newReset' };

  app.get<{ Params: { token: string } }>(
    '/reset-password/:token',
    { config: { public: true }, schema: { params: tokenParams } },
    async (request, reply) => {
      const found = await peekToken(kernel.db, request.params.token, 'reset-password');
      if ('problem' in found) return linkProblemPage(reply, found.problem, retry);
      const ctx = reply.view();
      return reply.page(ctx.t('identity.reset.title'), h(ResetPasswordPage, { ctx, token: request.params.token }));
    },
  );

  app.post<{ Params: { token: string }; Body: Record<string, unknown> }>(
    '/reset-password/:token',
    { config: { public: true }, schema: { params: tokenParams } },
    async (request, reply) => {
      const { token } = request.params;
      const password = typeof request.body?.password === 'string' ? request.body.password : '';
      const problems: FieldProblem[] = [];
      newPasswordProblems(password, problems);
      if (problems.length) {
        const found = await peekToken(kernel.db, token, 'reset-password');
        if ('problem' in found) return linkProblemPage(reply, found.problem, retry);
        const ctx = reply.view();
        return reply.page(ctx.t('identity.reset.title'), h(ResetPasswordPage, { ctx, token, problems }), { status: 400 });
      }
      const keepSessionId = request.actor.kind === 'citizen' ? request.actor.session.id : undefined;
      const result = await resetPassword(kernel, token, password, { ip: request.ip, ...(keepSessionId ? { keepSessionId } : {}) });
      if ('problem' in result) return linkProblemPage(reply, result.problem, retry);
      return reply.redirect('/login?notice=password-reset', 303);
    },
  );
}
