import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { HttpError } from '../../../kernel/http/errors.js';
import { adminPage, field } from '../../../kernel/identity/agents/http.js';
import { idParams } from '../../../kernel/identity/agents/routes/params.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { FieldError } from '../../../kernel/ui/components.js';
import { deleteTemplate, listTemplates, saveTemplate, templatableActions } from '../domain/response-templates.js';
import { categoriesOf } from '../domain/settings.js';
import { namesOf } from '../views/admin/labels.js';
import { TemplatesPage } from '../views/admin/templates.js';

/** Response templates: agents who triage keep the city's saved answers. */
export async function adminTemplateRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  const categories = categoriesOf(kernel);
  const config = { permission: 'street-reports.triage' };
  const wf = kernel.workflows.latest('street-reports:report');

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    errors: FieldError[] = [],
    form: Record<string, string> = {},
    status?: number,
  ) {
    const ctx = reply.view();
    const notice = ['saved', 'deleted'].includes(field(request.query, 'notice'))
      ? ctx.t(`street-reports.admin.templates.${field(request.query, 'notice')}`)
      : undefined;
    const page = h(TemplatesPage, {
      ctx,
      categories,
      names: namesOf(kernel, categories, ctx),
      templates: await listTemplates(kernel.db),
      actions: templatableActions(kernel).map((code) => ({ value: code, label: wf.actions[code]!.label[ctx.lang] })),
      errors,
      form,
      notice,
    });
    return adminPage(kernel, request, reply, ctx.t('street-reports.admin.templates.title'), page, status);
  }

  app.get('/admin/reports/templates', { config }, (request, reply) => render(request, reply));

  app.post('/admin/reports/templates', { config }, async (request, reply) => {
    const ctx = reply.view();
    const form = {
      title: field(request.body, 'title'),
      body: field(request.body, 'body'),
      action: field(request.body, 'action'),
      category: field(request.body, 'category'),
    };
    try {
      await saveTemplate(kernel, request.actor, categories, form);
    } catch (err) {
      if (!(err instanceof HttpError) || err.statusCode !== 400) throw err;
      return render(
        request,
        reply,
        err.fields.map((f) => ({ field: f.field, message: ctx.t(f.message) })),
        form,
        400,
      );
    }
    return reply.redirect('/admin/reports/templates?notice=saved', 303);
  });

  app.post<{ Params: { id: string } }>(
    '/admin/reports/templates/:id/delete',
    { config, schema: { params: idParams } },
    async (request, reply) => {
      await deleteTemplate(kernel, request.actor, request.params.id);
      return reply.redirect('/admin/reports/templates?notice=deleted', 303);
    },
  );
}
