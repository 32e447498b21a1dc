import { inTransaction } from '../../../kernel/db/transaction.js';
import { nowIso } from '../../../kernel/db/values.js';
import { type FieldProblem, HttpError } from '../../../kernel/http/errors.js';
import { audit } from '../../../kernel/identity/audit.js';
import type { Actor } from '../../../kernel/identity/authorization.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { findItem } from '../../../kernel/workflow/items.js';
import { applyAction, refusal } from '../../../kernel/workflow/transition.js';
import type { CategoryTree } from './categories.js';
import { reportForAgent } from './queue.js';

export interface Requalification {
  /** A leaf of the tree (agent-only leaves included); unchanged when absent. */
  category?: string;
  /** A new point; unchanged when absent. */
  lat?: number;
  lng?: number;
  address?: string | null;
}

/**
 * Changes a report's category and/or place. The responsible unit follows (the town hall of the
 * new district, or the category's own unit), for the report, its workflow item and its demand;
 * a report waiting to be requalified goes back to "to treat". One transaction, in the audit log.
 * Returns the report's new unit path (the agent may no longer see it).
 */
export async function requalifyReport(
  kernel: Kernel,
  actor: Actor,
  categories: CategoryTree,
  id: string,
  change: Requalification,
): Promise<{ unitPath: string | null }> {
  const report = await reportForAgent(kernel.db, actor, id, 'street-reports.triage');
  const problems: FieldProblem[] = [];
  const categoryCode = change.category ?? report.category;
  const category = categories.byCode.get(categoryCode);
  if (!category || category.children.length > 0 || category.elsewhere) {
    problems.push({ field: 'category', message: 'street-reports.errors.category-unknown' });
  }
  const moved = change.lat !== undefined || change.lng !== undefined;
  const lat = change.lat ?? report.lat;
  const lng = change.lng ?? report.lng;
  const inRange = Number.isFinite(lat) && Number.isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180;
  const district = inRange ? kernel.districts.locate([lng, lat]) : undefined;
  if (!inRange) problems.push({ field: 'lat', message: 'street-reports.errors.point-invalid' });
  else if (!district) problems.push({ field: 'lat', message: 'street-reports.errors.point-outside' });
  if (problems.length || !category || !district) {
    throw new HttpError(400, 'street-reports.requalify-invalid', 'The new category or place is invalid.', problems);
  }
  const unitCode = category.unit === 'district' || !category.unit ? `mairie-${district.code}` : category.unit;
  return inTransaction(kernel.db, async (trx) => {
    const unit = await trx.selectFrom('units').select('path').where('code', '=', unitCode).executeTakeFirst();
    const unitPath = unit?.path ?? report.unit_path;
    const item = await findItem(trx, report.item_id);
    if (!item) throw new HttpError(404, 'workflow.not-found', 'This item does not exist.');
    const wf = kernel.workflows.get(item.workflow, item.version);
    // Waiting for a requalification: this is it, recorded in the history by the agent (in the old unit, where they act).
    if (item.state === 'to-requalify' && wf.actions.requalified && refusal(item, actor, wf.actions.requalified) === null) {
      await applyAction(trx, kernel, actor, item, 'requalified');
    }
    const now = nowIso();
    await trx
      .updateTable('street_reports')
      .set({
        category: category.code,
        lat,
        lng,
        district: district.code,
        ...(change.address !== undefined ? { address: change.address?.trim() || null } : moved ? { address: null } : {}),
        unit_path: unitPath,
        updated_at: now,
      })
      .where('id', '=', report.id)
      .execute();
    // The engine has no "reassign" action: the unit is data of the item and of its demand, moved here together.
    await trx.updateTable('workflow_items').set({ unit_path: unitPath, updated_at: now }).where('id', '=', report.item_id).execute();
    if (report.demand_id) await trx.updateTable('demands').set({ unit_path: unitPath }).where('id', '=', report.demand_id).execute();
    await audit(trx, {
      actor,
      action: 'street-reports.requalify',
      resourceType: 'street-report',
      resourceId: report.id,
      unitCode,
      details: {
        reference: report.reference,
        from: { category: report.category, lat: report.lat, lng: report.lng, district: report.district, unitPath: report.unit_path },
        to: { category: category.code, lat, lng, district: district.code, unitPath },
      },
    });
    await kernel.jobs.emit(trx, 'street-reports.requalified', {
      id: report.id,
      reference: report.reference,
      category: category.code,
      district: district.code,
    });
    return { unitPath };
  });
}
