import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { HttpError } from './errors.js';

export interface RateLimitRule {
  max: number;
  windowSeconds: number;
}

/**
 * Fixed-window counters kept in the database, so every process counts the same hits. One upsert
 * per counted request; only state-changing requests are counted (reads are cheap and cacheable).
 */
export async function hit(db: Db, key: string, rule: RateLimitRule, now = Date.now()): Promise<{ hits: number; retryAfter: number }> {
  const windowMs = rule.windowSeconds * 1000;
  const start = Math.floor(now / windowMs) * windowMs;
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: new Date(start).toISOString(), hits: 1 })
    .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ hits: sql`rate_limits.hits + 1` }))
    .returning('hits')
    .executeTakeFirstOrThrow();
  return { hits: row.hits, retryAfter: Math.ceil((start + windowMs - now) / 1000) };
}

export async function enforce(db: Db, key: string, rule: RateLimitRule): Promise<void> {
  const { hits, retryAfter } = await hit(db, key, rule);
  if (hits > rule.max) {
    const error = new HttpError(
      429,
      'rate-limited',
      `Too many requests: at most ${rule.max} every ${rule.windowSeconds} s. Try again in ${retryAfter} s.`,
    );
    (error as HttpError & { retryAfter?: number }).retryAfter = retryAfter;
    throw error;
  }
}

/** Old windows are useless once over; a scheduled job removes them. */
export async function pruneRateLimits(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('rate_limits').where('window_start', '<', before.toISOString()).execute();
}
