import type { Db } from '../../db/database.js';
import { inTransaction, type Trx } from '../../db/transaction.js';
import { nowIso } from '../../db/values.js';
import { audit } from '../audit.js';
import { hashPassword } from '../password.js';
import { closeAllSessions } from '../sessions.js';
import { hashToken, newToken } from '../tokens.js';
import { invalidForm } from './acting.js';
import { newPasswordProblems } from './own-account.js';

/** How long a new agent's set-password link works. */
const SET_PASSWORD_HOURS = 72;

/** A single-use link for an agent to choose their password; only the token's hash is stored. */
export async function createSetPasswordToken(trx: Trx, accountId: string, now = new Date()): Promise<string> {
  const { token, hash } = newToken();
  await trx
    .insertInto('account_tokens')
    .values({
      id: hash,
      account_id: accountId,
      purpose: 'reset-password',
      expires_at: new Date(now.getTime() + SET_PASSWORD_HOURS * 3600_000).toISOString(),
      used_at: null,
      created_at: nowIso(now),
    })
    .execute();
  return token;
}

/** The active agent a set-password token is for, while it is unused and unexpired. */
async function agentOfToken(db: Db | Trx, token: string) {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  return db
    .selectFrom('account_tokens')
    .innerJoin('accounts', 'accounts.id', 'account_tokens.account_id')
    .select(['account_tokens.id as token_id', 'accounts.id', 'accounts.email'])
    .where('account_tokens.id', '=', hashToken(token))
    .where('account_tokens.purpose', '=', 'reset-password')
    .where('account_tokens.used_at', 'is', null)
    .where('account_tokens.expires_at', '>', nowIso())
    .where('accounts.kind', '=', 'agent')
    .where('accounts.status', '=', 'active')
    .executeTakeFirst();
}

export async function isSetPasswordTokenValid(db: Db, token: string): Promise<boolean> {
  return !!(await agentOfToken(db, token));
}

/** Uses the link: sets the password, spends the token (once, even if posted twice at once), ends sessions. */
export async function setPasswordWithToken(
  db: Db,
  input: { token: string; password: string; confirmation: string; ip: string },
): Promise<boolean> {
  const problems = newPasswordProblems(input.password, input.confirmation);
  if (problems.length) throw invalidForm(problems);
  const hash = await hashPassword(input.password);
  return inTransaction(db, async (trx) => {
    const agent = await agentOfToken(trx, input.token);
    if (!agent) return false;
    const spent = await trx
      .updateTable('account_tokens')
      .set({ used_at: nowIso() })
      .where('id', '=', agent.token_id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (spent.numUpdatedRows !== 1n) return false;
    await trx.updateTable('accounts').set({ password_hash: hash, updated_at: nowIso() }).where('id', '=', agent.id).execute();
    await closeAllSessions(trx, agent.id);
    await audit(trx, {
      actor: { kind: 'system', label: `agent:${agent.email}` },
      action: 'password.changed',
      resourceType: 'account',
      resourceId: agent.id,
      ip: input.ip,
      details: { via: 'set-password-link' },
    });
    return true;
  });
}
