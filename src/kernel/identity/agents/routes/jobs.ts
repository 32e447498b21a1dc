import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { Kernel } from '../../../kernel.js';
import { actingOf, adminPage, field } from '../http.js';
import { replayJob } from '../jobs-admin.js';
import { JobsPage } from '../views/jobs.js';
import { idParams } from './params.js';

const config = { permission: 'admin.jobs' };

export function jobRoutes(app: FastifyInstance, kernel: Kernel): void {
  app.get('/admin/jobs', { config }, async (request, reply) => {
    const ctx = reply.view();
    const notice = field(request.query, 'replayed') ? ctx.t('admin.jobs.replayed') : undefined;
    const page = h(JobsPage, { ctx, jobs: await kernel.jobs.listDead(100), notice });
    return adminPage(kernel, request, reply, ctx.t('admin.jobs.title'), page);
  });

  app.post<{ Params: { id: string } }>('/admin/jobs/:id/replay', { config, schema: { params: idParams } }, async (request, reply) => {
    await replayJob(kernel.db, actingOf(request), request.params.id);
    return reply.redirect('/admin/jobs?replayed=1', 303);
  });
}
