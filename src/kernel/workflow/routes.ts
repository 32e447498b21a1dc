import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { HttpError } from '../http/errors.js';
import { acceptMultipart, readMultipartForm } from '../http/multipart-form.js';
import { adminPage, field, fieldList } from '../identity/agents/http.js';
import { idParams } from '../identity/agents/routes/params.js';
import type { Kernel } from '../kernel.js';
import { assertMayWork, itemScopes } from './access.js';
import { findItem, itemHistory, toItem, type WorkflowItem } from './items.js';
import { runMassAction } from './mass.js';
import { WorkflowPanel } from './panel.js';
import { countByState, runAction } from './transition.js';
import { ActionFailedPage, type ItemRow, ItemsPage, MassResultPage, WorkflowDetailPage, WorkflowListPage } from './views/pages.js';

const codeParams = {
  type: 'object',
  required: ['code'],
  properties: { code: { type: 'string', pattern: '^[a-z0-9-]+:[a-z0-9-]+$' } },
} as const;
const actionParams = {
  type: 'object',
  required: ['id', 'action'],
  properties: { id: idParams.properties.id, action: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' } },
} as const;
const ITEMS_SHOWN = 100;

/** Only paths of this site, so a posted form cannot send anyone elsewhere after the action. */
function safeReturn(value: string, fallback: string): string {
  return /^\/(?!\/)[A-Za-z0-9/_.~?=&%-]*$/.test(value) ? value : fallback;
}

/** Labels and links of items: their demand's reference and title when they have one. */
async function itemRows(kernel: Kernel, items: WorkflowItem[]): Promise<ItemRow[]> {
  const demandIds = items.flatMap((i) => (i.demandId ? [i.demandId] : []));
  const demands = demandIds.length
    ? await kernel.db.selectFrom('demands').select(['id', 'reference', 'title', 'type']).where('id', 'in', demandIds).execute()
    : [];
  const byId = new Map(demands.map((d) => [d.id, d]));
  return items.map((i) => {
    const d = i.demandId ? byId.get(i.demandId) : undefined;
    return {
      id: i.id,
      subject: i.subject,
      state: i.state,
      updatedAt: i.updatedAt,
      href: d ? (kernel.demandTypes.get(d.type)?.agentLink?.(i.subject) ?? `/admin/demands/${d.id}`) : `/admin/workflow/items/${i.id}`,
      label: d ? `${d.reference} — ${d.title}` : i.subject,
    };
  });
}

/**
 * The generic back office of workflows: the list and diagrams of definitions, items by state with
 * bulk actions, an item's page, and the action endpoints for agents and residents.
 */
export async function workflowRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  const agent = { config: { auth: 'agent' as const } };

  app.get('/admin/workflows', agent, async (request, reply) => {
    const ctx = reply.view();
    const workflows = await Promise.all(
      kernel.workflows
        .all()
        .map(async (wf) => ({ wf, open: Object.values(await countByState(kernel.db, wf.code)).reduce((a, b) => a + b, 0) })),
    );
    return adminPage(kernel, request, reply, ctx.t('workflow.list.title'), h(WorkflowListPage, { ctx, workflows }));
  });

  const definition = (code: string) => {
    try {
      return kernel.workflows.latest(code);
    } catch {
      throw new HttpError(404, 'workflow.unknown', 'No enabled service has this workflow.');
    }
  };

  app.get<{ Params: { code: string } }>('/admin/workflows/:code', { ...agent, schema: { params: codeParams } }, async (request, reply) => {
    const ctx = reply.view();
    const wf = definition(request.params.code);
    const page = h(WorkflowDetailPage, { ctx, wf, counts: await countByState(kernel.db, wf.code) });
    return adminPage(kernel, request, reply, ctx.t('workflow.diagram.title', { name: wf.label[ctx.lang] }), page);
  });

  app.get<{ Params: { code: string }; Querystring: { state?: string } }>(
    '/admin/workflows/:code/items',
    {
      ...agent,
      schema: {
        params: codeParams,
        querystring: { type: 'object', properties: { state: { type: 'string', maxLength: 64 }, lang: { type: 'string' } } },
      },
    },
    async (request, reply) => {
      const ctx = reply.view();
      const wf = definition(request.params.code);
      const state = request.query.state && wf.states[request.query.state] ? request.query.state : wf.initial;
      const scopes = itemScopes(request.actor, wf);
      let query = kernel.db
        .selectFrom('workflow_items')
        .selectAll()
        .where('workflow', '=', wf.code)
        .where('state', '=', state)
        .where('archived_at', 'is', null);
      if (scopes !== 'all') {
        query = scopes.length
          ? query.where((eb) => eb.or(scopes.map((p) => eb('unit_path', 'like', `${p}%`))))
          : query.where('id', '=', '');
      }
      const rows = await query.orderBy('updated_at', 'desc').limit(ITEMS_SHOWN).execute();
      const items = await itemRows(kernel, rows.map(toItem));
      const massActions = Object.entries(wf.actions)
        .filter(
          ([, a]) => a.mass && a.trigger === 'manual' && a.by === 'agent' && a.from.includes(state) && a.fields.every((f) => !f.required),
        )
        .map(([code, a]) => [code, a.label[ctx.lang]] as [string, string]);
      return adminPage(
        kernel,
        request,
        reply,
        ctx.t('workflow.items.title', { name: wf.label[ctx.lang] }),
        h(ItemsPage, { ctx, wf, state, items, massActions }),
      );
    },
  );

  app.get<{ Params: { id: string } }>('/admin/workflow/items/:id', { ...agent, schema: { params: idParams } }, async (request, reply) => {
    const ctx = reply.view();
    const item = await findItem(kernel.db, request.params.id);
    if (!item) throw new HttpError(404, 'workflow.not-found', 'This item does not exist.');
    const wf = kernel.workflows.get(item.workflow, item.version);
    assertMayWork(request.actor, wf, item);
    const history = await itemHistory(kernel.db, item.id);
    const panel = h(WorkflowPanel, { ctx, kernel, actor: request.actor, item, history, returnTo: `/admin/workflow/items/${item.id}` });
    return adminPage(kernel, request, reply, item.subject, h('div', null, h('h1', null, item.subject), panel));
  });

  app.post<{ Body: Record<string, unknown> }>('/admin/workflow/mass', agent, async (request, reply) => {
    const ctx = reply.view();
    const wf = definition(field(request.body, 'workflow'));
    const ids = fieldList(request.body, 'items');
    if (ids.length === 0) {
      const page = h(ActionFailedPage, {
        ctx,
        message: ctx.t('workflow.mass.none'),
        errors: [],
        back: `/admin/workflows/${wf.code}/items`,
      });
      return adminPage(kernel, request, reply, ctx.t('workflow.failed.title'), page, 400);
    }
    const results = await runMassAction(kernel, request.actor, ids, field(request.body, 'action'));
    const rows = await kernel.db.selectFrom('workflow_items').selectAll().where('id', 'in', ids).execute();
    const labels = new Map((await itemRows(kernel, rows.map(toItem))).map((r) => [r.id, r.label]));
    return adminPage(kernel, request, reply, ctx.t('workflow.mass.title'), h(MassResultPage, { ctx, wf, results, labels }));
  });

  app.post<{
    Params: { id: string; action: string };
    Body: { revision?: number; fields?: Record<string, string>; photos?: Record<string, string[]> };
  }>(
    '/api/v1/workflow/items/:id/actions/:action',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['workflow'],
        summary: 'Run a workflow action on an item (agents, or apps acting for them)',
        description:
          'The same rules as the back office: the action must be possible in the item’s state and the agent must hold its permission in the item’s unit. ' +
          'Give the `revision` you saw to be refused (409) if someone changed the item meanwhile. Photos are ids of files uploaded with POST /api/v1/files.',
        params: actionParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            revision: { type: 'integer', minimum: 1 },
            fields: { type: 'object', additionalProperties: { type: 'string', maxLength: 5000 } },
            photos: {
              type: 'object',
              additionalProperties: { type: 'array', maxItems: 5, items: { type: 'string', pattern: '^[0-9a-f]{28}$' } },
            },
          },
        },
      },
    },
    async (request) => {
      const item = await runAction(kernel, request.actor, request.params.id, request.params.action, request.body ?? {});
      return { id: item.id, state: item.state, revision: item.revision, unitPath: item.unitPath, deadlineAt: item.deadlineAt };
    },
  );

  // Actions may carry photos: multipart forms, parsed (and their CSRF token checked) in this scope.
  await app.register(async (scope) => {
    await acceptMultipart(scope, { fileBytes: kernel.config.limits.uploadBytes, files: 5 });
    const act = async (request: FastifyRequest<{ Params: { id: string; action: string } }>, reply: FastifyReply, home: string) => {
      const form = await readMultipartForm(request, kernel.files, kernel.secret, kernel.config.limits.uploadBytes);
      const text = (name: string) => {
        const v = form.fields[name];
        return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
      };
      const back = safeReturn(text('returnTo'), home);
      // Each action's fields are named "<action>-<field>" so several forms can share a page.
      const prefix = `${request.params.action}-`;
      const fields: Record<string, string> = {};
      const photos: Record<string, string[]> = {};
      for (const name of Object.keys(form.fields)) if (name.startsWith(prefix)) fields[name.slice(prefix.length)] = text(name);
      for (const [name, ids] of Object.entries(form.files)) if (name.startsWith(prefix)) photos[name.slice(prefix.length)] = ids;
      const revision = Number.parseInt(text('revision'), 10);
      try {
        await runAction(kernel, request.actor, request.params.id, request.params.action, {
          fields,
          photos,
          ...(Number.isInteger(revision) ? { revision } : {}),
        });
      } catch (err) {
        if (!(err instanceof HttpError) || err.statusCode >= 500 || err.statusCode === 404) throw err;
        const ctx = reply.view();
        const errors = err.fields.map((f) => ({ field: f.field, message: `${f.field} : ${ctx.t(f.message)}` }));
        const page = h(ActionFailedPage, { ctx, message: ctx.t(`workflow.errors.${err.code}`), errors, back });
        const title = ctx.t('workflow.failed.title');
        return request.actor.kind === 'agent'
          ? adminPage(kernel, request, reply, title, page, err.statusCode)
          : reply.page(title, page, { status: err.statusCode });
      }
      return reply.redirect(`${back}${back.includes('?') ? '&' : '?'}notice=action-done`, 303);
    };
    scope.post<{ Params: { id: string; action: string } }>(
      '/admin/workflow/items/:id/actions/:action',
      { config: { auth: 'agent', csrf: false }, schema: { params: actionParams } },
      (request, reply) => act(request, reply, '/admin'),
    );
    scope.post<{ Params: { id: string; action: string } }>(
      '/account/workflow/items/:id/actions/:action',
      { config: { auth: 'citizen', csrf: false }, schema: { params: actionParams } },
      (request, reply) => act(request, reply, '/account/demands'),
    );
  });
}
