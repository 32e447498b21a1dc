import type { FastifyInstance, FastifyReply } from 'fastify';
import { h } from 'preact';
import { inTransaction } from '../../../kernel/db/transaction.js';
import { HttpError } from '../../../kernel/http/errors.js';
import { acceptMultipart, readMultipartForm } from '../../../kernel/http/multipart-form.js';
import { actingOf, adminPage, field } from '../../../kernel/identity/agents/http.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { FieldError } from '../../../kernel/ui/components.js';
import { assertMayTrack, mayTrack, TRACK_PERMISSION } from './access.js';
import { updateProgress } from './change.js';
import { campaignParams, type ProjectRequest, projectOf, projectParams, visibleCampaign } from './http.js';
import { addMilestone, MILESTONE_LIMITS, milestonesOf } from './milestones.js';
import { listTracked, type TrackedProject } from './project.js';
import { TrackingAdminList, TrackingAdminPage } from './views/admin-page.js';

const NOTICES = { updated: 'updated', milestone: 'milestoneAdded' } as const;
const MILESTONE_FIELDS = ['date', 'titleFr', 'titleEn', 'textFr', 'textEn'] as const;

/** The back office of execution tracking: a campaign's projects the agent may update, and each project's forms. */
export async function adminTrackingRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  const track = { config: { permission: TRACK_PERMISSION } };
  const adminPath = (project: TrackedProject) => `/admin/budget/${project.campaignCode}/realisations/${project.code}`;

  app.get<{ Params: { campaign: string } }>(
    '/admin/budget/:campaign/realisations',
    { ...track, schema: { params: campaignParams } },
    async (request, reply) => {
      const ctx = reply.view();
      const campaign = await visibleCampaign(kernel, request.params.campaign);
      const all = await listTracked(kernel.db, campaign.code);
      // One unit look-up per envelope, not per project.
      const allowed = new Map<string, boolean>();
      for (const code of new Set(all.map((p) => p.envelopeCode))) allowed.set(code, await mayTrack(kernel.db, kernel, request.actor, code));
      const projects = all.filter((p) => allowed.get(p.envelopeCode));
      const title = ctx.t('participatory-budget.tracking.admin.listTitle', { campaign: campaign.title[ctx.lang] });
      const body = h(TrackingAdminList, { ctx, campaignTitle: campaign.title[ctx.lang], campaignCode: campaign.code, projects });
      return adminPage(kernel, request, reply, title, body);
    },
  );

  /** The project of the address, once the agent is known to hold the permission in its unit (403 otherwise). */
  const trackable = async (request: ProjectRequest) => {
    const project = await projectOf(kernel, request);
    await assertMayTrack(kernel.db, kernel, actingOf(request), project.envelopeCode);
    return project;
  };

  async function render(
    request: ProjectRequest,
    reply: FastifyReply,
    project: TrackedProject,
    options: { errors?: FieldError[]; form?: Record<string, string>; status?: number } = {},
  ) {
    const ctx = reply.view();
    const notice = Object.entries(NOTICES).find(([key]) => key === field(request.query, 'notice'))?.[1];
    const body = h(TrackingAdminPage, {
      ctx,
      project,
      milestones: await milestonesOf(kernel.db, project.id),
      errors: options.errors ?? [],
      form: options.form ?? {},
      notice,
    });
    return adminPage(
      kernel,
      request,
      reply,
      ctx.t('participatory-budget.tracking.admin.title', { code: project.code }),
      body,
      options.status,
    );
  }

  /** Runs a write; a refused form shows the page again with its errors and what was typed, and nothing is stored. */
  async function write(
    request: ProjectRequest,
    reply: FastifyReply,
    project: TrackedProject,
    form: Record<string, string>,
    work: () => Promise<unknown>,
    done: keyof typeof NOTICES,
  ) {
    try {
      await work();
    } catch (err) {
      if (!(err instanceof HttpError) || err.statusCode !== 400 || err.fields.length === 0) throw err;
      const errors = err.fields.map((f) => ({ field: f.field, message: reply.view().t(f.message) }));
      return render(request, reply, project, { errors, form, status: 400 });
    }
    return reply.redirect(`${adminPath(project)}?notice=${done}`, 303);
  }

  app.get(
    '/admin/budget/:campaign/realisations/:code',
    { ...track, schema: { params: projectParams } },
    async (request: ProjectRequest, reply) => render(request, reply, await trackable(request)),
  );

  app.post(
    '/admin/budget/:campaign/realisations/:code/progress',
    { ...track, schema: { params: projectParams } },
    async (request: ProjectRequest, reply) => {
      const project = await trackable(request);
      const form = {
        status: field(request.body, 'status'),
        progress: field(request.body, 'progress').trim(),
        reason: field(request.body, 'reason'),
      };
      // Only a whole number is a progress; anything else ("40 %", "4,5") is refused as such by the domain.
      const progress = /^-?\d{1,9}$/.test(form.progress) ? Number(form.progress) : Number.NaN;
      const change = { status: form.status, progress, reason: form.reason };
      return write(
        request,
        reply,
        project,
        form,
        () => inTransaction(kernel.db, (trx) => updateProgress(trx, kernel, actingOf(request), project.id, change)),
        'updated',
      );
    },
  );

  // Milestones carry photos: a multipart form, parsed (and its CSRF token checked) in this scope only.
  await app.register(async (scope) => {
    await acceptMultipart(scope, { fileBytes: kernel.config.limits.uploadBytes, files: MILESTONE_LIMITS.photos + 1 });
    scope.post(
      '/admin/budget/:campaign/realisations/:code/milestones',
      { config: { permission: TRACK_PERMISSION, csrf: false }, schema: { params: projectParams } },
      async (request: ProjectRequest, reply) => {
        const project = await trackable(request);
        const posted = await readMultipartForm(request, kernel.files, kernel.secret, kernel.config.limits.uploadBytes);
        const form = Object.fromEntries(MILESTONE_FIELDS.map((name) => [name, field(posted.fields, name)]));
        const input = {
          date: form.date ?? '',
          title: { fr: form.titleFr ?? '', en: form.titleEn ?? '' },
          text: { fr: form.textFr ?? '', en: form.textEn ?? '' },
          photoIds: posted.files.photos ?? [],
        };
        return write(
          request,
          reply,
          project,
          form,
          () => inTransaction(kernel.db, (trx) => addMilestone(trx, kernel, actingOf(request), project.id, input)),
          'milestone',
        );
      },
    );
  });
}
