import type { Executor } from '../../db/transaction.js';
import { nowIso } from '../../db/values.js';
import { hashToken } from '../tokens.js';

/** A login at the provider must come back within this time. */
const STATE_TTL_MS = 10 * 60_000;

export interface LoginState {
  nonce: string;
  codeVerifier: string;
  nextPath: string;
}

export async function saveLoginState(db: Executor, state: string, login: LoginState, now = new Date()): Promise<void> {
  await db
    .insertInto('oidc_login_states')
    .values({
      id: hashToken(state),
      nonce: login.nonce,
      code_verifier: login.codeVerifier,
      next_path: login.nextPath,
      expires_at: new Date(now.getTime() + STATE_TTL_MS).toISOString(),
      created_at: nowIso(now),
    })
    .execute();
}

/**
 * Takes a login state: deleted as it is read (one DELETE … RETURNING), so a callback replayed, even
 * concurrently, finds nothing. Undefined when unknown, already used or expired.
 */
export async function takeLoginState(db: Executor, state: string, now = new Date()): Promise<LoginState | undefined> {
  const row = await db.deleteFrom('oidc_login_states').where('id', '=', hashToken(state)).returningAll().executeTakeFirst();
  if (!row || row.expires_at <= nowIso(now)) return undefined;
  return { nonce: row.nonce, codeVerifier: row.code_verifier, nextPath: row.next_path };
}

export async function pruneLoginStates(db: Executor, now = new Date()): Promise<void> {
  await db.deleteFrom('oidc_login_states').where('expires_at', '<', nowIso(now)).execute();
}
