import { sql } from 'kysely';
import { batchedLookup } from '../db/batched-lookup.js';
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

export interface SessionJoinRow extends SessionAccount {
  session_id: string;
  last_seen_at: string;
  expires_at: string;
  mfa_passed: number;
  method: string;
  acr: string | null;
}

/** The columns of a session and its account that every signed-in request reads. */
export const SESSION_COLUMNS = sql.raw(`s.id as session_id, s.last_seen_at, s.expires_at, s.mfa_passed, s.method, s.acr,
           a.id, a.kind, a.email, a.display_name, a.preferred_lang, a.totp_enabled_at, a.is_admin, a.status`);

// Read on every signed-in request: compiled once, batched per event-loop turn (see batchedLookup).
const selectSession = batchedLookup(
  'session',
  (_engine, match) => sql<SessionJoinRow>`
    select ${SESSION_COLUMNS}
    from sessions s join accounts a on a.id = s.account_id
    where s.id ${match}`,
  (row) => row.session_id,
);

/** A session token as we issue them (43 base64url characters); anything else is not looked up. */
export function isSessionToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/**
 * The live session of a row read by its token (with `SESSION_COLUMNS`), or undefined when there is
 * none, it is idle too long, past its absolute end, or its account is no longer active. Refreshes
 * `last_seen_at` at most once a minute, so reads do not turn every request into a write.
 */
export async function liveSession(
  db: Executor,
  row: SessionJoinRow | undefined,
  policy: SessionPolicy,
  now = new Date(),
): Promise<{ session: SessionRow; account: SessionAccount } | undefined> {
  if (row?.status !== 'active') return undefined;
  const nowMs = now.getTime();
  const lastSeenMs = Date.parse(row.last_seen_at);
  if (nowMs > lastSeenMs + policy.idleMinutes * 60_000 || nowMs > Date.parse(row.expires_at)) {
    await db.deleteFrom('sessions').where('id', '=', row.session_id).execute();
    return undefined;
  }
  if (nowMs - lastSeenMs > 60_000) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: nowIso(now) })
      .where('id', '=', row.session_id)
      .execute();
  }
  return {
    session: {
      id: row.session_id,
      accountId: row.id,
      lastSeenAt: row.last_seen_at,
      expiresAt: row.expires_at,
      mfaPassed: Number(row.mfa_passed) === 1,
      method: row.method,
      acr: row.acr,
    },
    account: {
      id: row.id,
      kind: row.kind,
      email: row.email,
      display_name: row.display_name,
      preferred_lang: row.preferred_lang,
      totp_enabled_at: row.totp_enabled_at,
      is_admin: row.is_admin,
      status: row.status,
    },
  };
}

/**
 * The live session behind a cookie token, with its active account, or undefined when the token is
 * unknown, revoked, idle too long, past its absolute end, or its account is no longer active.
 * Nothing is cached: a session ended or an account deactivated by any process is refused at once.
 */
export async function readSession(
  db: Executor,
  token: string,
  policy: SessionPolicy,
  now = new Date(),
): Promise<{ session: SessionRow; account: SessionAccount } | undefined> {
  if (!isSessionToken(token)) return undefined;
  const [row] = await selectSession(db, hashToken(token));
  return liveSession(db, row, policy, now);
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
