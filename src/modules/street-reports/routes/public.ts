import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../../kernel/kernel.js';
import { publicApiRoutes } from './public-api.js';
import { publicAppRoutes } from './public-app.js';
import { reportFormRoutes } from './public-form.js';
import { publicPageRoutes } from './public-pages.js';

/** The residents' side: the report form, the public list, map and report pages, and the mobile apps' JSON API. */
export async function publicRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  await reportFormRoutes(app, kernel);
  await publicPageRoutes(app, kernel);
  await publicApiRoutes(app, kernel);
  await publicAppRoutes(app, kernel);
}
