import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kernel } from '../../kernel.js';
import { changePassword, endAllSessions } from './account-security.js';
import { parseProfileForm, readProfile, updateProfile } from './profile.js';
import { citizenOf, clearSessionCookie } from './session-cookie.js';
import { type AccountState, renderAccountPage } from './views/account.js';

const NOTICES: Record<string, string> = {
  'profile-saved': 'identity.notice.profileSaved',
  'password-changed': 'identity.notice.passwordChanged',
};

const citizensOnly = { config: { auth: 'citizen' as const } };

export function accountRoutes(app: FastifyInstance, kernel: Kernel): void {
  const providerLabel = kernel.config.oidc?.label ?? 'OpenID Connect';

  const show = async (request: FastifyRequest, reply: FastifyReply, state: Partial<AccountState>, status = 200) => {
    const actor = citizenOf(request);
    const ctx = reply.view();
    // The page's GET reads the profile with the session (`withProfile`); after a post it is read again.
    const profile = actor.profile ?? (await readProfile(kernel.db, actor.account.id, ctx.lang));
    return reply.html(renderAccountPage(ctx, { profile, hasPassword: profile.hasPassword, providerLabel, ...state }), { status });
  };

  app.get<{ Querystring: { notice?: string } }>(
    '/account',
    {
      config: { auth: 'citizen', withProfile: true },
      schema: { querystring: { type: 'object', properties: { notice: { type: 'string' }, lang: { type: 'string' } } } },
    },
    async (request, reply) => show(request, reply, { notice: NOTICES[request.query.notice ?? ''] }),
  );

  app.post<{ Body: Record<string, unknown> }>('/account/profile', citizensOnly, async (request, reply) => {
    const actor = citizenOf(request);
    const changes = parseProfileForm(request.body ?? {});
    const result = await updateProfile(kernel, actor, changes, { ip: request.ip });
    if ('problems' in result) return show(request, reply, { profileForm: { problems: result.problems, values: changes } }, 400);
    return reply.redirect('/account?notice=profile-saved', 303);
  });

  app.post<{ Body: Record<string, unknown> }>('/account/password', citizensOnly, async (request, reply) => {
    const actor = citizenOf(request);
    const body = request.body ?? {};
    const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
    const result = await changePassword(
      kernel,
      actor,
      { current: text('currentPassword'), password: text('newPassword') },
      { ip: request.ip },
    );
    if ('problems' in result) return show(request, reply, { passwordForm: { problems: result.problems } }, 400);
    return reply.redirect('/account?notice=password-changed', 303);
  });

  app.post('/account/sessions/revoke', citizensOnly, async (request, reply) => {
    await endAllSessions(kernel, citizenOf(request), { ip: request.ip });
    clearSessionCookie(request, reply);
    return reply.redirect('/login?notice=sessions-revoked', 303);
  });
}
