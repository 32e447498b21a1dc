import type { Trx } from '../../../kernel/db/transaction.js';
import { nowIso } from '../../../kernel/db/values.js';
import type { FieldProblem } from '../../../kernel/http/errors.js';
import { audit } from '../../../kernel/identity/audit.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { CampaignActing } from '../campaigns/access.js';
import { assertMayTrack } from './access.js';
import { trackingError } from './errors.js';
import { recordHistory } from './history.js';
import { inBothLanguages, notifyFollowers } from './notify-followers.js';
import { type TrackedProject, trackedById } from './project.js';
import { isTrackingStatus, type TrackingStatus } from './statuses.js';

export const REASON_MAX = 2000;

/** What an agent sets: a status, a progress (a whole percentage), and the reason when the project is given up. */
export interface ProgressChange {
  status: string;
  progress: number;
  reason?: string;
}

const problem = (field: string, code: string): FieldProblem => ({ field, message: `participatory-budget.tracking.errors.${code}` });

/**
 * The change checked in full, every problem at once (field problems carry message keys): a known
 * status, a whole progress within 0–100, a reason for "abandoned". "delivered" means done, so it
 * sets the progress to 100 whatever was sent within range.
 */
function checked(change: ProgressChange): { status: TrackingStatus; progress: number; reason: string | null } {
  const problems: FieldProblem[] = [];
  if (!isTrackingStatus(change.status)) problems.push(problem('status', 'status'));
  if (!Number.isInteger(change.progress) || change.progress < 0 || change.progress > 100) problems.push(problem('progress', 'progress'));
  const reason = change.reason?.trim() ?? '';
  if (change.status === 'abandoned' && reason === '') problems.push(problem('reason', 'reason-missing'));
  if (reason.length > REASON_MAX) problems.push(problem('reason', 'reason-too-long'));
  if (problems.length) {
    throw trackingError('invalid-change', `The change is invalid: ${problems.map((p) => p.field).join(', ')}.`, problems);
  }
  const status = change.status as TrackingStatus;
  return { status, progress: status === 'delivered' ? 100 : change.progress, reason: status === 'abandoned' ? reason : null };
}

/**
 * Sets where a tracked project stands, in the caller's transaction: the row, its history, the audit
 * entry and one message per follower commit together. A change that changes nothing writes nothing.
 */
export async function updateProgress(
  trx: Trx,
  kernel: Kernel,
  acting: CampaignActing,
  projectId: string,
  change: ProgressChange,
): Promise<TrackedProject> {
  const before = await trackedById(trx, projectId);
  if (!before) throw trackingError('not-tracked', 'This project is not a tracked result.');
  await assertMayTrack(trx, kernel, acting, before.envelopeCode);
  const next = checked(change);
  if (next.status === before.status && next.progress === before.progress && next.reason === before.abandonReason) return before;
  const now = nowIso();
  await trx
    .updateTable('pb_tracked_projects')
    .set({ status: next.status, progress: next.progress, abandon_reason: next.reason, updated_at: now })
    .where('project_id', '=', projectId)
    .execute();
  await recordHistory(trx, projectId, { kind: 'update', status: next.status, progress: next.progress, abandonReason: next.reason });
  await audit(trx, {
    actor: acting.actor,
    ip: acting.ip ?? null,
    action: 'participatory-budget.tracking.update',
    resourceType: 'participatory-budget:project',
    resourceId: projectId,
    details: {
      code: before.code,
      campaign: before.campaignCode,
      from: { status: before.status, progress: before.progress },
      to: { status: next.status, progress: next.progress, reason: next.reason },
    },
  });
  const after: TrackedProject = { ...before, status: next.status, progress: next.progress, abandonReason: next.reason, updatedAt: now };
  const said = (lang: 'fr' | 'en') => {
    const status = kernel.i18n.t(lang, `participatory-budget.tracking.status.${next.status}`);
    const text = kernel.i18n.t(lang, 'participatory-budget.tracking.notice.update', { status, progress: next.progress });
    return next.reason ? `${text} ${kernel.i18n.t(lang, 'participatory-budget.tracking.notice.reason', { reason: next.reason })}` : text;
  };
  await notifyFollowers(trx, kernel, after, inBothLanguages(said));
  return after;
}
