import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../kernel.js';
import { agentRoutes } from './agents/routes.js';
import { citizenRoutes } from './citizens/routes.js';
import { privacyRoutes } from './privacy/routes.js';

/** The residents' side (sign-up, login, OIDC, account, personal data) and the agents' back office. */
export async function identityRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  await citizenRoutes(app, kernel);
  await agentRoutes(app, kernel);
  await privacyRoutes(app, kernel);
}
