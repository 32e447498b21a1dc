import { inTransaction } from '../../../kernel/db/transaction.js';
import { nowIso } from '../../../kernel/db/values.js';
import { HttpError } from '../../../kernel/http/errors.js';
import { audit } from '../../../kernel/identity/audit.js';
import type { Actor } from '../../../kernel/identity/authorization.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { PRIORITIES, reportForAgent } from './queue.js';

/** 0 normal, 1 high, 2 urgent, 3 immediate danger: sent with the work order, sorts the queue. */
export async function setPriority(kernel: Kernel, actor: Actor, id: string, priority: number): Promise<void> {
  if (!(PRIORITIES as readonly number[]).includes(priority)) {
    throw new HttpError(400, 'street-reports.priority-invalid', 'The priority is 0, 1, 2 or 3.', [
      { field: 'priority', message: 'street-reports.admin.errors.priority' },
    ]);
  }
  const report = await reportForAgent(kernel.db, actor, id, 'street-reports.triage');
  if (report.priority === priority) return;
  await inTransaction(kernel.db, async (trx) => {
    await trx.updateTable('street_reports').set({ priority, updated_at: nowIso() }).where('id', '=', id).execute();
    await audit(trx, {
      actor,
      action: 'street-reports.priority',
      resourceType: 'street-report',
      resourceId: id,
      details: { reference: report.reference, from: report.priority, to: priority },
    });
  });
}
