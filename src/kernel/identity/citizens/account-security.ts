import { inTransaction } from '../../db/transaction.js';
import { nowIso } from '../../db/values.js';
import type { FieldProblem } from '../../http/errors.js';
import type { Kernel } from '../../kernel.js';
import { audit } from '../audit.js';
import type { Actor } from '../authorization.js';
import { hashPassword, verifyPassword } from '../password.js';
import { closeAllSessions } from '../sessions.js';
import { loginThrottled, recordLoginFailure } from './login.js';
import { queueIdentityMail } from './mails.js';
import { asLang, newPasswordProblems } from './validation.js';

type Citizen = Extract<Actor, { kind: 'citizen' }>;

/**
 * Changes the password of a signed-in resident who knows the current one. A wrong current password
 * counts as a failed login (so a stolen session cannot guess it for long). Other sessions end.
 */
export async function changePassword(
  kernel: Kernel,
  actor: Citizen,
  input: { current: string; password: string },
  context: { ip: string },
): Promise<{ problems: FieldProblem[] } | { ok: true }> {
  const problems: FieldProblem[] = [];
  const row = await kernel.db
    .selectFrom('accounts')
    .select(['password_hash', 'preferred_lang'])
    .where('id', '=', actor.account.id)
    .executeTakeFirstOrThrow();
  // An account created through OpenID Connect has no password yet: it may set one without a current one.
  if (row.password_hash) {
    const throttled = (await loginThrottled(kernel, actor.account.email, context.ip)) > 0;
    if (throttled || !(await verifyPassword(input.current, row.password_hash))) {
      if (!throttled) await recordLoginFailure(kernel, actor.account.email, context.ip);
      problems.push({
        field: 'currentPassword',
        message: throttled ? 'identity.errors.tooManyAttempts' : 'identity.errors.currentPassword',
      });
    }
  }
  newPasswordProblems(input.password, problems, 'newPassword');
  if (problems.length) return { problems };
  const passwordHash = await hashPassword(input.password);
  await inTransaction(kernel.db, async (trx) => {
    await trx
      .updateTable('accounts')
      .set({ password_hash: passwordHash, updated_at: nowIso() })
      .where('id', '=', actor.account.id)
      .execute();
    const ended = await closeAllSessions(trx, actor.account.id, actor.session.id);
    await queueIdentityMail(kernel, trx, actor.account.email, asLang(row.preferred_lang, kernel.config.city.defaultLanguage), {
      kind: 'password-changed',
    });
    await audit(trx, {
      actor,
      action: 'password.changed',
      resourceType: 'account',
      resourceId: actor.account.id,
      ip: context.ip,
      details: { sessionsEnded: ended },
    });
  });
  return { ok: true };
}

/** "Log out everywhere": ends every session of the account, this one included. */
export async function endAllSessions(kernel: Kernel, actor: Citizen, context: { ip: string }): Promise<number> {
  return inTransaction(kernel.db, async (trx) => {
    const ended = await closeAllSessions(trx, actor.account.id);
    await audit(trx, {
      actor,
      action: 'sessions.revoked',
      resourceType: 'account',
      resourceId: actor.account.id,
      ip: context.ip,
      details: { sessionsEnded: ended },
    });
    return ended;
  });
}
