import type { Db } from '../db/database.js';
import { fromJson, nowIso } from '../db/values.js';

/** A job that exhausted its attempts, kept for an operator to inspect and replay. */
export interface DeadJob {
  id: string;
  name: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  createdAt: string;
  /** When it died. */
  updatedAt: string;
}

/** The most recently dead jobs first. */
export async function listDead(db: Db, limit: number): Promise<DeadJob[]> {
  const rows = await db
    .selectFrom('jobs')
    .selectAll()
    .where('status', '=', 'dead')
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    payload: fromJson<unknown>(row.payload, null),
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

/** Queues a dead job again with all its attempts; false when the job is not dead (or not there). */
export async function replay(db: Db, id: string): Promise<boolean> {
  const now = nowIso();
  const result = await db
    .updateTable('jobs')
    .set({ status: 'queued', attempts: 0, run_at: now, lease_until: null, locked_by: null, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
