import { inTransaction } from '../../db/transaction.js';
import { nowIso } from '../../db/values.js';
import { hit } from '../../http/rate-limit.js';
import type { Lang } from '../../i18n/types.js';
import type { Kernel } from '../../kernel.js';
import { audit } from '../audit.js';
import { hashPassword } from '../password.js';
import { closeAllSessions } from '../sessions.js';
import { consumeToken, issueToken, revokeTokens, type TokenProblem } from './account-tokens.js';
import { queueIdentityMail } from './mails.js';
import { markEmailVerified } from './signup.js';
import { asLang } from './validation.js';

/** Reset mails to one address per hour, whoever asks: the form cannot be used to flood a mailbox. */
const RESET_MAILS_PER_HOUR = 3;

/**
 * Mails a reset link if the address belongs to an active resident; otherwise does nothing. The
 * caller answers the same in both cases ("if an account exists, we sent a link").
 */
export async function requestPasswordReset(kernel: Kernel, email: string, context: { lang: Lang; ip: string | null }): Promise<void> {
  const { hits } = await hit(kernel.db, `reset:acct:${email}`, { max: RESET_MAILS_PER_HOUR, windowSeconds: 3600 });
  if (hits > RESET_MAILS_PER_HOUR) return;
  await inTransaction(kernel.db, async (trx) => {
    const account = await trx
      .selectFrom('accounts')
      .select(['id', 'email', 'preferred_lang'])
      .where('kind', '=', 'citizen')
      .where('status', '=', 'active')
      .where('email', '=', email)
      .executeTakeFirst();
    if (!account) return;
    await revokeTokens(trx, account.id, 'reset-password');
    const token = await issueToken(trx, account.id, 'reset-password');
    await queueIdentityMail(kernel, trx, account.email, asLang(account.preferred_lang, context.lang), { kind: 'reset-password', token });
    await audit(trx, {
      actor: { kind: 'anonymous' },
      action: 'password.reset-requested',
      resourceType: 'account',
      resourceId: account.id,
      ip: context.ip,
    });
  });
}

/**
 * Sets a new password through a reset link: uses the link, ends every session of the account
 * but `keepSessionId` (whoever held the old password is out), marks the address verified (the
 * link reached it) and tells the owner by mail.
 */
export async function resetPassword(
  kernel: Kernel,
  token: string,
  password: string,
  context: { ip: string | null; keepSessionId?: string },
): Promise<{ ok: true; accountId: string } | { problem: TokenProblem }> {
  // Hashing is slow: done before the transaction, which then holds its locks briefly.
  const passwordHash = await hashPassword(password);
  return inTransaction(kernel.db, async (trx) => {
    const used = await consumeToken(trx, token, 'reset-password');
    if ('problem' in used) return used;
    const account = await trx
      .updateTable('accounts')
      .set({ password_hash: passwordHash, updated_at: nowIso() })
      .where('id', '=', used.accountId)
      .returning(['email', 'preferred_lang'])
      .executeTakeFirstOrThrow();
    await markEmailVerified(trx, used.accountId);
    const ended = await closeAllSessions(trx, used.accountId, context.keepSessionId);
    await queueIdentityMail(kernel, trx, account.email, asLang(account.preferred_lang, kernel.config.city.defaultLanguage), {
      kind: 'password-changed',
    });
    await audit(trx, {
      actor: { kind: 'anonymous' },
      action: 'password.reset',
      resourceType: 'account',
      resourceId: used.accountId,
      ip: context.ip,
      details: { sessionsEnded: ended },
    });
    return { ok: true as const, accountId: used.accountId };
  });
}
