import type { FastifyInstance, FastifyReply } from 'fastify';
import { h } from 'preact';
import type { Kernel } from '../../kernel.js';
import { peekToken, type TokenProblem } from './account-tokens.js';
import { parseSignupForm, signUp, verifyEmail } from './signup.js';
import { field } from './validation.js';
import { sendMessage } from './views/message.js';
import { VerifyEmailPage } from './views/password.js';
import { SignupPage } from './views/signup.js';

/** Link tokens are 43 characters; anything up to 100 gets the friendly "unknown link" page rather than a schema error. */
export const tokenParams = {
  type: 'object',
  properties: { token: { type: 'string', maxLength: 100 } },
  required: ['token'],
} as const;

/** The page behind a mailed link that does not work: says why and what to do instead. */
export function linkProblemPage(reply: FastifyReply, problem: TokenProblem, retry: { href: string; label: string }) {
  const t = reply.view().t;
  const message = {
    title: t(`identity.link.${problem}.title`),
    text: t(`identity.link.${problem}.text`),
    link: { href: retry.href, label: t(retry.label) },
  };
  return sendMessage(reply, message, 400);
}

export function signupRoutes(app: FastifyInstance, kernel: Kernel): void {
  app.get('/signup', { config: { public: true } }, async (_request, reply) => {
    const ctx = reply.view();
    return reply.page(ctx.t('identity.signup.title'), h(SignupPage, { ctx }));
  });

  app.post<{ Body: Record<string, unknown> }>(
    '/signup',
    // Each sign-up sends a mail: a tighter limit per address than other forms.
    { config: { public: true, rateLimit: { max: 20, windowSeconds: 3600 } } },
    async (request, reply) => {
      const body = request.body ?? {};
      const parsed = parseSignupForm(body);
      const ctx = reply.view();
      if ('problems' in parsed) {
        const values = Object.fromEntries(['email', 'givenName', 'familyName', 'consent'].map((name) => [name, field(body, name)]));
        return reply.page(ctx.t('identity.signup.title'), h(SignupPage, { ctx, problems: parsed.problems, values }), { status: 400 });
      }
      await signUp(kernel, parsed.input, { lang: ctx.lang, ip: request.ip });
      return reply.redirect('/signup/sent', 303);
    },
  );

  app.get('/signup/sent', { config: { public: true } }, async (_request, reply) => {
    const t = reply.view().t;
    return sendMessage(reply, { title: t('identity.signup.sentTitle'), text: t('identity.signup.sentText') });
  });

  const retry = { href: '/login', label: 'identity.link.toLogin' };

  app.get<{ Params: { token: string } }>(
    '/verify-email/:token',
    { config: { public: true }, schema: { params: tokenParams } },
    async (request, reply) => {
      const found = await peekToken(kernel.db, request.params.token, 'verify-email');
      if ('problem' in found) return linkProblemPage(reply, found.problem, retry);
      const ctx = reply.view();
      return reply.page(ctx.t('identity.verify.title'), h(VerifyEmailPage, { ctx, token: request.params.token }));
    },
  );

  app.post<{ Params: { token: string } }>(
    '/verify-email/:token',
    { config: { public: true }, schema: { params: tokenParams } },
    async (request, reply) => {
      const result = await verifyEmail(kernel, request.params.token, { ip: request.ip });
      if ('problem' in result) return linkProblemPage(reply, result.problem, retry);
      return reply.redirect('/login?notice=email-verified', 303);
    },
  );
}
