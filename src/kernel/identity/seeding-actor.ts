import type { Executor } from '../db/transaction.js';
import type { AgentActor } from './agents/acting.js';
import { type Actor, loadGrants } from './authorization.js';

/**
 * The actor behind an account, without a request: for demo seeding and scripts that run domain
 * functions as a person would (the same grants as their sessions would give). Null for no account.
 */
export async function actorByEmail(db: Executor, email: string): Promise<Exclude<Actor, { kind: 'anonymous' }> | null> {
  const account = await db
    .selectFrom('accounts')
    .select(['id', 'kind', 'email', 'display_name', 'preferred_lang', 'totp_enabled_at', 'is_admin', 'status'])
    .where('email', '=', email)
    .executeTakeFirst();
  if (!account) return null;
  const session = {
    id: `offline-${account.id}`,
    accountId: account.id,
    lastSeenAt: '',
    expiresAt: '',
    mfaPassed: true,
    method: 'offline',
    acr: null,
  };
  return account.kind === 'agent'
    ? ({ kind: 'agent', account, session, grants: await loadGrants(db, account.id), admin: account.is_admin === 1 } satisfies AgentActor)
    : { kind: 'citizen', account, session };
}
