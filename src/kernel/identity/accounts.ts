import type { Executor } from '../db/transaction.js';
import { newId, nowIso } from '../db/values.js';
import { hashPassword, passwordProblem } from './password.js';

export class AccountError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The stored form of an e-mail address (trimmed, lowercase), or undefined when it is not one. */
export function normalizeEmail(input: string): string | undefined {
  const email = input.trim().toLowerCase();
  return EMAIL.test(email) && email.length <= 254 ? email : undefined;
}

/** Creates (or promotes and resets the password of) an administrator agent: `civitas create-admin`. */
export async function createAdmin(
  db: Executor,
  input: { email: string; password: string; name?: string },
): Promise<{ id: string; created: boolean }> {
  const email = normalizeEmail(input.email);
  if (!email) throw new AccountError('email.invalid', `Invalid e-mail address: "${input.email}".`);
  const problem = passwordProblem(input.password);
  if (problem) throw new AccountError(problem, 'The password must be between 12 and 256 characters long.');
  const hash = await hashPassword(input.password);
  const now = nowIso();
  const existing = await db.selectFrom('accounts').select('id').where('kind', '=', 'agent').where('email', '=', email).executeTakeFirst();
  if (existing) {
    await db
      .updateTable('accounts')
      .set({ password_hash: hash, is_admin: 1, status: 'active', updated_at: now })
      .where('id', '=', existing.id)
      .execute();
    return { id: existing.id, created: false };
  }
  const id = newId();
  await db
    .insertInto('accounts')
    .values({
      id,
      kind: 'agent',
      email,
      password_hash: hash,
      display_name: input.name?.trim() || email,
      is_admin: 1,
      status: 'active',
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { id, created: true };
}
