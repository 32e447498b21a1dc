import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Kernel } from '../../kernel.js';
import type { Actor } from '../authorization.js';
import { verifyPassword } from '../password.js';
import { SESSION_COOKIE } from '../sessions.js';
import { deleteAccount, exportPersonalData } from './personal-data.js';
import { DeletedPage, PrivacyPage } from './views.js';

type Citizen = Extract<Actor, { kind: 'citizen' }>;

/** GDPR: a resident downloads everything held about them, and deletes their account. */
export async function privacyRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  const citizen = (request: FastifyRequest) => request.actor as Citizen;
  const passwordHash = async (accountId: string) =>
    (await kernel.db.selectFrom('accounts').select('password_hash').where('id', '=', accountId).executeTakeFirst())?.password_hash ?? null;
  const show = async (request: FastifyRequest, reply: FastifyReply, errors: { field: string; message: string }[] = []) => {
    const ctx = reply.view();
    const hasPassword = (await passwordHash(citizen(request).account.id)) !== null;
    return reply.page(ctx.t('privacy.title'), h(PrivacyPage, { ctx, hasPassword, errors }), { status: errors.length ? 400 : 200 });
  };

  app.get('/account/data', { config: { auth: 'citizen' } }, async (request, reply) => show(request, reply));

  app.get('/account/data.json', { config: { auth: 'citizen' } }, async (request, reply) => {
    const data = await exportPersonalData(kernel, citizen(request).account.id);
    return reply
      .header('content-disposition', 'attachment; filename="mes-donnees.json"')
      .header('cache-control', 'no-store')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  });

  app.post<{ Body: { password?: string; confirm?: string } }>(
    '/account/delete',
    { config: { auth: 'citizen' } },
    async (request, reply) => {
      const actor = citizen(request);
      const t = reply.view().t;
      const hash = await passwordHash(actor.account.id);
      if (hash) {
        if (!(await verifyPassword(String(request.body?.password ?? ''), hash))) {
          return show(request, reply, [{ field: 'password', message: t('privacy.delete.errors.password') }]);
        }
      } else if (
        String(request.body?.confirm ?? '')
          .trim()
          .toUpperCase() !== t('privacy.delete.confirmWord')
      ) {
        return show(request, reply, [{ field: 'confirm', message: t('privacy.delete.errors.confirm') }]);
      }
      await deleteAccount(kernel, actor);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      request.actor = { kind: 'anonymous' };
      request.civitasView = null;
      const ctx = reply.view();
      return reply.page(ctx.t('privacy.deleted.title'), h(DeletedPage, { ctx }));
    },
  );
}
