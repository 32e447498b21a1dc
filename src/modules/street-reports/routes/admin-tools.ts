import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { cityToday } from '../../../kernel/i18n/format.js';
import { adminPage } from '../../../kernel/identity/agents/http.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { EXPORT_TYPES, type ExportFormat, exportReports } from '../domain/exports.js';
import { filterQuery, listQueue, parseQueueFilter, routeOrder } from '../domain/queue.js';
import { categoriesOf } from '../domain/settings.js';
import { dashboardFigures } from '../domain/stats.js';
import { DashboardPage } from '../views/admin/dashboard.js';
import { namesOf } from '../views/admin/labels.js';
import { RouteSheetPage } from '../views/admin/route-sheet.js';
import { BACK_OFFICE_CSS } from '../views/admin/stylesheet.js';

/** A field team's round: more stops than this is no longer one round. */
export const ROUTE_MAX = 100;

/** The dashboard, the route sheet, the exports and the back office's stylesheet. */
export async function adminToolRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  const categories = categoriesOf(kernel);
  const view = { config: { permission: 'street-reports.view' } };

  app.get('/admin/reports/back-office.css', { config: { auth: 'agent' }, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'private, max-age=3600').send(BACK_OFFICE_CSS),
  );

  app.get('/admin/reports/dashboard', view, async (request, reply) => {
    const ctx = reply.view();
    const filter = parseQueueFilter(kernel, categories, request.query as Record<string, unknown>);
    const figures = await dashboardFigures(kernel.db, kernel.database.engine, request.actor, categories, filter);
    const page = h(DashboardPage, { ctx, kernel, categories, names: namesOf(kernel, categories, ctx), filter, figures });
    return adminPage(kernel, request, reply, ctx.t('street-reports.admin.dashboard.title'), page);
  });

  app.get('/admin/reports/route-sheet', view, async (request, reply) => {
    const ctx = reply.view();
    const filter = parseQueueFilter(kernel, categories, request.query as Record<string, unknown>);
    // A round is for what is still to do, unless the agent asked for a state.
    const open = filter.state || filter.ids ? filter : { ...filter, sort: 'priority' as const };
    const { rows, next } = await listQueue(kernel.db, request.actor, categories, open, { limit: ROUTE_MAX });
    const stops = routeOrder(filter.state || filter.ids ? rows : rows.filter((r) => r.status === 'open'));
    const page = h(RouteSheetPage, {
      ctx,
      kernel,
      names: namesOf(kernel, categories, ctx),
      district: filter.district,
      stops,
      totalMetres: stops.reduce((sum, s) => sum + s.legMetres, 0),
      truncated: next !== null,
      back: `/admin/reports?${filterQuery(filter)}`,
    });
    return adminPage(
      kernel,
      request,
      reply,
      ctx.t('street-reports.admin.route.title', {
        where: filter.district ? (kernel.districts.byCode(filter.district)?.name ?? '') : ctx.t('street-reports.admin.route.allDistricts'),
      }),
      page,
    );
  });

  for (const format of ['csv', 'xlsx', 'geojson'] as ExportFormat[]) {
    app.get(`/admin/reports/export.${format}`, view, async (request, reply) => {
      const filter = parseQueueFilter(kernel, categories, request.query as Record<string, unknown>);
      const lang = reply.view().lang;
      const day = cityToday(kernel.config.city.timezone);
      return reply
        .type(EXPORT_TYPES[format])
        .header('content-disposition', `attachment; filename="reports-${day}.${format}"`)
        .header('cache-control', 'no-store')
        .send(exportReports(kernel, kernel.db, request.actor, categories, filter, format, lang));
    });
  }
}
