import type { Trx } from '../../kernel/db/transaction.js';
import { newId, nowIso, toJson } from '../../kernel/db/values.js';
import type { FormSubmission } from '../../kernel/forms/index.js';
import type { Kernel } from '../../kernel/kernel.js';
import { notify } from '../../kernel/notifications/notify.js';
import { startItem } from '../../kernel/workflow/transition.js';
import type { Procedure } from './procedure.js';

/**
 * A sent application, in the form's transaction: the answers and their files, the workflow item
 * routed to the applicant's town hall, the demand on their dashboard, and the receipt.
 */
export async function submitApplication(trx: Trx, kernel: Kernel, procedure: Procedure, submission: FormSubmission): Promise<string> {
  const id = newId();
  const accountId = submission.actor.account.id;
  const unitCode = procedure.unitFor(submission.data, kernel.config.city.code);
  const unit = await trx.selectFrom('units').select('path').where('code', '=', unitCode).executeTakeFirst();
  const lang = (submission.actor.account.preferred_lang ?? kernel.config.city.defaultLanguage) as 'fr' | 'en';
  const title = procedure.titleFor(submission.data);
  const item = await startItem(trx, kernel, {
    workflow: 'procedures:application',
    subject: `procedures:application:${id}`,
    unitPath: unit?.path ?? null,
    accountId,
    demand: { type: 'procedures:application', title: title[lang], link: `/procedures/applications/${id}` },
  });
  await kernel.files.attach(trx, submission.fileIds, `procedures:application:${id}`);
  await trx
    .insertInto('procedures_applications')
    .values({
      id,
      procedure: procedure.code,
      account_id: accountId,
      item_id: item.id,
      demand_id: item.demandId!,
      data: toJson(submission.data),
      form_version: submission.formVersion,
      created_at: nowIso(),
    })
    .execute();
  const demand = await trx.selectFrom('demands').select(['reference', 'link']).where('id', '=', item.demandId!).executeTakeFirstOrThrow();
  await notify(trx, kernel, {
    accountId,
    template: 'procedures.submitted',
    demandId: item.demandId!,
    link: demand.link,
    data: { reference: demand.reference, title: title[lang], link: `${kernel.config.publicUrl ?? ''}${demand.link}` },
  });
  return id;
}
