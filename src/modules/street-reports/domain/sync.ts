import type { Trx } from '../../../kernel/db/transaction.js';
import { nowIso } from '../../../kernel/db/values.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { TransitionChange } from '../../../kernel/modules.js';

/** Keeps the report's copy of its state (for the public map, lists and Open311) in the transition's transaction. */
export async function syncReportState(trx: Trx, kernel: Kernel, change: TransitionChange): Promise<void> {
  const wf = kernel.workflows.get(change.item.workflow, change.item.version);
  const closed = ['closed', 'cancelled'].includes(wf.states[change.to]?.status ?? '');
  await trx
    .updateTable('street_reports')
    .set({
      state: change.to,
      status: closed ? 'closed' : 'open',
      unit_path: change.item.unitPath,
      updated_at: nowIso(),
      closed_at: closed ? nowIso() : null,
    })
    .where('item_id', '=', change.item.id)
    .execute();
}
