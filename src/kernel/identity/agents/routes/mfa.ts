import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Kernel } from '../../../kernel.js';
import type { FieldError } from '../../../ui/components.js';
import type { Acting } from '../acting.js';
import { actingOf, field } from '../http.js';
import { safeNext } from '../login.js';
import { enableTotp, passSecondFactor, pendingTotpSecret } from '../mfa.js';
import { totpQrCode } from '../totp.js';
import { MfaSetupPage, MfaVerifyPage, RecoveryCodesPage } from '../views/mfa.js';

const problem = (reply: FastifyReply, reason: 'invalid' | 'throttled'): FieldError[] => [
  { field: 'code', message: reply.view().t(`admin.mfa.${reason}`) },
];

/** Set-up and second step of login. Open to agents who have not passed it yet (access.ts lets /admin/mfa… through). */
export function mfaRoutes(app: FastifyInstance, kernel: Kernel): void {
  const { maxFailedLogins } = kernel.config.identity;

  // Once TOTP is on, this page would let whoever holds a password-only session replace the device.
  const alreadyEnabled = (who: Acting, reply: FastifyReply) =>
    who.actor.account.totp_enabled_at ? reply.redirect(who.actor.session.mfaPassed ? '/admin/account' : '/admin/mfa', 303) : undefined;

  const showSetup = async (request: FastifyRequest, reply: FastifyReply, who: Acting, errors: FieldError[], status?: number) => {
    const secret = await pendingTotpSecret(kernel.db, who.actor.account.id);
    if (!secret) return reply.redirect('/admin/account', 303);
    const ctx = reply.view();
    const qrCode = await totpQrCode(secret, kernel.config.city.name[ctx.lang], who.actor.account.email);
    const next = safeNext(field(request.query, 'next') || field(request.body, 'next'));
    return reply.page(ctx.t('admin.mfa.setup.title'), h(MfaSetupPage, { ctx, qrCode, secret, errors, next }), { status });
  };

  app.get('/admin/mfa/setup', { config: { auth: 'agent' } }, async (request, reply) => {
    const who = actingOf(request);
    return alreadyEnabled(who, reply) ?? showSetup(request, reply, who, []);
  });

  app.post('/admin/mfa/setup', { config: { auth: 'agent' } }, async (request, reply) => {
    const who = actingOf(request);
    const redirect = alreadyEnabled(who, reply);
    if (redirect) return redirect;
    const outcome = await enableTotp(kernel.db, who, field(request.body, 'code'), maxFailedLogins);
    if (!outcome.ok) return showSetup(request, reply, who, problem(reply, outcome.reason), outcome.reason === 'throttled' ? 429 : 400);
    // The codes exist in clear only now: shown in this response rather than after a redirect.
    const ctx = reply.view();
    const next = safeNext(field(request.body, 'next')) ?? '/admin';
    return reply.page(ctx.t('admin.mfa.codes.title'), h(RecoveryCodesPage, { ctx, codes: outcome.value, next }));
  });

  app.get('/admin/mfa', { config: { auth: 'agent' } }, async (request, reply) => {
    const who = actingOf(request);
    const next = safeNext(field(request.query, 'next'));
    if (who.actor.session.mfaPassed) return reply.redirect(next ?? '/admin', 303);
    if (!who.actor.account.totp_enabled_at) return reply.redirect('/admin/mfa/setup', 303);
    const ctx = reply.view();
    return reply.page(ctx.t('admin.mfa.verify.title'), h(MfaVerifyPage, { ctx, errors: [], next }));
  });

  app.post('/admin/mfa', { config: { auth: 'agent' } }, async (request, reply) => {
    const who = actingOf(request);
    const next = safeNext(field(request.body, 'next'));
    if (who.actor.session.mfaPassed) return reply.redirect(next ?? '/admin', 303);
    const outcome = await passSecondFactor(kernel.db, who, field(request.body, 'code'), maxFailedLogins);
    if (outcome.ok) return reply.redirect(next ?? '/admin', 303);
    const ctx = reply.view();
    const page = h(MfaVerifyPage, { ctx, errors: problem(reply, outcome.reason), next });
    return reply.page(ctx.t('admin.mfa.verify.title'), page, { status: outcome.reason === 'throttled' ? 429 : 400 });
  });
}
