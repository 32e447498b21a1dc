import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { inTransaction } from '../../../kernel/db/transaction.js';
import { nowMs } from '../../../kernel/db/values.js';
import { CSRF_FIELD, verifyCsrf } from '../../../kernel/http/csrf.js';
import { HttpError } from '../../../kernel/http/errors.js';
import { acceptMultipart, readPostedForm } from '../../../kernel/http/multipart-form.js';
import { actingOf, adminPage, field, fieldList } from '../../../kernel/identity/agents/http.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { FieldError } from '../../../kernel/ui/components.js';
import { isFrozen } from '../campaigns/phases.js';
import type { Campaign } from '../campaigns/store.js';
import { EVALUATE_PERMISSION, envelopesFor, PROJECTS_PERMISSION } from '../proposals/access.js';
import { campaignOr404, campaignParams, noticeOf, projectParams, withFieldErrors } from '../proposals/admin-http.js';
import { proposalsOfProject } from '../proposals/store.js';
import { putOnBallot } from './ballot.js';
import { importEvaluations } from './evaluations-csv.js';
import { findProject, listProjects, type Project } from './store.js';
import { recordEvaluation } from './study.js';
import { AdminProjectPage } from './views/admin-project.js';
import { AdminProjectsPage } from './views/admin-projects.js';

/** The most a CSV of evaluations may weigh: a few thousand lines. */
const CSV_BYTES = 2_000_000;

/** Back office: a campaign's projects, their study (one by one or from CSV), and putting them on the ballot. */
export async function adminProjectRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  const agent = { config: { auth: 'agent' as const } };

  const showList = async (
    request: FastifyRequest,
    reply: FastifyReply,
    campaign: Campaign,
    extras: { errors?: FieldError[]; notice?: string } = {},
  ) => {
    const ctx = reply.view();
    const codes = campaign.envelopes.map((e) => e.code);
    const mine = new Set([
      ...(await envelopesFor(kernel.db, kernel, request.actor, PROJECTS_PERMISSION, codes)),
      ...(await envelopesFor(kernel.db, kernel, request.actor, EVALUATE_PERMISSION, codes)),
    ]);
    const projects = (await listProjects(kernel.db, campaign.id)).filter((p) => mine.has(p.envelope_code));
    const page = h(AdminProjectsPage, {
      ctx,
      campaign,
      projects,
      frozen: isFrozen(campaign, new Date(nowMs())),
      errors: extras.errors ?? [],
      notice: extras.notice,
    });
    const title = ctx.t('participatory-budget.admin.projects.title', { campaign: campaign.title[ctx.lang] });
    return adminPage(kernel, request, reply, title, page, extras.errors?.length ? 400 : undefined);
  };

  app.get<{ Params: { campaign: string }; Querystring: { notice?: string } }>(
    '/admin/budget/:campaign/projects',
    { ...agent, schema: { params: campaignParams } },
    async (request, reply) => {
      const campaign = await campaignOr404(kernel, request.params.campaign);
      return showList(request, reply, campaign, { notice: noticeOf(reply.view(), request.query.notice, ['ballot', 'imported']) });
    },
  );

  const projectOf = async (request: FastifyRequest<{ Params: { campaign: string; code: string } }>) => {
    const campaign = await campaignOr404(kernel, request.params.campaign);
    const project = await findProject(kernel.db, campaign.id, request.params.code);
    if (!project) throw new HttpError(404, 'participatory-budget.project-unknown', 'No such project.');
    return { campaign, project };
  };

  const showProject = async (
    request: FastifyRequest,
    reply: FastifyReply,
    campaign: Campaign,
    project: Project,
    extras: { errors?: FieldError[]; notice?: string; values?: Record<string, string> } = {},
  ) => {
    const ctx = reply.view();
    const mayEvaluate =
      !isFrozen(campaign, new Date(nowMs())) &&
      (await envelopesFor(kernel.db, kernel, request.actor, EVALUATE_PERMISSION, [project.envelope_code])).size > 0;
    const page = h(AdminProjectPage, {
      ctx,
      campaign,
      project,
      proposals: await proposalsOfProject(kernel.db, project.id),
      mayEvaluate,
      values: extras.values ?? {},
      errors: extras.errors ?? [],
      notice: extras.notice,
    });
    const title = `${project.code} — ${ctx.lang === 'en' ? project.title_en : project.title_fr}`;
    return adminPage(kernel, request, reply, title, page, extras.errors?.length ? 400 : undefined);
  };

  app.get<{ Params: { campaign: string; code: string }; Querystring: { notice?: string } }>(
    '/admin/budget/:campaign/projects/:code',
    { ...agent, schema: { params: projectParams } },
    async (request, reply) => {
      const { campaign, project } = await projectOf(request);
      return showProject(request, reply, campaign, project, {
        notice: noticeOf(reply.view(), request.query.notice, ['merged', 'evaluated']),
      });
    },
  );

  app.post<{ Params: { campaign: string; code: string } }>(
    '/admin/budget/:campaign/projects/:code/evaluate',
    { ...agent, schema: { params: projectParams } },
    async (request, reply) => {
      const { campaign, project } = await projectOf(request);
      const values = Object.fromEntries(['feasible', 'cost', 'months', 'explanation'].map((name) => [name, field(request.body, name)]));
      const number = (text: string | undefined) => (text?.replace(/\s/g, '') ? Number(text.replace(/\s/g, '')) : null);
      const ctx = reply.view();
      if (values.feasible !== 'yes' && values.feasible !== 'no') {
        const errors = [{ field: 'feasible', message: ctx.t('participatory-budget.admin.study.chooseFeasible') }];
        return showProject(request, reply, campaign, project, { errors, values });
      }
      const done = await withFieldErrors(ctx, () =>
        inTransaction(kernel.db, (trx) =>
          recordEvaluation(trx, kernel, actingOf(request), campaign.code, project.code, {
            feasible: values.feasible === 'yes',
            cost: number(values.cost),
            months: number(values.months),
            explanation: values.explanation,
          }),
        ),
      );
      if (!done.ok) return showProject(request, reply, campaign, project, { errors: done.errors, values });
      return reply.redirect(`/admin/budget/${campaign.code}/projects/${project.code}?notice=evaluated`, 303);
    },
  );

  app.post<{ Params: { campaign: string } }>(
    '/admin/budget/:campaign/ballot',
    { ...agent, schema: { params: campaignParams } },
    async (request, reply) => {
      const campaign = await campaignOr404(kernel, request.params.campaign);
      const done = await withFieldErrors(reply.view(), () =>
        inTransaction(kernel.db, (trx) => putOnBallot(trx, kernel, actingOf(request), campaign.code, fieldList(request.body, 'projects'))),
      );
      if (!done.ok) return showList(request, reply, campaign, { errors: done.errors });
      return reply.redirect(`/admin/budget/${campaign.code}/projects?notice=ballot`, 303);
    },
  );

  await app.register(async (scope) => {
    await acceptMultipart(scope, { fileBytes: CSV_BYTES, files: 1 });
    scope.post<{ Params: { campaign: string } }>(
      '/admin/budget/:campaign/evaluations',
      { config: { auth: 'agent', csrf: false }, schema: { params: campaignParams } },
      async (request, reply) => {
        const posted = await readPostedForm(request);
        verifyCsrf(kernel.secret, request, [posted.values[CSRF_FIELD]].flat()[0]);
        const campaign = await campaignOr404(kernel, request.params.campaign);
        const ctx = reply.view();
        const file = posted.files.find((f) => f.name === 'csv');
        if (!file || file.truncated) {
          return showList(request, reply, campaign, {
            errors: [{ field: 'csv', message: ctx.t('participatory-budget.admin.csv.missing') }],
          });
        }
        const done = await withFieldErrors(ctx, () =>
          inTransaction(kernel.db, (trx) => importEvaluations(trx, kernel, actingOf(request), campaign.code, file.data.toString('utf8'))),
        );
        if (!done.ok) {
          // "line.3" → "Line 3: …", each linking to the file input.
          const errors = done.errors.map((e) => ({
            field: 'csv',
            message: ctx.t('participatory-budget.admin.csv.line', { line: e.field.split('.')[1] ?? '?', problem: e.message }),
          }));
          return showList(request, reply, campaign, { errors });
        }
        return reply.redirect(`/admin/budget/${campaign.code}/projects?notice=imported`, 303);
      },
    );
  });
}
