import { newId, nowIso } from '../../src/kernel/db/values.js';
import { hashPassword } from '../../src/kernel/identity/password.js';
import { openSession, SESSION_COOKIE } from '../../src/kernel/identity/sessions.js';
import type { Kernel } from '../../src/kernel/kernel.js';

/** A verified resident account, straight in the database (for tests about what comes after login). */
export async function createCitizen(kernel: Kernel, input: { email: string; password?: string; name?: string }): Promise<string> {
  const id = newId();
  const now = nowIso();
  await kernel.db
    .insertInto('accounts')
    .values({
      id,
      kind: 'citizen',
      email: input.email,
      password_hash: input.password ? await hashPassword(input.password) : null,
      display_name: input.name ?? input.email,
      email_verified_at: now,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** The Cookie header of a fresh session for this account, as a login would give. */
export async function sessionCookie(kernel: Kernel, accountId: string): Promise<string> {
  const token = await openSession(kernel.db, { accountId, ip: '127.0.0.1', userAgent: 'test', method: 'password' }, kernel.config.identity);
  return `${SESSION_COOKIE}=${token}`;
}
