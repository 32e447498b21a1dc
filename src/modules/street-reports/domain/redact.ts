import { inTransaction } from '../../../kernel/db/transaction.js';
import { HttpError } from '../../../kernel/http/errors.js';
import { audit } from '../../../kernel/identity/audit.js';
import type { Actor } from '../../../kernel/identity/authorization.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { reportForAgent } from './queue.js';

/**
 * Hides a photo (a face, a plate) from the public pages and from work orders, or shows it again.
 * The file stays: agents still see it, marked as redacted.
 */
export async function setPhotoRedacted(kernel: Kernel, actor: Actor, reportId: string, photoId: string, redacted: boolean): Promise<void> {
  const report = await reportForAgent(kernel.db, actor, reportId, 'street-reports.triage');
  await inTransaction(kernel.db, async (trx) => {
    const done = await trx
      .updateTable('street_report_photos')
      .set({ redacted: redacted ? 1 : 0 })
      .where('id', '=', photoId)
      .where('report_id', '=', report.id)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new HttpError(404, 'street-reports.photo-not-found', 'This report has no such photo.');
    await audit(trx, {
      actor,
      action: redacted ? 'street-reports.photo.redact' : 'street-reports.photo.restore',
      resourceType: 'street-report',
      resourceId: report.id,
      details: { reference: report.reference, photo: photoId },
    });
  });
}
