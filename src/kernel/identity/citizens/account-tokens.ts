import type { Executor } from '../../db/transaction.js';
import { nowIso } from '../../db/values.js';
import type { AccountTokensTable } from '../migrations.js';
import { hashToken, newToken } from '../tokens.js';

export type TokenPurpose = AccountTokensTable['purpose'];

/** How long a mailed link works. */
const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  'verify-email': 48 * 3600_000,
  'reset-password': 3600_000,
};

/** Why a link does not work, so the page can say what to do next. */
export type TokenProblem = 'unknown' | 'used' | 'expired';

/** Issues a single-use link token; only its hash is stored, so the table alone opens nothing. */
export async function issueToken(db: Executor, accountId: string, purpose: TokenPurpose, now = new Date()): Promise<string> {
  const { token, hash } = newToken();
  await db
    .insertInto('account_tokens')
    .values({
      id: hash,
      account_id: accountId,
      purpose,
      expires_at: new Date(now.getTime() + TOKEN_TTL_MS[purpose]).toISOString(),
      used_at: null,
      created_at: nowIso(now),
    })
    .execute();
  return token;
}

/** What a token would give, without using it (to show the form behind a link). */
export async function peekToken(
  db: Executor,
  token: string,
  purpose: TokenPurpose,
  now = new Date(),
): Promise<{ accountId: string } | { problem: TokenProblem }> {
  const row = await db
    .selectFrom('account_tokens')
    .select(['account_id', 'used_at', 'expires_at'])
    .where('id', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .executeTakeFirst();
  if (!row) return { problem: 'unknown' };
  if (row.used_at) return { problem: 'used' };
  if (row.expires_at <= nowIso(now)) return { problem: 'expired' };
  return { accountId: row.account_id };
}

/**
 * Uses a token: one conditional UPDATE, so two concurrent clicks cannot both succeed. Call it in
 * the transaction that does what the token allows.
 */
export async function consumeToken(
  db: Executor,
  token: string,
  purpose: TokenPurpose,
  now = new Date(),
): Promise<{ accountId: string } | { problem: TokenProblem }> {
  const used = await db
    .updateTable('account_tokens')
    .set({ used_at: nowIso(now) })
    .where('id', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', nowIso(now))
    .returning('account_id')
    .executeTakeFirst();
  return used ? { accountId: used.account_id } : peekToken(db, token, purpose, now);
}

/** A new link replaces the older ones of the same purpose (only the latest mail works). */
export async function revokeTokens(db: Executor, accountId: string, purpose: TokenPurpose, now = new Date()): Promise<void> {
  await db
    .updateTable('account_tokens')
    .set({ used_at: nowIso(now) })
    .where('account_id', '=', accountId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}

/** Used and expired tokens are kept a week (to tell "already used" from "unknown"), then deleted. */
export async function pruneTokens(db: Executor, now = new Date()): Promise<void> {
  const before = new Date(now.getTime() - 7 * 24 * 3600_000).toISOString();
  await db.deleteFrom('account_tokens').where('expires_at', '<', before).execute();
}
