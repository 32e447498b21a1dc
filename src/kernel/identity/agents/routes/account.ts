import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Kernel } from '../../../kernel.js';
import type { FieldError } from '../../../ui/components.js';
import { actingOf, adminPage, attempt, field } from '../http.js';
import { disableTotp } from '../mfa.js';
import { changePassword } from '../own-account.js';
import { remainingRecoveryCodes } from '../recovery-codes.js';
import { isSetPasswordTokenValid, setPasswordWithToken } from '../set-password.js';
import { AccountPage } from '../views/account.js';
import { SetPasswordPage } from '../views/set-password.js';

const NOTICES: Record<string, string> = { password: 'admin.account.passwordChanged', 'mfa-disabled': 'admin.account.mfaDisabled' };

/** The agent's own account, and the set-password link of new agents. */
export function accountRoutes(app: FastifyInstance, kernel: Kernel): void {
  const { maxFailedLogins, requireAgentMfa } = kernel.config.identity;

  const show = async (request: FastifyRequest, reply: FastifyReply, errors: FieldError[], status?: number) => {
    const { actor } = actingOf(request);
    const row = await kernel.db
      .selectFrom('accounts')
      .select(['totp_enabled_at', 'recovery_codes'])
      .where('id', '=', actor.account.id)
      .executeTakeFirstOrThrow();
    const ctx = reply.view();
    const account = {
      email: actor.account.email,
      displayName: actor.account.display_name,
      totpEnabledAt: row.totp_enabled_at,
      recoveryCodesLeft: remainingRecoveryCodes(row.recovery_codes),
    };
    const notice = NOTICES[field(request.query, 'done')];
    const page = h(AccountPage, { ctx, account, mandatory: requireAgentMfa, errors, notice: notice && ctx.t(notice) });
    return adminPage(kernel, request, reply, ctx.t('admin.account.title'), page, status);
  };

  app.get('/admin/account', { config: { auth: 'agent' } }, async (request, reply) => show(request, reply, []));

  app.post('/admin/account/password', { config: { auth: 'agent' } }, async (request, reply) => {
    const input = {
      current: field(request.body, 'current_password'),
      next: field(request.body, 'new_password'),
      confirmation: field(request.body, 'confirm_password'),
    };
    const result = await attempt(reply.view().t, () => changePassword(kernel.db, actingOf(request), input, maxFailedLogins));
    return result.ok ? reply.redirect('/admin/account?done=password', 303) : show(request, reply, result.errors, 400);
  });

  app.post('/admin/account/mfa/disable', { config: { auth: 'agent' } }, async (request, reply) => {
    const password = field(request.body, 'disable_password');
    const options = { mandatory: requireAgentMfa, maxFailures: maxFailedLogins };
    const result = await attempt(reply.view().t, () => disableTotp(kernel.db, actingOf(request), password, options));
    if (!result.ok) return show(request, reply, result.errors, 400);
    return reply.redirect(requireAgentMfa ? '/admin/mfa/setup' : '/admin/account?done=mfa-disabled', 303);
  });

  app.get('/admin/password', { config: { public: true } }, async (request, reply) => {
    const token = field(request.query, 'token');
    const ctx = reply.view();
    const valid = await isSetPasswordTokenValid(kernel.db, token);
    return reply.page(ctx.t('admin.setPassword.title'), h(SetPasswordPage, { ctx, token, valid, errors: [] }), {
      status: valid ? 200 : 400,
    });
  });

  app.post('/admin/password', { config: { public: true } }, async (request, reply) => {
    const ctx = reply.view();
    const token = field(request.body, 'token');
    const input = {
      token,
      password: field(request.body, 'new_password'),
      confirmation: field(request.body, 'confirm_password'),
      ip: request.ip,
    };
    const result = await attempt(ctx.t, () => setPasswordWithToken(kernel.db, input));
    if (result.ok && result.value) return reply.redirect('/admin/login?password=set', 303);
    const page = h(SetPasswordPage, { ctx, token, valid: result.ok ? result.value : true, errors: result.ok ? [] : result.errors });
    return reply.page(ctx.t('admin.setPassword.title'), page, { status: 400 });
  });
}
