import type { Trx } from '../../../kernel/db/transaction.js';
import { nowIso } from '../../../kernel/db/values.js';
import { audit } from '../../../kernel/identity/audit.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { trackingError } from './errors.js';
import { recordHistory } from './history.js';

/**
 * Makes winning projects tracked results, "planned" at 0 %: the results part calls it, in the
 * transaction that publishes the winners. Projects already tracked are left as they are (publishing
 * twice changes nothing); an unknown id refuses the whole call before anything is written. Returns
 * the ids it started tracking.
 */
export async function startTracking(trx: Trx, _kernel: Kernel, projectIds: readonly string[]): Promise<string[]> {
  const ids = [...new Set(projectIds)];
  if (ids.length === 0) return [];
  const known = await trx.selectFrom('pb_projects').select('id').where('id', 'in', ids).execute();
  const missing = ids.filter((id) => !known.some((k) => k.id === id));
  if (missing.length) throw trackingError('project-unknown', `No ballot project has the id ${missing.join(', ')}.`);
  const tracked = await trx.selectFrom('pb_tracked_projects').select('project_id').where('project_id', 'in', ids).execute();
  const fresh = ids.filter((id) => !tracked.some((t) => t.project_id === id));
  const now = nowIso();
  for (const id of fresh) {
    await trx
      .insertInto('pb_tracked_projects')
      .values({ project_id: id, status: 'planned', progress: 0, abandon_reason: null, started_at: now, updated_at: now })
      .execute();
    await recordHistory(trx, id, { kind: 'start', status: 'planned', progress: 0, abandonReason: null });
  }
  if (fresh.length) {
    await audit(trx, {
      actor: { kind: 'system', label: 'participatory-budget:results' },
      action: 'participatory-budget.tracking.start',
      resourceType: 'participatory-budget:project',
      details: { projects: fresh },
    });
  }
  return fresh;
}
