import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../../kernel/kernel.js';
import { adminProjectRoutes } from '../projects/routes-admin.js';
import { adminProposalRoutes } from './routes-admin.js';
import { publicProposalRoutes } from './routes-public.js';

/** The proposals' and projects' routes: public pages under /budget, the back office under /admin/budget. */
export async function proposalRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  await publicProposalRoutes(app, kernel);
  await adminProposalRoutes(app, kernel);
  await adminProjectRoutes(app, kernel);
}
