import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { nowIso } from '../../db/values.js';
import type { FieldProblem } from '../../http/errors.js';
import { audit } from '../audit.js';
import { hashPassword, passwordProblem, verifyPassword } from '../password.js';
import { closeAllSessions } from '../sessions.js';
import { type Acting, invalidForm } from './acting.js';
import { forgetFailures, isThrottled, recordFailure } from './throttle.js';

/**
 * Asks the agent to prove it is them before a sensitive change (someone at an unlocked desk should
 * not change the password or drop the second factor). Wrong passwords count like failed logins.
 */
export async function confirmPassword(
  db: Db,
  who: Acting,
  password: string,
  maxFailures: number,
  field = 'current_password',
): Promise<void> {
  const counter = { key: `admin-login:acct:${who.actor.account.email}`, max: maxFailures };
  if (await isThrottled(db, [counter])) throw invalidForm([{ field, message: 'admin.errors.throttled' }]);
  const row = await db.selectFrom('accounts').select('password_hash').where('id', '=', who.actor.account.id).executeTakeFirst();
  if (!row?.password_hash || !(await verifyPassword(password, row.password_hash))) {
    await recordFailure(db, [counter]);
    throw invalidForm([{ field, message: 'admin.errors.password-wrong' }]);
  }
  await forgetFailures(db, counter.key);
}

/** Problems of a new password and its confirmation, as form problems. */
export function newPasswordProblems(password: string, confirmation: string): FieldProblem[] {
  const problem = passwordProblem(password);
  if (problem) return [{ field: 'new_password', message: `admin.errors.${problem}` }];
  if (password !== confirmation) return [{ field: 'confirm_password', message: 'admin.errors.password-mismatch' }];
  return [];
}

/** Changes the agent's own password and ends their other sessions (a thief's included). */
export async function changePassword(
  db: Db,
  who: Acting,
  input: { current: string; next: string; confirmation: string },
  maxFailures: number,
): Promise<void> {
  const problems = newPasswordProblems(input.next, input.confirmation);
  if (problems.length) throw invalidForm(problems);
  await confirmPassword(db, who, input.current, maxFailures);
  const hash = await hashPassword(input.next);
  const { account, session } = who.actor;
  await inTransaction(db, async (trx) => {
    await trx.updateTable('accounts').set({ password_hash: hash, updated_at: nowIso() }).where('id', '=', account.id).execute();
    const closed = await closeAllSessions(trx, account.id, session.id);
    await audit(trx, {
      actor: who.actor,
      action: 'password.changed',
      resourceType: 'account',
      resourceId: account.id,
      ip: who.ip,
      details: { otherSessionsClosed: closed },
    });
  });
}
