import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { field } from '../identity/agents/http.js';
import { citizenOf } from '../identity/citizens/session-cookie.js';
import type { Kernel } from '../kernel.js';
import { listNotifications, markRead } from './inbox.js';
import { InboxPage } from './views/inbox.js';

const citizensOnly = { auth: 'citizen' as const };

/** A resident's messages from the city (the dashboard channel). */
export function accountNotificationRoutes(app: FastifyInstance, kernel: Kernel): void {
  app.get('/account/notifications', { config: citizensOnly }, async (request, reply) => {
    const ctx = reply.view();
    const items = await listNotifications(kernel.db, citizenOf(request).account.id, { limit: 100 });
    const notice = field(request.query, 'read') ? ctx.t('notifications.inbox.marked') : undefined;
    return reply.page(ctx.t('notifications.inbox.title'), h(InboxPage, { ctx, items, notice }));
  });

  app.post(
    '/account/notifications/read',
    {
      config: citizensOnly,
      schema: {
        body: {
          type: 'object',
          properties: { id: { type: 'string', pattern: '^[0-9a-f]{28}$' } },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const id = field(request.body, 'id') || undefined;
      await markRead(kernel.db, citizenOf(request).account.id, id);
      return reply.redirect('/account/notifications?read=1', 303);
    },
  );
}
