import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Kernel } from '../../../kernel.js';
import type { FieldError } from '../../../ui/components.js';
import { agentFor, createAgent, grantRole, listAgents, revokeGrant, setAgentStatus } from '../agents.js';
import { actingOf, adminPage, attempt, field } from '../http.js';
import { listRoles } from '../roles.js';
import { unitsWhere } from '../unit-admin.js';
import { AgentCreatedPage, AgentPage, AgentsPage, NewAgentPage, type NewAgentValues } from '../views/agents.js';
import { grantParams, idParams } from './params.js';

const config = { permission: 'admin.agents' };
type IdRequest = FastifyRequest<{ Params: { id: string } }>;

const NOTICES: Record<string, string> = {
  created: 'admin.agents.done.created',
  granted: 'admin.agents.done.granted',
  revoked: 'admin.agents.done.revoked',
  disabled: 'admin.agents.done.disabled',
  enabled: 'admin.agents.done.enabled',
};

export function agentAdminRoutes(app: FastifyInstance, kernel: Kernel): void {
  const choices = async (request: FastifyRequest) => ({
    roles: await listRoles(kernel.db),
    units: await unitsWhere(kernel.db, request.actor, 'admin.agents'),
  });

  app.get('/admin/agents', { config }, async (request, reply) => {
    const ctx = reply.view();
    const page = h(AgentsPage, { ctx, agents: await listAgents(kernel.db, request.actor) });
    return adminPage(kernel, request, reply, ctx.t('admin.agents.title'), page);
  });

  const newForm = async (request: FastifyRequest, reply: FastifyReply, values: NewAgentValues, errors: FieldError[]) => {
    const ctx = reply.view();
    const roleOptional = actingOf(request).actor.admin;
    const page = h(NewAgentPage, { ctx, ...(await choices(request)), roleOptional, values, errors });
    return adminPage(kernel, request, reply, ctx.t('admin.agents.create'), page, errors.length ? 400 : undefined);
  };

  app.get('/admin/agents/new', { config }, async (request, reply) => newForm(request, reply, {}, []));

  app.post('/admin/agents', { config }, async (request, reply) => {
    const body = request.body;
    const values = {
      email: field(body, 'email').trim(),
      display_name: field(body, 'display_name').trim(),
      access: field(body, 'access'),
      role: field(body, 'role'),
      unit: field(body, 'unit'),
    };
    const input = {
      email: values.email,
      displayName: values.display_name,
      password: values.access === 'password' ? field(body, 'password') : undefined,
      role: values.role || undefined,
      unit: values.unit || undefined,
    };
    const ctx = reply.view();
    const result = await attempt(ctx.t, () => createAgent(kernel.db, actingOf(request), input));
    if (!result.ok) return newForm(request, reply, values, result.errors);
    const { id, setPasswordToken } = result.value;
    if (!setPasswordToken) return reply.redirect(`/admin/agents/${id}?done=created`, 303);
    // The link exists in clear only now: shown in this response rather than after a redirect.
    const origin = kernel.config.publicUrl ?? `${request.protocol}://${request.host}`;
    const link = `${origin}/admin/password?token=${setPasswordToken}`;
    const page = h(AgentCreatedPage, { ctx, agentId: id, email: values.email, link });
    return adminPage(kernel, request, reply, ctx.t('admin.agents.created'), page);
  });

  const show = async (request: IdRequest, reply: FastifyReply, errors: FieldError[], values: { role?: string; unit?: string } = {}) => {
    const { actor } = actingOf(request);
    const agent = await agentFor(kernel.db, actor, request.params.id);
    const ctx = reply.view();
    const notice = NOTICES[field(request.query, 'done')];
    const page = h(AgentPage, {
      ctx,
      agent,
      self: agent.id === actor.account.id,
      ...(await choices(request)),
      values,
      errors,
      notice: notice && ctx.t(notice),
    });
    return adminPage(kernel, request, reply, agent.displayName, page, errors.length ? 400 : undefined);
  };

  app.get<{ Params: { id: string } }>('/admin/agents/:id', { config, schema: { params: idParams } }, async (request, reply) =>
    show(request, reply, []),
  );

  app.post<{ Params: { id: string } }>('/admin/agents/:id/grants', { config, schema: { params: idParams } }, async (request, reply) => {
    const values = { role: field(request.body, 'role'), unit: field(request.body, 'unit') };
    const result = await attempt(reply.view().t, () => grantRole(kernel.db, actingOf(request), request.params.id, values));
    return result.ok ? reply.redirect(`/admin/agents/${request.params.id}?done=granted`, 303) : show(request, reply, result.errors, values);
  });

  app.post<{ Params: { id: string; grantId: string } }>(
    '/admin/agents/:id/grants/:grantId/revoke',
    { config, schema: { params: grantParams } },
    async (request, reply) => {
      await revokeGrant(kernel.db, actingOf(request), request.params.id, request.params.grantId);
      return reply.redirect(`/admin/agents/${request.params.id}?done=revoked`, 303);
    },
  );

  for (const [action, status, done] of [
    ['disable', 'disabled', 'disabled'],
    ['enable', 'active', 'enabled'],
  ] as const) {
    app.post<{ Params: { id: string } }>(
      `/admin/agents/:id/${action}`,
      { config, schema: { params: idParams } },
      async (request, reply) => {
        await setAgentStatus(kernel.db, actingOf(request), request.params.id, status);
        return reply.redirect(`/admin/agents/${request.params.id}?done=${done}`, 303);
      },
    );
  }
}
