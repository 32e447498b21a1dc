import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../kernel.js';
import { accountRoutes } from './routes/account.js';
import { agentAdminRoutes } from './routes/agents.js';
import { auditRoutes } from './routes/audit.js';
import { homeRoutes } from './routes/home.js';
import { jobRoutes } from './routes/jobs.js';
import { loginRoutes } from './routes/login.js';
import { mfaRoutes } from './routes/mfa.js';
import { roleRoutes } from './routes/roles.js';
import { unitRoutes } from './routes/units.js';

/**
 * The agents' back office under /admin. Handlers stay thin: the domain functions beside this file
 * decide, authorise (`can` with the unit of the resource) and audit, each write in one transaction.
 */
export async function agentRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  loginRoutes(app, kernel);
  mfaRoutes(app, kernel);
  accountRoutes(app, kernel);
  homeRoutes(app, kernel);
  unitRoutes(app, kernel);
  roleRoutes(app, kernel);
  agentAdminRoutes(app, kernel);
  auditRoutes(app, kernel);
  jobRoutes(app, kernel);
}
