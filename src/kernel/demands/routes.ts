import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h, type VNode } from 'preact';
import { HttpError } from '../http/errors.js';
import { acceptMultipart, readMultipartForm } from '../http/multipart-form.js';
import { actingOf, adminPage } from '../identity/agents/http.js';
import { idParams } from '../identity/agents/routes/params.js';
import { citizenOf } from '../identity/citizens/session-cookie.js';
import type { Kernel } from '../kernel.js';
import { countUnread } from '../notifications/inbox.js';
import { GENERIC_STATUSES, type GenericStatus } from '../workflow/definition.js';
import { citizenActionsOf, workflowPanelOf } from '../workflow/panel.js';
import { assertMayHandle, demandAccess } from './access.js';
import { citizenFile, searchCitizens } from './citizen-360.js';
import { markRead } from './demands.js';
import { sendDemandMessage } from './messaging.js';
import { type DemandSummary, demandCounts, demandTimeline, findDemand, listDemands, unreadInbox } from './queries.js';
import { Citizen360Page, CitizenSearchPage } from './views/citizens.js';
import { DashboardPage } from './views/dashboard.js';
import { AgentDemandPage, CitizenDemandPage, type DemandPageState } from './views/demand-page.js';
import { InboxPage } from './views/inbox.js';

const PAGE_SIZE = 30;
const CITIZEN_NOTICES: Record<string, string> = { sent: 'demands.messages.sent', 'action-done': 'workflow.notice.action-done' };
const AGENT_NOTICES: Record<string, string> = {
  'message-sent': 'workflow.notice.message-sent',
  'action-done': 'workflow.notice.action-done',
};
const dashboardQuery = {
  type: 'object',
  properties: {
    type: { type: 'string', pattern: '^[a-z0-9-]+:[a-z0-9-]+$' },
    status: { type: 'string', enum: [...GENERIC_STATUSES, ''] },
    after: { type: 'string', pattern: '^[0-9TZ:.-]+\\|[0-9a-f]{28}$' },
    notice: { type: 'string' },
    lang: { type: 'string' },
  },
} as const;
type DashboardQuery = { type?: string; status?: GenericStatus | ''; after?: string };

/**
 * The resident's dashboard of demands across services, each demand's page with its timeline and
 * messages; the agents' inbox of unread messages, their page of a demand, and the 360° view.
 */
export async function demandRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  const types = [...kernel.demandTypes.values()];
  const citizen = { config: { auth: 'citizen' as const } };
  const agent = { config: { auth: 'agent' as const } };

  app.get<{ Querystring: DashboardQuery }>(
    '/account/demands',
    { ...citizen, schema: { querystring: dashboardQuery } },
    async (request, reply) => {
      const actor = citizenOf(request);
      const ctx = reply.view();
      const filter = { type: request.query.type || undefined, status: request.query.status || undefined };
      const [page, counts, unreadNotifications] = await Promise.all([
        listDemands(kernel.db, actor.account.id, { ...filter, after: request.query.after, limit: PAGE_SIZE }),
        demandCounts(kernel.db, actor.account.id),
        countUnread(kernel.db, actor.account.id),
      ]);
      const state = { demands: page.items, next: page.next, counts, types, filter, unreadNotifications };
      return reply.page(ctx.t('demands.title'), h(DashboardPage, { ctx, state }));
    },
  );

  app.get<{ Querystring: DashboardQuery }>(
    '/api/v1/me/demands',
    {
      ...citizen,
      schema: { tags: ['demands'], summary: "The signed-in resident's demands, latest activity first", querystring: dashboardQuery },
    },
    async (request) => {
      const actor = citizenOf(request);
      const { type, status, after } = request.query;
      return listDemands(kernel.db, actor.account.id, { type: type || undefined, status: status || undefined, after, limit: PAGE_SIZE });
    },
  );

  const ownDemand = async (request: FastifyRequest<{ Params: { id: string } }>) => {
    const demand = await findDemand(kernel.db, request.params.id);
    // Someone else's demand is as unknown as a missing one: ids reveal nothing.
    if (!demand || demand.accountId !== citizenOf(request).account.id)
      throw new HttpError(404, 'demands.not-found', 'This request does not exist.');
    return demand;
  };

  const showCitizenDemand = async (
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    extra: Partial<DemandPageState>,
    status = 200,
  ) => {
    const demand = await ownDemand(request);
    const ctx = reply.view();
    const timeline = await demandTimeline(kernel.db, demand.id, 'citizen');
    if (demand.unreadForCitizen > 0) await markRead(kernel.db, demand.id, 'citizen');
    const actions = await citizenActionsOf(kernel, ctx, request.actor, demand.id, `/account/demands/${demand.id}`);
    const state: DemandPageState = { demand, type: kernel.demandTypes.get(demand.type), timeline, ...extra };
    return reply.page(demand.title, h(CitizenDemandPage, { ctx, state, actions }), { status });
  };

  app.get<{ Params: { id: string }; Querystring: { notice?: string } }>(
    '/account/demands/:id',
    { ...citizen, schema: { params: idParams } },
    async (request, reply) =>
      showCitizenDemand(request, reply, {
        notice: CITIZEN_NOTICES[request.query.notice ?? ''] ? reply.view().t(CITIZEN_NOTICES[request.query.notice ?? '']!) : undefined,
      }),
  );

  const showAgentDemand = async (
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    extra: Partial<DemandPageState>,
    status = 200,
  ) => {
    const demand = await findDemand(kernel.db, request.params.id);
    if (!demand) throw new HttpError(404, 'demands.not-found', 'This request does not exist.');
    const acting = actingOf(request);
    assertMayHandle(kernel, acting.actor, demand);
    const ctx = reply.view();
    const timeline = await demandTimeline(kernel.db, demand.id, 'agent');
    if (demand.unreadForAgents > 0) await markRead(kernel.db, demand.id, 'agent');
    const person = demand.accountId
      ? await kernel.db.selectFrom('accounts').select(['id', 'display_name']).where('id', '=', demand.accountId).executeTakeFirst()
      : undefined;
    const workflow: VNode | null = await workflowPanelOf(kernel, ctx, acting.actor, demand.id, `/admin/demands/${demand.id}`);
    const state: DemandPageState = { demand, type: kernel.demandTypes.get(demand.type), timeline, ...extra };
    const citizenLink = person ? { id: person.id, name: person.display_name } : null;
    return adminPage(kernel, request, reply, demand.title, h(AgentDemandPage, { ctx, state, citizen: citizenLink, workflow }), status);
  };

  app.get<{ Params: { id: string }; Querystring: { notice?: string } }>(
    '/admin/demands/:id',
    { ...agent, schema: { params: idParams } },
    async (request, reply) =>
      showAgentDemand(request, reply, {
        notice: AGENT_NOTICES[request.query.notice ?? ''] ? reply.view().t(AGENT_NOTICES[request.query.notice ?? '']!) : undefined,
      }),
  );

  app.get('/admin/demands', agent, async (request, reply) => {
    const ctx = reply.view();
    const demands = await unreadInbox(kernel.db, demandAccess(kernel, request.actor));
    return adminPage(kernel, request, reply, ctx.t('demands.admin.inbox'), h(InboxPage, { ctx, demands, types: kernel.demandTypes }));
  });

  const view360 = { config: { permission: 'citizens.view' } };
  app.get<{ Querystring: { q?: string } }>(
    '/admin/citizens',
    {
      ...view360,
      schema: { querystring: { type: 'object', properties: { q: { type: 'string', maxLength: 200 }, lang: { type: 'string' } } } },
    },
    async (request, reply) => {
      const ctx = reply.view();
      const q = (request.query.q ?? '').trim();
      const results = q.length >= 2 ? await searchCitizens(kernel.db, q) : null;
      return adminPage(kernel, request, reply, ctx.t('demands.citizens.title'), h(CitizenSearchPage, { ctx, q, results }));
    },
  );

  app.get<{ Params: { id: string } }>('/admin/citizens/:id', { ...view360, schema: { params: idParams } }, async (request, reply) => {
    const ctx = reply.view();
    const file = await citizenFile(kernel.db, request.params.id, demandAccess(kernel, request.actor));
    if (!file) throw new HttpError(404, 'demands.citizen-not-found', 'No resident has this id.');
    return adminPage(kernel, request, reply, file.name, h(Citizen360Page, { ctx, file, types: kernel.demandTypes }));
  });

  // Messages carry attachments: multipart forms, parsed (and their CSRF token checked) in this scope only.
  await app.register(async (scope) => {
    await acceptMultipart(scope, { fileBytes: kernel.config.limits.uploadBytes, files: 1 });
    const read = (request: FastifyRequest) => readMultipartForm(request, kernel.files, kernel.secret, kernel.config.limits.uploadBytes);
    const textOf = (value: string | string[] | undefined) => (Array.isArray(value) ? (value[0] ?? '') : (value ?? ''));

    /** Sends the posted message; a refused one shows the demand's page again with what was typed. */
    const send = async (
      request: FastifyRequest<{ Params: { id: string } }>,
      reply: FastifyReply,
      demand: DemandSummary,
      author: { authorId: string; authorKind: 'citizen' | 'agent' },
      show: typeof showCitizenDemand,
    ) => {
      const form = await read(request);
      const body = textOf(form.fields.body);
      try {
        await sendDemandMessage(kernel, demand, { ...author, body, fileIds: form.files.attachment });
      } catch (err) {
        if (!(err instanceof HttpError) || err.statusCode !== 400) throw err;
        return show(request, reply, { messageError: reply.view().t(`demands.errors.${err.code.split('.')[1]}`), messageBody: body }, 400);
      }
      return null;
    };

    scope.post<{ Params: { id: string } }>(
      '/account/demands/:id/messages',
      { config: { auth: 'citizen', csrf: false }, schema: { params: idParams } },
      async (request, reply) => {
        const demand = await ownDemand(request);
        const author = { authorId: citizenOf(request).account.id, authorKind: 'citizen' as const };
        return (
          (await send(request, reply, demand, author, showCitizenDemand)) ??
          reply.redirect(`/account/demands/${demand.id}?notice=sent`, 303)
        );
      },
    );

    scope.post<{ Params: { id: string } }>(
      '/admin/demands/:id/messages',
      { config: { auth: 'agent', csrf: false }, schema: { params: idParams } },
      async (request, reply) => {
        const demand = await findDemand(kernel.db, request.params.id);
        if (!demand) throw new HttpError(404, 'demands.not-found', 'This request does not exist.');
        const acting = actingOf(request);
        assertMayHandle(kernel, acting.actor, demand);
        const author = { authorId: acting.actor.account.id, authorKind: 'agent' as const };
        return (
          (await send(request, reply, demand, author, showAgentDemand)) ??
          reply.redirect(`/admin/demands/${demand.id}?notice=message-sent`, 303)
        );
      },
    );
  });
}
