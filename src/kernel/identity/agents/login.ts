import { randomBytes } from 'node:crypto';
import type { Config } from '../../config/schema.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { audit } from '../audit.js';
import { ANONYMOUS, loadGrants } from '../authorization.js';
import { hashPassword, verifyPassword } from '../password.js';
import { closeSession, openSession, readSession } from '../sessions.js';
import { forgetFailures, isThrottled, recordFailure } from './throttle.js';

type IdentityConfig = Config['identity'];

export interface LoginAttempt {
  email: string;
  password: string;
  ip: string;
  userAgent: string;
  /** The session the browser had before (a resident's, another agent's): closed, never reused. */
  previousSessionId?: string;
}

export type LoginOutcome =
  | { ok: true; token: string; secondFactor: 'verify' | 'setup' | 'none' }
  | { ok: false; reason: 'invalid' | 'throttled' };

// Unknown accounts are checked against this hash, so that the answer takes as long whether the
// account exists or not.
let dummyHash: Promise<string> | undefined;

/**
 * An agent's password login. Every failure looks the same to the caller (unknown address, wrong
 * password, disabled account); failures are counted per account and per address, and past either
 * limit even the right password is refused until the window ends.
 */
export async function loginAgent(db: Db, identity: IdentityConfig, attempt: LoginAttempt): Promise<LoginOutcome> {
  const email = attempt.email.trim().toLowerCase().slice(0, 254);
  const accountCounter = { key: `admin-login:acct:${email}`, max: identity.maxFailedLogins };
  const counters = [accountCounter, { key: `admin-login:ip:${attempt.ip}`, max: identity.maxFailedLoginsPerAddress }];
  if (await isThrottled(db, counters)) {
    await audit(db, { actor: ANONYMOUS, action: 'login.failed', ip: attempt.ip, details: { email, area: 'admin', throttled: true } });
    return { ok: false, reason: 'throttled' };
  }

  const account = await db
    .selectFrom('accounts')
    .select(['id', 'password_hash', 'status', 'totp_enabled_at'])
    .where('kind', '=', 'agent')
    .where('email', '=', email)
    .executeTakeFirst();
  dummyHash ??= hashPassword(randomBytes(18).toString('base64'));
  const matches = await verifyPassword(attempt.password, account?.password_hash ?? (await dummyHash));
  if (account?.status !== 'active' || !account.password_hash || !matches) {
    await recordFailure(db, counters);
    await audit(db, {
      actor: ANONYMOUS,
      action: 'login.failed',
      resourceType: 'account',
      resourceId: account?.id,
      ip: attempt.ip,
      details: { email, area: 'admin' },
    });
    return { ok: false, reason: 'invalid' };
  }

  const token = await inTransaction(db, async (trx) => {
    if (attempt.previousSessionId) await closeSession(trx, attempt.previousSessionId);
    const token = await openSession(
      trx,
      { accountId: account.id, ip: attempt.ip, userAgent: attempt.userAgent, method: 'password' },
      identity,
    );
    const live = await readSession(trx, token, identity);
    if (!live) throw new Error('A session just opened cannot be read back.');
    const actor = { kind: 'agent' as const, ...live, grants: await loadGrants(trx, account.id), admin: live.account.is_admin === 1 };
    await audit(trx, {
      actor,
      action: 'login',
      resourceType: 'account',
      resourceId: account.id,
      ip: attempt.ip,
      details: { area: 'admin' },
    });
    return token;
  });
  await forgetFailures(db, accountCounter.key);
  const secondFactor = account.totp_enabled_at ? 'verify' : identity.requireAgentMfa ? 'setup' : 'none';
  return { ok: true, token, secondFactor };
}

/** Where to go after login: only a page of the back office, never another site. */
export function safeNext(next: unknown): string | undefined {
  if (typeof next !== 'string' || next.length > 500) return undefined;
  return /^\/admin(?:[/?#][^\\\s]*)?$/.test(next) && !next.startsWith('/admin/login') ? next : undefined;
}
