import type { Db } from '../../db/database.js';
import { hit } from '../../http/rate-limit.js';

/** Failed attempts (passwords, second factors) are counted in 15-minute windows. */
const FAILURE_WINDOW_SECONDS = 15 * 60;

export interface Counter {
  key: string;
  max: number;
}

async function failuresSoFar(db: Db, key: string, now: number): Promise<number> {
  // Windows start at multiples of their length, so the only one that started less than a window
  // ago is the current one.
  const since = new Date(now - FAILURE_WINDOW_SECONDS * 1000).toISOString();
  const row = await db.selectFrom('rate_limits').select('hits').where('key', '=', key).where('window_start', '>', since).executeTakeFirst();
  return row?.hits ?? 0;
}

/**
 * True once any counter reached its limit: checked before the secret is, so that a right guess
 * made after the limit gets the same answer as a wrong one.
 */
export async function isThrottled(db: Db, counters: Counter[], now = Date.now()): Promise<boolean> {
  for (const { key, max } of counters) {
    if ((await failuresSoFar(db, key, now)) >= max) return true;
  }
  return false;
}

export async function recordFailure(db: Db, counters: Counter[]): Promise<void> {
  for (const { key, max } of counters) await hit(db, key, { max, windowSeconds: FAILURE_WINDOW_SECONDS });
}

/** A success forgives the earlier typos of that account (not those of the address). */
export async function forgetFailures(db: Db, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute();
}
