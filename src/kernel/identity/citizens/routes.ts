import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../kernel.js';
import { accountRoutes } from './account-routes.js';
import { loginRoutes } from './login-routes.js';
import { meApi } from './me-api.js';
import { passwordRoutes } from './password-routes.js';
import { signupRoutes } from './signup-routes.js';

/** The residents' side of identity: sign-up, login (password, OpenID Connect), password reset, account, /api/v1/me. */
export async function citizenRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  signupRoutes(app, kernel);
  loginRoutes(app, kernel);
  passwordRoutes(app, kernel);
  accountRoutes(app, kernel);
  meApi(app, kernel);
  // Without a provider configured, /auth/oidc and its callback do not exist (404), and the OpenID
  // Connect client library is not even loaded (it is a noticeable part of the start-up time).
  if (kernel.config.oidc) {
    const { oidcRoutes } = await import('../oidc/routes.js');
    oidcRoutes(app, kernel, kernel.config.oidc);
  }
}
