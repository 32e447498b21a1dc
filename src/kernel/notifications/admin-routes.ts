import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { actingOf, adminPage, field } from '../identity/agents/http.js';
import type { Kernel } from '../kernel.js';
import {
  canRetry,
  countByStatus,
  type NotificationFilters,
  notificationDetail,
  retryNotification,
  searchNotifications,
} from './back-office.js';
import { CHANNELS, STATUSES } from './status.js';
import { templateRegistry } from './templates.js';
import { NotificationDetailPage } from './views/admin-detail.js';
import { type FilterValues, hrefWith, NotificationsPage } from './views/admin-list.js';

export const config = { permission: 'admin.notifications' };
const ID = { type: 'string', pattern: '^[0-9a-f]{28}$' } as const;
export const idParams = { type: 'object', properties: { id: ID }, required: ['id'] } as const;

const listQuery = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['', ...STATUSES] },
    channel: { type: 'string', enum: ['', ...CHANNELS] },
    template: { type: 'string', maxLength: 100 },
    email: { type: 'string', maxLength: 254 },
    before: { type: 'string', pattern: '^([0-9a-f]{28})?$' },
    lang: { type: 'string' },
  },
} as const;

export function adminNotificationRoutes(app: FastifyInstance, kernel: Kernel): void {
  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/admin/notifications',
    { config, schema: { querystring: listQuery } },
    async (request, reply) => {
      const ctx = reply.view();
      const q = request.query;
      const values: FilterValues = { status: q.status ?? '', channel: q.channel ?? '', template: q.template ?? '', email: q.email ?? '' };
      const filters: NotificationFilters = {
        status: (values.status || undefined) as NotificationFilters['status'],
        channel: (values.channel || undefined) as NotificationFilters['channel'],
        template: values.template || undefined,
        email: values.email || undefined,
        before: q.before || undefined,
      };
      const { rows, more } = await searchNotifications(kernel.db, filters);
      const last = rows.at(-1);
      const page = h(NotificationsPage, {
        ctx,
        values,
        errors: [],
        counts: await countByStatus(kernel.db),
        templates: [...templateRegistry(kernel).keys()].sort(),
        rows,
        olderHref: more && last ? hrefWith(values, { before: last.id }) : undefined,
      });
      return adminPage(kernel, request, reply, ctx.t('notifications.admin.title'), page);
    },
  );

  app.get<{ Params: { id: string } }>('/admin/notifications/:id', { config, schema: { params: idParams } }, async (request, reply) => {
    const ctx = reply.view();
    const detail = await notificationDetail(kernel.db, request.params.id);
    const notice = field(request.query, 'retried') ? ctx.t('notifications.detail.retried') : undefined;
    const page = h(NotificationDetailPage, { ctx, detail, retryable: canRetry(detail), notice });
    return adminPage(kernel, request, reply, ctx.t('notifications.detail.title', { subject: detail.notification.subject }), page);
  });

  app.post<{ Params: { id: string } }>(
    '/admin/notifications/:id/retry',
    { config, schema: { params: idParams } },
    async (request, reply) => {
      const id = await retryNotification(kernel.db, kernel, actingOf(request), request.params.id);
      return reply.redirect(`/admin/notifications/${id}?retried=1`, 303);
    },
  );
}
