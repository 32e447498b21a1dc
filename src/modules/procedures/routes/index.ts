import type { FastifyInstance, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { mountFormFlow } from '../../../kernel/forms/index.js';
import { HttpError } from '../../../kernel/http/errors.js';
import { cityToday } from '../../../kernel/i18n/format.js';
import { adminPage } from '../../../kernel/identity/agents/http.js';
import { idParams } from '../../../kernel/identity/agents/routes/params.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { assertMayWork } from '../../../kernel/workflow/access.js';
import { findItem, itemHistory } from '../../../kernel/workflow/items.js';
import { WorkflowPanel } from '../../../kernel/workflow/panel.js';
import type { Procedure } from '../procedure.js';
import { findApplication } from '../store.js';
import { submitApplication } from '../submit.js';
import { AgentApplicationPage, ApplicationPage, ProcedureListPage, ProcedurePage } from '../views/pages.js';

const codeParams = { type: 'object', required: ['code'], properties: { code: { type: 'string', pattern: '^[a-z0-9-]{1,63}$' } } } as const;

export async function procedureRoutes(app: FastifyInstance, kernel: Kernel, procedures: readonly Procedure[]): Promise<void> {
  const forms = new Map(procedures.map((p) => [p.code, p.form(kernel.districts.all)]));
  const procedureOf = (code: string) => {
    const procedure = procedures.find((p) => p.code === code);
    if (!procedure) throw new HttpError(404, 'procedures.unknown', 'This procedure does not exist or is closed.');
    return procedure;
  };

  app.get('/procedures', { config: { public: true } }, async (_request, reply) => {
    const ctx = reply.view();
    return reply.page(ctx.t('procedures.list.title'), h(ProcedureListPage, { ctx, procedures }));
  });

  app.get<{ Params: { code: string } }>(
    '/procedures/:code',
    { config: { public: true }, schema: { params: codeParams } },
    async (request, reply) => {
      const ctx = reply.view();
      const procedure = procedureOf(request.params.code);
      return reply.page(procedure.title[ctx.lang], h(ProcedurePage, { ctx, procedure }));
    },
  );

  for (const procedure of procedures) {
    await mountFormFlow(app, kernel, {
      form: forms.get(procedure.code)!,
      basePath: `/procedures/${procedure.code}/apply`,
      access: { auth: 'citizen' },
      async onSubmit(trx, submission) {
        const id = await submitApplication(trx, kernel, procedure, submission);
        return { redirect: `/procedures/applications/${id}?sent=1` };
      },
    });
  }

  const applicationOf = async (request: FastifyRequest<{ Params: { id: string } }>) => {
    const application = await findApplication(kernel.db, request.params.id);
    if (!application) throw new HttpError(404, 'procedures.application-not-found', 'This application does not exist.');
    const demand = await kernel.db
      .selectFrom('demands')
      .select('reference')
      .where('id', '=', application.demandId)
      .executeTakeFirstOrThrow();
    const procedure = procedureOf(application.procedure);
    return { application, procedure, form: forms.get(procedure.code)!, reference: demand.reference };
  };

  app.get<{ Params: { id: string }; Querystring: { sent?: string } }>(
    '/procedures/applications/:id',
    { config: { auth: 'citizen' }, schema: { params: idParams } },
    async (request, reply) => {
      const ctx = reply.view();
      const found = await applicationOf(request);
      // Someone else's application is as unknown as a missing one.
      if (request.actor.kind !== 'citizen' || found.application.accountId !== request.actor.account.id) {
        throw new HttpError(404, 'procedures.application-not-found', 'This application does not exist.');
      }
      return reply.page(found.procedure.title[ctx.lang], h(ApplicationPage, { ctx, ...found, sent: request.query.sent === '1' }));
    },
  );

  app.get<{ Params: { id: string }; Querystring: { notice?: string } }>(
    '/admin/procedures/applications/:id',
    { config: { auth: 'agent' }, schema: { params: idParams } },
    async (request, reply) => {
      const ctx = reply.view();
      const found = await applicationOf(request);
      const item = (await findItem(kernel.db, found.application.itemId))!;
      assertMayWork(request.actor, kernel.workflows.get(item.workflow, item.version), item);
      const returnTo = `/admin/procedures/applications/${found.application.id}`;
      const workflow = h(WorkflowPanel, {
        ctx,
        kernel,
        actor: request.actor,
        item,
        history: await itemHistory(kernel.db, item.id),
        returnTo,
      });
      const notes = found.procedure.eligibility(found.application.data, cityToday(ctx.city.timezone));
      const notice = request.query.notice === 'action-done' ? ctx.t('workflow.notice.action-done') : undefined;
      const page = h(AgentApplicationPage, { ctx, ...found, notes, workflow, notice });
      return adminPage(kernel, request, reply, `${found.reference} — ${found.procedure.title[ctx.lang]}`, page);
    },
  );
}
