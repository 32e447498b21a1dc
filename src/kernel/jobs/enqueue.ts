import type { Executor } from '../db/transaction.js';
import { newId, nowIso, toJson } from '../db/values.js';

export interface EnqueueOptions {
  /** Not before this time (default: now). */
  runAt?: Date;
  /** While a job with this key exists (queued, running or dead), enqueueing another is a no-op. */
  uniqueKey?: string;
  /** Default 8: with the backoff, retries spread over two to four minutes before the job is dead. */
  maxAttempts?: number;
}

const DEFAULT_MAX_ATTEMPTS = 8;

/**
 * Inserts a job through `executor`, so it commits or rolls back with the caller's transaction.
 * Returns the job id, or null when `uniqueKey` was already taken.
 */
export async function insertJob(executor: Executor, name: string, payload: unknown, options: EnqueueOptions = {}): Promise<string | null> {
  const now = nowIso();
  const row = await executor
    .insertInto('jobs')
    .values({
      id: newId(),
      name,
      payload: toJson(payload ?? null),
      status: 'queued',
      run_at: options.runAt ? nowIso(options.runAt) : now,
      attempts: 0,
      max_attempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      lease_until: null,
      locked_by: null,
      last_error: null,
      unique_key: options.uniqueKey ?? null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('unique_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * The outbox: records the event and one job per subscriber in the caller's transaction, so the
 * subscribers run if and only if the change that caused the event commits.
 */
export async function insertEvent(executor: Executor, event: string, payload: unknown, subscriberJobs: readonly string[]): Promise<string> {
  const id = newId();
  await executor
    .insertInto('events')
    .values({ id, name: event, payload: toJson(payload ?? null), created_at: nowIso() })
    .execute();
  for (const name of subscriberJobs) await insertJob(executor, name, payload);
  return id;
}
