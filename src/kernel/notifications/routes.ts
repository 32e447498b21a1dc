import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../kernel.js';
import { accountNotificationRoutes } from './account-routes.js';
import { adminNotificationRoutes } from './admin-routes.js';
import { smsCallbackRoute } from './callback-route.js';
import { templateRoutes } from './template-routes.js';

/** The back office (messages, templates), the residents' messages, and the SMS provider's receipts. */
export async function notificationRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  adminNotificationRoutes(app, kernel);
  templateRoutes(app, kernel);
  accountNotificationRoutes(app, kernel);
  await smsCallbackRoute(app, kernel);
}
