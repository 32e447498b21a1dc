import { sql } from 'kysely';
import type { Executor } from '../db/transaction.js';
import { nowMs } from '../db/values.js';

/**
 * The next human reference of a prefix for the year ("DMR-2026-000123"), or for the month with
 * `monthly` ("W-202611-000123"). One atomic upsert, so two processes never hand out the same number
 * and a rolled-back demand gives its number back.
 */
export async function nextReference(executor: Executor, prefix: string, now: Date = new Date(nowMs()), monthly = false): Promise<string> {
  const month = String(now.getUTCMonth() + 1).padStart(2, '0');
  const key = monthly ? `${prefix}-${now.getUTCFullYear()}${month}` : `${prefix}-${now.getUTCFullYear()}`;
  const { rows } = await sql<{ value: number }>`
    insert into reference_counters (key, value) values (${key}, 1)
    on conflict (key) do update set value = reference_counters.value + 1
    returning value`.execute(executor);
  return `${key}-${String(Number(rows[0]!.value)).padStart(6, '0')}`;
}
