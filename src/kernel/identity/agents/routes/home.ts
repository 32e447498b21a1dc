import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { Kernel } from '../../../kernel.js';
import { actingOf, adminPage } from '../http.js';
import { sectionsFor } from '../sections.js';
import { AdminHome } from '../views/home.js';

export function homeRoutes(app: FastifyInstance, kernel: Kernel): void {
  app.get('/admin', { config: { auth: 'agent' } }, async (request, reply) => {
    const { actor } = actingOf(request);
    const ctx = reply.view();
    const page = h(AdminHome, { ctx, name: actor.account.display_name, sections: sectionsFor(kernel, actor) });
    return adminPage(kernel, request, reply, ctx.t('admin.home.title'), page);
  });
}
