import { sql } from 'kysely';
import { inTransaction } from '../../../kernel/db/transaction.js';
import { nowIso } from '../../../kernel/db/values.js';
import { HttpError } from '../../../kernel/http/errors.js';
import { audit } from '../../../kernel/identity/audit.js';
import type { Actor } from '../../../kernel/identity/authorization.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { findItem } from '../../../kernel/workflow/items.js';
import { applyAction } from '../../../kernel/workflow/transition.js';
import { reportForAgent } from './queue.js';

function refused(message: string): HttpError {
  return new HttpError(400, 'street-reports.duplicate-invalid', 'This report cannot be marked a duplicate of that one.', [
    { field: 'original', message },
  ]);
}

/**
 * Marks a report a duplicate of another (given by its reference) and merges them: the duplicate is
 * closed by the `mark-duplicate` action (its followers hear of it), then its followers and its
 * reporter follow the original instead. One transaction, in the audit log.
 */
export async function markDuplicate(kernel: Kernel, actor: Actor, id: string, originalReference: string): Promise<{ originalId: string }> {
  const report = await reportForAgent(kernel.db, actor, id, 'street-reports.triage');
  const reference = originalReference.trim().toUpperCase();
  let original = await kernel.db.selectFrom('street_reports').selectAll().where('reference', '=', reference).executeTakeFirst();
  if (!original) throw refused('street-reports.admin.errors.original-unknown');
  // A duplicate of a duplicate joins the report they both repeat.
  for (let hops = 0; original.duplicate_of && hops < 5; hops++) {
    const next = await kernel.db.selectFrom('street_reports').selectAll().where('id', '=', original.duplicate_of).executeTakeFirst();
    if (!next) break;
    original = next;
  }
  if (original.id === report.id) throw refused('street-reports.admin.errors.original-self');
  const originalId = original.id;
  return inTransaction(kernel.db, async (trx) => {
    const item = await findItem(trx, report.item_id);
    if (!item) throw new HttpError(404, 'workflow.not-found', 'This item does not exist.');
    const action = kernel.workflows.get(item.workflow, item.version).actions['mark-duplicate'];
    if (!action?.from.includes(item.state) || item.archivedAt) throw refused('street-reports.admin.errors.not-duplicable');
    // The system runs it (it is no agent's manual action); the agent's right was checked above.
    await applyAction(trx, kernel, 'system', item, 'mark-duplicate');
    const now = nowIso();
    const followers = await trx.selectFrom('street_report_followers').select('account_id').where('report_id', '=', report.id).execute();
    const moving = new Set(followers.map((f) => f.account_id));
    if (report.account_id) moving.add(report.account_id);
    const already = new Set(
      (await trx.selectFrom('street_report_followers').select('account_id').where('report_id', '=', originalId).execute()).map(
        (f) => f.account_id,
      ),
    );
    const added = [...moving].filter((a) => !already.has(a) && a !== original.account_id);
    if (added.length) {
      await trx
        .insertInto('street_report_followers')
        .values(added.map((accountId) => ({ report_id: originalId, account_id: accountId, created_at: now })))
        .execute();
    }
    await trx.deleteFrom('street_report_followers').where('report_id', '=', report.id).execute();
    await trx
      .updateTable('street_reports')
      .set({ duplicate_of: originalId, followers: 0, updated_at: now })
      .where('id', '=', report.id)
      .execute();
    await trx
      .updateTable('street_reports')
      .set({
        followers: sql<number>`(select count(*) from street_report_followers where report_id = ${originalId})`,
        updated_at: now,
      })
      .where('id', '=', originalId)
      .execute();
    await audit(trx, {
      actor,
      action: 'street-reports.duplicate',
      resourceType: 'street-report',
      resourceId: report.id,
      details: { reference: report.reference, original: original.reference, followersMoved: added.length },
    });
    return { originalId };
  });
}
