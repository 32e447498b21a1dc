import type { FastifyInstance } from 'fastify';
import { Secret, TOTP } from 'otpauth';
import { expect } from 'vitest';
import { createAdmin } from '../../src/kernel/identity/accounts.js';
import type { AgentActor } from '../../src/kernel/identity/agents/acting.js';
import { loadGrants } from '../../src/kernel/identity/authorization.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { Visitor } from '../support/visitor.js';

export const PASSWORD = 'correct horse battery staple';
export const ADMIN_EMAIL = 'admin@paris.test';

export async function createTestAdmin(kernel: Kernel): Promise<string> {
  return (await createAdmin(kernel.db, { email: ADMIN_EMAIL, password: PASSWORD, name: 'Ada Admin' })).id;
}

/** The actor access.ts would build for this account's session: for domain tests without HTTP. */
export async function agentActor(kernel: Kernel, accountId: string): Promise<AgentActor> {
  const account = await kernel.db
    .selectFrom('accounts')
    .select(['id', 'kind', 'email', 'display_name', 'preferred_lang', 'totp_enabled_at', 'is_admin', 'status'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  const session = {
    id: `session-of-${accountId}`,
    accountId,
    lastSeenAt: '',
    expiresAt: '',
    mfaPassed: true,
    method: 'password',
    acr: null,
  };
  return { kind: 'agent', account, session, grants: await loadGrants(kernel.db, accountId), admin: account.is_admin === 1 };
}

/** Signs an agent in through the login form, from `ip`; fails the test unless the login succeeds. */
export async function logInAgent(app: FastifyInstance, email: string, password = PASSWORD, ip?: string): Promise<Visitor> {
  const visitor = new Visitor(app, { ip });
  await visitor.get('/admin/login');
  const res = await visitor.post('/admin/login', { email, password });
  expect(res.status, res.body).toBe(303);
  return visitor;
}

/** The code an authenticator app shows, `steps` time steps from now. */
export function totpCode(secret: string, steps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
    timestamp: Date.now() + steps * 30_000,
  });
}

export async function accountId(kernel: Kernel, email: string): Promise<string> {
  return (
    await kernel.db.selectFrom('accounts').select('id').where('kind', '=', 'agent').where('email', '=', email).executeTakeFirstOrThrow()
  ).id;
}
