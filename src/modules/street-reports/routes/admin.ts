import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { fromJson } from '../../../kernel/db/values.js';
import { HttpError } from '../../../kernel/http/errors.js';
import { adminPage, field, fieldList } from '../../../kernel/identity/agents/http.js';
import { idParams } from '../../../kernel/identity/agents/routes/params.js';
import { can } from '../../../kernel/identity/authorization.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { FieldError } from '../../../kernel/ui/components.js';
import { findItem, itemHistory } from '../../../kernel/workflow/items.js';
import { runMassAction } from '../../../kernel/workflow/mass.js';
import { WorkflowPanel } from '../../../kernel/workflow/panel.js';
import { availableActions } from '../../../kernel/workflow/transition.js';
import { markDuplicate } from '../domain/duplicates.js';
import { setPriority } from '../domain/priority.js';
import { listQueue, parseQueueFilter, type ReportRow, reportForAgent, scopedReports } from '../domain/queue.js';
import { setPhotoRedacted } from '../domain/redact.js';
import { requalifyReport } from '../domain/requalify.js';
import { listTemplates, templatesFor } from '../domain/response-templates.js';
import { categoriesOf } from '../domain/settings.js';
import { namesOf } from '../views/admin/labels.js';
import { MassResultsPage, QueuePage } from '../views/admin/queue.js';
import { ReportPage } from '../views/admin/report.js';
import { adminTemplateRoutes } from './admin-templates.js';
import { adminToolRoutes } from './admin-tools.js';

const WORKFLOW = 'street-reports:report';
const photoParams = {
  type: 'object',
  required: ['id', 'photo'],
  properties: { id: idParams.properties.id, photo: idParams.properties.id },
} as const;
const NOTICES = ['action-done', 'priority', 'requalified', 'duplicate', 'redacted', 'restored'] as const;

/** Only paths of the queue, so a posted form cannot send anyone elsewhere. */
function queueReturn(value: string): string {
  return /^\/admin\/reports(\?[A-Za-z0-9_.~=&%-]*)?$/.test(value) ? value : '/admin/reports';
}

/** The back office of street reports: queue, report pages, tools and response templates. */
export async function adminRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  await adminQueueRoutes(app, kernel);
  await adminToolRoutes(app, kernel);
  await adminTemplateRoutes(app, kernel);
}

/** The queue, the report page and the triage writes of the back office. */
async function adminQueueRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  const categories = categoriesOf(kernel);
  const view = { config: { permission: 'street-reports.view' } };
  const triage = { config: { permission: 'street-reports.triage' } };

  app.get('/admin/reports', view, async (request, reply) => {
    const ctx = reply.view();
    const query = request.query as Record<string, unknown>;
    const filter = parseQueueFilter(kernel, categories, query);
    const mode = field(query, 'view') === 'map' ? 'map' : 'list';
    const after = field(query, 'after') || undefined;
    // The map shows more at once: points are cheap, rows are not.
    const page = await listQueue(kernel.db, request.actor, categories, filter, { after, limit: mode === 'map' ? 1000 : undefined });
    const wf = kernel.workflows.latest(WORKFLOW);
    const massActions = Object.entries(wf.actions)
      .filter(([, a]) => a.mass && a.trigger === 'manual' && a.by === 'agent' && a.fields.every((f) => !f.required))
      .filter(([, a]) => can(request.actor, a.permission!))
      .map(([code, a]) => [code, a.label[ctx.lang]] as [string, string]);
    const body = h(QueuePage, {
      ctx,
      kernel,
      categories,
      names: namesOf(kernel, categories, ctx),
      filter,
      view: mode,
      rows: page.rows,
      next: page.next,
      paged: !!after,
      massActions,
      notice: field(query, 'notice') === 'requalified' ? ctx.t('street-reports.admin.notice.movedAway') : undefined,
    });
    return adminPage(kernel, request, reply, ctx.t('street-reports.admin.queue.title'), body);
  });

  app.post('/admin/reports/mass', view, async (request, reply) => {
    const ctx = reply.view();
    const back = queueReturn(field(request.body, 'returnTo'));
    const ids = fieldList(request.body, 'reports').filter((id) => /^[0-9a-f]{28}$/.test(id));
    const action = field(request.body, 'action');
    const wf = kernel.workflows.latest(WORKFLOW);
    if (ids.length === 0 || !wf.actions[action]) {
      throw new HttpError(
        400,
        'street-reports.mass-invalid',
        ctx.t(ids.length === 0 ? 'workflow.mass.none' : 'street-reports.admin.errors.action'),
      );
    }
    // Reports outside the agent's units are not even looked up: they are refused as such.
    const found = await scopedReports(kernel.db, request.actor, categories, { sort: 'date', ids })
      .select(['id', 'reference', 'item_id'])
      .execute();
    const byItem = new Map(found.map((r) => [r.item_id, r]));
    const ran = await runMassAction(kernel, request.actor, [...byItem.keys()], action);
    const results = [
      ...ran.map((r) => ({ ...r, reference: byItem.get(r.itemId)!.reference, reportId: byItem.get(r.itemId)!.id })),
      ...ids
        .filter((id) => !found.some((r) => r.id === id))
        .map((id) => ({ itemId: id, ok: false, code: 'workflow.forbidden', reference: id, reportId: id })),
    ];
    const page = h(MassResultsPage, { ctx, action: wf.actions[action]!.label[ctx.lang], results, back });
    return adminPage(kernel, request, reply, ctx.t('workflow.mass.title'), page);
  });

  async function renderReport(
    request: FastifyRequest,
    reply: FastifyReply,
    report: ReportRow,
    options: { errors?: FieldError[]; form?: Record<string, string>; status?: number } = {},
  ) {
    const ctx = reply.view();
    const item = await findItem(kernel.db, report.item_id);
    if (!item) throw new HttpError(404, 'workflow.not-found', 'This item does not exist.');
    const wf = kernel.workflows.get(item.workflow, item.version);
    const returnTo = `/admin/reports/${report.id}`;
    const workflow = h(WorkflowPanel, {
      ctx,
      kernel,
      actor: request.actor,
      item,
      history: await itemHistory(kernel.db, item.id),
      returnTo,
    });
    const photos = await kernel.db
      .selectFrom('street_report_photos')
      .select(['id', 'file_id', 'kind', 'redacted'])
      .where('report_id', '=', report.id)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const original = report.duplicate_of
      ? ((await kernel.db
          .selectFrom('street_reports')
          .select(['id', 'reference'])
          .where('id', '=', report.duplicate_of)
          .executeTakeFirst()) ?? null)
      : null;
    const open = availableActions(kernel, item, request.actor).map(([code]) => code);
    const notice = NOTICES.find((n) => n === field(request.query, 'notice'));
    const names = namesOf(kernel, categories, ctx);
    const page = h(ReportPage, {
      ctx,
      kernel,
      categories,
      names,
      report,
      original,
      photos: photos.map((p) => ({ id: p.id, fileId: p.file_id, kind: p.kind, redacted: Number(p.redacted) === 1 })),
      answers: fromJson<Record<string, unknown>>(report.answers, {}),
      workflow,
      templates: templatesFor(await listTemplates(kernel.db), categories, report.category, open),
      actionLabel: (code) => wf.actions[code]?.label[ctx.lang] ?? code,
      canTriage: can(request.actor, 'street-reports.triage', { unitPath: report.unit_path }),
      notice: notice
        ? ctx.t(notice === 'action-done' ? 'workflow.notice.action-done' : `street-reports.admin.notice.${notice}`)
        : undefined,
      errors: options.errors ?? [],
      form: options.form ?? {},
    });
    return adminPage(kernel, request, reply, `${report.reference} — ${names.category(report.category)}`, page, options.status);
  }

  app.get<{ Params: { id: string } }>('/admin/reports/:id', { ...view, schema: { params: idParams } }, async (request, reply) =>
    renderReport(request, reply, await reportForAgent(kernel.db, request.actor, request.params.id)),
  );

  /** Runs a triage write; a form problem shows the page again with its errors, named after the form's fields. */
  async function triageWrite(
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    work: () => Promise<unknown>,
    rename: Record<string, string>,
    done: (typeof NOTICES)[number],
  ) {
    const ctx = reply.view();
    const report = await reportForAgent(kernel.db, request.actor, request.params.id);
    try {
      await work();
    } catch (err) {
      if (!(err instanceof HttpError) || err.statusCode !== 400 || err.fields.length === 0) throw err;
      const errors = err.fields.map((f) => ({ field: rename[f.field] ?? f.field, message: ctx.t(f.message) }));
      const posted = Object.entries((request.body ?? {}) as Record<string, unknown>);
      const form = Object.fromEntries(posted.filter((e): e is [string, string] => typeof e[1] === 'string'));
      return renderReport(request, reply, report, { errors, form, status: 400 });
    }
    const moved = await kernel.db.selectFrom('street_reports').select('unit_path').where('id', '=', report.id).executeTakeFirst();
    // Requalified into another unit: the agent may no longer see it; back to their queue.
    if (!can(request.actor, 'street-reports.view', { unitPath: moved?.unit_path ?? null })) {
      return reply.redirect(`/admin/reports?notice=${done}`, 303);
    }
    return reply.redirect(`/admin/reports/${report.id}?notice=${done}`, 303);
  }

  app.post<{ Params: { id: string } }>('/admin/reports/:id/priority', { ...triage, schema: { params: idParams } }, (request, reply) =>
    triageWrite(
      request,
      reply,
      () => setPriority(kernel, request.actor, request.params.id, Number(field(request.body, 'priority') || 'x')),
      {},
      'priority',
    ),
  );

  app.post<{ Params: { id: string } }>('/admin/reports/:id/requalify', { ...triage, schema: { params: idParams } }, (request, reply) => {
    const number = (name: string) => {
      const raw = field(request.body, name).trim().replace(',', '.');
      return raw === '' ? undefined : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
    };
    return triageWrite(
      request,
      reply,
      () =>
        requalifyReport(kernel, request.actor, categories, request.params.id, {
          category: field(request.body, 'requalify-category') || undefined,
          lat: number('requalify-lat'),
          lng: number('requalify-lng'),
          address: field(request.body, 'requalify-address'),
        }),
      { category: 'requalify-category', lat: 'requalify-lat' },
      'requalified',
    );
  });

  app.post<{ Params: { id: string } }>('/admin/reports/:id/duplicate', { ...triage, schema: { params: idParams } }, (request, reply) =>
    triageWrite(
      request,
      reply,
      () => markDuplicate(kernel, request.actor, request.params.id, field(request.body, 'original')),
      {},
      'duplicate',
    ),
  );

  for (const [verb, redacted] of [
    ['redact', true],
    ['restore', false],
  ] as const) {
    app.post<{ Params: { id: string; photo: string } }>(
      `/admin/reports/:id/photos/:photo/${verb}`,
      { ...triage, schema: { params: photoParams } },
      async (request, reply) => {
        await setPhotoRedacted(kernel, request.actor, request.params.id, request.params.photo, redacted);
        return reply.redirect(`/admin/reports/${request.params.id}?notice=${redacted ? 'redacted' : 'restored'}`, 303);
      },
    );
  }
}
