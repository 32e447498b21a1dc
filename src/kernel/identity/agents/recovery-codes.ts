import { Secret } from 'otpauth';
import type { Executor } from '../../db/transaction.js';
import { fromJson, nowIso, toJson } from '../../db/values.js';
import { hashToken } from '../tokens.js';

const RECOVERY_CODE_COUNT = 10;

/** What the agent may type: case, spaces and dashes do not matter. */
function normalize(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

/**
 * Ten codes of 80 random bits each ("abcd-efgh-ijkl-mnop", base32 without 0/1/8/9), shown once.
 * With that much entropy a plain SHA-256 is enough to store them; a slow hash would make the
 * login page check ten slow hashes.
 */
export function newRecoveryCodes(): { codes: string[]; stored: string } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    new Secret({ size: 10 }).base32.toLowerCase().replace(/(.{4})(?=.)/g, '$1-'),
  );
  return { codes, stored: toJson(codes.map((c) => hashToken(normalize(c)))) };
}

/**
 * Uses up one recovery code: removes its hash with a compare-and-set on the whole list, so the same
 * code sent twice at once is accepted once.
 */
export async function consumeRecoveryCode(db: Executor, accountId: string, code: string): Promise<boolean> {
  const row = await db.selectFrom('accounts').select('recovery_codes').where('id', '=', accountId).executeTakeFirst();
  if (!row?.recovery_codes) return false;
  const hashes = fromJson<string[]>(row.recovery_codes, []);
  const hash = hashToken(normalize(code));
  if (!hashes.includes(hash)) return false;
  const result = await db
    .updateTable('accounts')
    .set({ recovery_codes: toJson(hashes.filter((h) => h !== hash)), updated_at: nowIso() })
    .where('id', '=', accountId)
    .where('recovery_codes', '=', row.recovery_codes)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export function remainingRecoveryCodes(stored: string | null): number {
  return fromJson<string[]>(stored, []).length;
}
