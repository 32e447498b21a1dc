import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { projection, viewFrom } from '../../../kernel/geo/map.js';
import { HttpError } from '../../../kernel/http/errors.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { FieldError } from '../../../kernel/ui/components.js';
import { followReport, isFollowing, unfollowReport } from '../domain/follow.js';
import { clusterReports, countPublicReports, findPublicReport, listPublicReports, type PublicFilters } from '../domain/public-queries.js';
import { categoriesOf } from '../domain/settings.js';
import { ListPage } from '../views/public/list-page.js';
import { MapImage } from '../views/public/map.js';
import { ReportPage } from '../views/public/report-page.js';

/** Width of the public map in pixels; cells of the clustering grid are this many pixels wide. */
export const LIST_MAP_WIDTH = 640;
export const CLUSTER_CELL_PX = 32;
const PAGE_SIZE = 25;

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9a-f]{28}$' } } } as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface ListQuery {
  status?: string;
  category?: string;
  district?: string;
  from?: string;
  to?: string;
  after?: string;
  zoom?: string;
  lat?: string;
  lng?: string;
}

/** The public list and map, a report's page, the map images, and following. */
export async function publicPageRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  const tree = categoriesOf(kernel);

  app.get<{ Querystring: ListQuery }>(
    '/reports',
    {
      config: { public: true },
      schema: {
        querystring: {
          type: 'object',
          properties: Object.fromEntries(
            ['status', 'category', 'district', 'from', 'to', 'after', 'zoom', 'lat', 'lng', 'lang'].map((k) => [
              k,
              { type: 'string', maxLength: 200 },
            ]),
          ),
        },
      },
    },
    async (request, reply) => {
      const ctx = reply.view();
      const q = request.query;
      const errors: FieldError[] = [];
      // Unknown values of a filter are ignored (an old link); a malformed date is said.
      const filters: PublicFilters = {
        status: q.status === 'open' || q.status === 'closed' ? q.status : undefined,
        category: q.category && tree.byCode.has(q.category) ? q.category : undefined,
        district: q.district && kernel.districts.byCode(q.district) ? q.district : undefined,
      };
      for (const key of ['from', 'to'] as const) {
        const value = q[key]?.trim();
        if (!value) continue;
        if (DATE.test(value) && !Number.isNaN(Date.parse(value))) filters[key] = value;
        else errors.push({ field: key, message: ctx.t('street-reports.public.list.badDate') });
      }
      const view = viewFrom(kernel.districts, { lat: q.lat, lng: q.lng, zoom: q.zoom });
      const proj = projection(kernel.districts, view, LIST_MAP_WIDTH);
      const cell = (CLUSTER_CELL_PX / proj.width) * (proj.bbox.maxLon - proj.bbox.minLon);
      const cellLat = (CLUSTER_CELL_PX / proj.height) * (proj.bbox.maxLat - proj.bbox.minLat);
      const [page, total, clusters] = await Promise.all([
        listPublicReports(kernel.db, tree, filters, { after: q.after, limit: PAGE_SIZE }),
        countPublicReports(kernel.db, tree, filters),
        clusterReports(kernel.db, tree, { ...filters, bbox: proj.bbox }, { cellLat, cellLng: cell }),
      ]);
      const base = new URLSearchParams();
      for (const [k, v] of Object.entries(q)) if (typeof v === 'string' && v !== '' && k !== 'lang') base.set(k, v);
      const href = (changes: Record<string, string | null>) => {
        const next = new URLSearchParams(base);
        for (const [k, v] of Object.entries(changes)) v === null ? next.delete(k) : next.set(k, v);
        const s = next.toString();
        return s ? `/reports?${s}` : '/reports';
      };
      return reply.page(
        ctx.t('street-reports.public.list.title'),
        h(ListPage, {
          ctx,
          tree,
          districts: kernel.districts,
          filters,
          errors,
          rows: page.rows,
          next: page.next,
          total,
          proj,
          clusters,
          href,
        }),
        errors.length ? { status: 400 } : undefined,
      );
    },
  );

  app.get<{ Querystring: { zoom?: string; lat?: string; lng?: string; plat?: string; plng?: string; w?: string } }>(
    '/reports/map.svg',
    {
      config: { public: true },
      schema: {
        querystring: {
          type: 'object',
          properties: Object.fromEntries(['zoom', 'lat', 'lng', 'plat', 'plng'].map((k) => [k, { type: 'string', maxLength: 20 }])),
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const view = viewFrom(kernel.districts, q);
      const plat = Number(q.plat);
      const plng = Number(q.plng);
      const marker = q.plat && q.plng && Number.isFinite(plat) && Number.isFinite(plng) ? { lat: plat, lng: plng } : null;
      const svg = renderToString(
        h(MapImage, {
          title: reply.view().t('street-reports.public.list.map'),
          districts: kernel.districts,
          proj: projection(kernel.districts, view, 340),
          marker,
        }),
      );
      return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'public, max-age=3600').send(svg);
    },
  );

  const reportOf = async (id: string) => {
    const report = await findPublicReport(kernel.db, kernel, id);
    if (!report) throw new HttpError(404, 'street-reports.not-found', 'This report does not exist.');
    return report;
  };

  app.get<{ Params: { id: string }; Querystring: { notice?: string } }>(
    '/reports/:id',
    {
      config: { public: true },
      schema: { params: idParams, querystring: { type: 'object', properties: { notice: { type: 'string' }, lang: { type: 'string' } } } },
    },
    async (request, reply) => {
      const ctx = reply.view();
      const report = await reportOf(request.params.id);
      const actor = request.actor;
      const citizen = actor.kind === 'citizen' ? actor.account.id : null;
      const notice = ['sent', 'followed', 'unfollowed'].includes(request.query.notice ?? '')
        ? (request.query.notice as 'sent' | 'followed' | 'unfollowed')
        : undefined;
      return reply.page(
        ctx.t('street-reports.public.report.title', { reference: report.reference }),
        h(ReportPage, {
          ctx,
          tree,
          report,
          districtName: kernel.districts.byCode(report.district)?.name ?? report.district,
          following: citizen ? await isFollowing(kernel.db, report.id, citizen) : null,
          isReporter: citizen !== null && citizen === report.accountId,
          notice,
        }),
      );
    },
  );

  const follow =
    (change: typeof followReport, notice: string) => async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
      if (request.actor.kind !== 'citizen') throw new HttpError(403, 'forbidden', 'Log in as a resident to follow a report.');
      await change(kernel.db, request.params.id, request.actor.account.id);
      return reply.redirect(`/reports/${request.params.id}?notice=${notice}`, 303);
    };
  app.post('/reports/:id/follow', { config: { auth: 'citizen' }, schema: { params: idParams } }, follow(followReport, 'followed'));
  app.post('/reports/:id/unfollow', { config: { auth: 'citizen' }, schema: { params: idParams } }, follow(unfollowReport, 'unfollowed'));
}
