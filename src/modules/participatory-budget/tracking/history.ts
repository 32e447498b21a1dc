import type { Executor } from '../../../kernel/db/transaction.js';
import { newId, nowIso } from '../../../kernel/db/values.js';
import type { TrackingStatus } from './statuses.js';

export type HistoryKind = 'start' | 'update' | 'milestone';

export interface HistoryEntry {
  at: string;
  kind: HistoryKind;
  status: TrackingStatus;
  progress: number;
  abandonReason: string | null;
  milestoneId: string | null;
}

/** Appends where the project stands after a change (what the public timeline shows). */
export async function recordHistory(
  db: Executor,
  projectId: string,
  entry: Omit<HistoryEntry, 'at' | 'milestoneId'> & { milestoneId?: string | null },
): Promise<void> {
  await db
    .insertInto('pb_tracking_history')
    .values({
      id: newId(),
      project_id: projectId,
      at: nowIso(),
      kind: entry.kind,
      status: entry.status,
      progress: entry.progress,
      abandon_reason: entry.abandonReason,
      milestone_id: entry.milestoneId ?? null,
    })
    .execute();
}

/** A project's history, oldest first. */
export async function historyOf(db: Executor, projectId: string): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom('pb_tracking_history')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    at: r.at,
    kind: r.kind as HistoryKind,
    status: r.status as TrackingStatus,
    progress: Number(r.progress),
    abandonReason: r.abandon_reason,
    milestoneId: r.milestone_id,
  }));
}
