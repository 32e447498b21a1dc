import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../../kernel/kernel.js';
import { adminTrackingRoutes } from './admin-routes.js';
import { publicTrackingRoutes } from './public-routes.js';

/** Execution tracking's pages: the public list, map and project pages with following, and the back office. */
export async function trackingRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  await publicTrackingRoutes(app, kernel);
  await adminTrackingRoutes(app, kernel);
}
