import { sql } from 'kysely';
import type { Executor } from '../db/transaction.js';
import { nowIso } from '../db/values.js';
import type { AccountsTable } from './migrations.js';
import { hashToken, newToken } from './tokens.js';

export const SESSION_COOKIE = 'civitas_session';

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
}

export interface SessionRow {
  id: string;
  accountId: string;
  lastSeenAt: string;
  expiresAt: string;
  mfaPassed: boolean;
  method: string;
  acr: string | null;
}

export type SessionAccount = Pick<AccountsTable, 'id' | 'kind' | 'email' | 'display_name' | 'preferred_lang' | 'totp_enabled_at'> & {
  is_admin: number;
  status: string;
};

/**
 * Opens a session: a fresh random token (never reused from before login, so a planted cookie is
 * useless) of which only the hash is stored. Returns the token for the cookie.
 */
export async function openSession(
  db: Executor,
  input: { accountId: string; ip: string; userAgent: string; method: string; acr?: string | null; mfaPassed?: boolean },
  policy: SessionPolicy,
  now = new Date(),
): Promise<string> {
  const { token, hash } = newToken();
  await db
    .insertInto('sessions')
    .values({
      id: hash,
      account_id: input.accountId,
      created_at: nowIso(now),
      last_seen_at: nowIso(now),
      expires_at: new Date(now.getTime() + policy.absoluteHours * 3600_000).toISOString(),
      ip: input.ip,
      user_agent: input.userAgent.slice(0, 300),
      mfa_passed: input.mfaPassed ? 1 : 0,
      method: input.method,
      acr: input.acr ?? null,
    })
    .execute();
  await db
    .updateTable('accounts')
    .set({ last_login_at: nowIso(now) })
    .where('id', '=', input.accountId)
    .execute();
  return token;
}

interface SessionJoinRow extends SessionAccount {
  session_id: string;
  last_seen_at: string;
  expires_at: string;
  mfa_passed: number;
  method: string;
  acr: string | null;
}

/**
 * The live session behind a cookie token, with its active account, or undefined when the token is
 * unknown, revoked, idle too long, past its absolute end, or its account is no longer active.
 * Refreshes `last_seen_at` at most once a minute, so reads do not turn every request into a write.
 */
export async function readSession(
  db: Executor,
  token: string,
  policy: SessionPolicy,
  now = new Date(),
): Promise<{ session: SessionRow; account: SessionAccount } | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  // Read on every signed-in request: a plain SQL statement costs a fraction of a built query.
  const { rows } = await sql<SessionJoinRow>`
    select s.id as session_id, s.last_seen_at, s.expires_at, s.mfa_passed, s.method, s.acr,
           a.id, a.kind, a.email, a.display_name, a.preferred_lang, a.totp_enabled_at, a.is_admin, a.status
    from sessions s join accounts a on a.id = s.account_id
    where s.id = ${hashToken(token)}`.execute(db);
  const row = rows[0];
  if (row?.status !== 'active') return undefined;
  const nowMs = now.getTime();
  const idleLimit = Date.parse(row.last_seen_at) + policy.idleMinutes * 60_000;
  if (nowMs > idleLimit || nowMs > Date.parse(row.expires_at)) {
    await db.deleteFrom('sessions').where('id', '=', row.session_id).execute();
    return undefined;
  }
  if (nowMs - Date.parse(row.last_seen_at) > 60_000) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: nowIso(now) })
      .where('id', '=', row.session_id)
      .execute();
  }
  const { session_id, last_seen_at, expires_at, mfa_passed, method, acr, ...account } = row;
  return {
    session: {
      id: session_id,
      accountId: account.id,
      lastSeenAt: last_seen_at,
      expiresAt: expires_at,
      mfaPassed: mfa_passed === 1,
      method,
      acr,
    },
    account,
  };
}

export async function markMfaPassed(db: Executor, sessionId: string): Promise<void> {
  await db.updateTable('sessions').set({ mfa_passed: 1 }).where('id', '=', sessionId).execute();
}

export async function closeSession(db: Executor, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Log out everywhere; also what deactivating an account or changing its password does. */
export async function closeAllSessions(db: Executor, accountId: string, exceptSessionId?: string): Promise<number> {
  let query = db.deleteFrom('sessions').where('account_id', '=', accountId);
  if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function pruneSessions(db: Executor, policy: SessionPolicy, now = new Date()): Promise<void> {
  const idleBefore = new Date(now.getTime() - policy.idleMinutes * 60_000).toISOString();
  await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', nowIso(now)), eb('last_seen_at', '<', idleBefore)]))
    .execute();
}
