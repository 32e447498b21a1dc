import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { hit } from '../../http/rate-limit.js';
import type { Kernel } from '../../kernel.js';
import { audit } from '../audit.js';
import { hashPassword, verifyPassword } from '../password.js';
import { sendVerification } from './signup.js';
import { asLang } from './validation.js';

/** Failed logins are counted in fixed windows of this length (rate_limits rows). */
const WINDOW_SECONDS = 15 * 60;

export type LoginResult =
  | { ok: true; accountId: string }
  /** Unknown address, wrong password, agent or disabled account: one answer for all. */
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfter: number }
  /** Right password, address not verified yet: a new link was mailed. */
  | { ok: false; reason: 'unverified' };

/**
 * A hash of nothing anyone knows, checked when the account does not exist, so that an unknown
 * address takes as long to refuse as a wrong password. Computed once per process, on first use.
 */
let dummyHash: Promise<string> | undefined;
function dummy(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64'));
  return dummyHash;
}

function throttleKeys(email: string, ip: string): { account: string; address: string } {
  return { account: `login:acct:${email}`, address: `login:ip:${ip}` };
}

/** Failures counted so far in the current window (without counting this attempt). */
async function failures(db: Db, key: string, now: number): Promise<number> {
  const row = await db
    .selectFrom('rate_limits')
    .select('hits')
    .where('key', '=', key)
    // Windows are aligned on multiples of their length: only the current one started this recently.
    .where('window_start', '>', new Date(now - WINDOW_SECONDS * 1000).toISOString())
    .executeTakeFirst();
  return row ? Number(row.hits) : 0;
}

/** Counts a failure against the typed address (whether or not it has an account) and the client's address. */
export async function recordLoginFailure(kernel: Kernel, email: string, ip: string): Promise<void> {
  const keys = throttleKeys(email, ip);
  const { maxFailedLogins, maxFailedLoginsPerAddress } = kernel.config.identity;
  await hit(kernel.db, keys.account, { max: maxFailedLogins, windowSeconds: WINDOW_SECONDS });
  await hit(kernel.db, keys.address, { max: maxFailedLoginsPerAddress, windowSeconds: WINDOW_SECONDS });
}

/**
 * Seconds until this address and client may try again, or 0. Throttling goes by the typed address,
 * not by the account, so it behaves the same whether the account exists.
 */
export async function loginThrottled(kernel: Kernel, email: string, ip: string, now = Date.now()): Promise<number> {
  const keys = throttleKeys(email, ip);
  const { maxFailedLogins, maxFailedLoginsPerAddress } = kernel.config.identity;
  const [perAccount, perAddress] = await Promise.all([failures(kernel.db, keys.account, now), failures(kernel.db, keys.address, now)]);
  if (perAccount < maxFailedLogins && perAddress < maxFailedLoginsPerAddress) return 0;
  const windowMs = WINDOW_SECONDS * 1000;
  return Math.ceil((windowMs - (now % windowMs)) / 1000);
}

/**
 * Checks a resident's e-mail and password. Agents have their own login (/admin/login): their
 * accounts are not looked up here, so they get the same answer as an unknown address.
 */
export async function passwordLogin(kernel: Kernel, input: { email: string; password: string; ip: string }): Promise<LoginResult> {
  const retryAfter = await loginThrottled(kernel, input.email, input.ip);
  if (retryAfter > 0) {
    await audit(kernel.db, {
      actor: { kind: 'anonymous' },
      action: 'login.failed',
      ip: input.ip,
      details: { email: input.email, reason: 'throttled' },
    });
    return { ok: false, reason: 'throttled', retryAfter };
  }
  const account = await kernel.db
    .selectFrom('accounts')
    .select(['id', 'email', 'password_hash', 'status', 'email_verified_at', 'preferred_lang'])
    .where('kind', '=', 'citizen')
    .where('email', '=', input.email)
    .executeTakeFirst();
  const usable = account?.status === 'active' && account.password_hash ? account : undefined;
  const matches = await verifyPassword(input.password, usable?.password_hash ?? (await dummy()));
  if (!usable || !matches) {
    await recordLoginFailure(kernel, input.email, input.ip);
    await audit(kernel.db, {
      actor: { kind: 'anonymous' },
      action: 'login.failed',
      ...(account ? { resourceType: 'account', resourceId: account.id } : {}),
      ip: input.ip,
      details: { email: input.email, reason: 'invalid' },
    });
    return { ok: false, reason: 'invalid' };
  }
  if (!usable.email_verified_at) {
    // Counted as a failure too, so this cannot send an unbounded number of mails.
    await recordLoginFailure(kernel, input.email, input.ip);
    const lang = asLang(usable.preferred_lang, kernel.config.city.defaultLanguage);
    await inTransaction(kernel.db, (trx) => sendVerification(kernel, trx, { id: usable.id, email: usable.email, lang }));
    return { ok: false, reason: 'unverified' };
  }
  return { ok: true, accountId: usable.id };
}
