import { fromJson } from '../../../kernel/db/values.js';
import { notify } from '../../../kernel/notifications/notify.js';
import { issueItemToken } from '../../../kernel/webhooks/incoming.js';
import { queueWebhooks } from '../../../kernel/webhooks/queue.js';
import type { TaskHandler } from '../../../kernel/workflow/definition.js';
import { noContractor, WORK_ORDER_EVENT, workOrderKey } from './contractor.js';
import { categoriesOf } from './settings.js';

/** Every follower of the report hears of a public change, on their channels (the reporter has the `notify` task). */
export const notifyFollowers: TaskHandler = async (ctx, params) => {
  const report = await ctx.trx
    .selectFrom('street_reports')
    .select(['id', 'reference', 'category'])
    .where('item_id', '=', ctx.item.id)
    .executeTakeFirst();
  if (!report) return;
  const followers = await ctx.trx.selectFrom('street_report_followers').select('account_id').where('report_id', '=', report.id).execute();
  const state = ctx.workflow.states[ctx.item.state]!;
  const link = `/reports/${report.id}`;
  for (const f of followers) {
    if (f.account_id === ctx.item.accountId) continue;
    await notify(ctx.trx, ctx.kernel, {
      accountId: f.account_id,
      template: String(params.template),
      link,
      data: {
        reference: report.reference,
        title: categoriesOf(ctx.kernel).byCode.get(report.category)?.label ?? report.category,
        state: state.label,
        comment: ctx.fields.comment ?? '',
        link: `${ctx.kernel.config.publicUrl ?? ''}${link}`,
      },
    });
  }
};

/**
 * The work order, sent through the outbox to the contractor endpoint(s) of the report's unit: signed,
 * retried, with the callback address and the per-report token the contractor answers with.
 */
export const dispatchWorkOrder: TaskHandler = async (ctx) => {
  const report = await ctx.trx.selectFrom('street_reports').selectAll().where('item_id', '=', ctx.item.id).executeTakeFirstOrThrow();
  const photos = await ctx.trx
    .selectFrom('street_report_photos')
    .select('file_id')
    .where('report_id', '=', report.id)
    .where('redacted', '=', 0)
    .execute();
  const base = ctx.kernel.config.publicUrl ?? '';
  const queued = await queueWebhooks(ctx.trx, ctx.kernel, {
    module: 'street-reports',
    unitPath: ctx.item.unitPath,
    event: WORK_ORDER_EVENT,
    subject: ctx.item.subject,
    idempotencyKey: workOrderKey(ctx.item.id, ctx.item.revision),
    payload: {
      id: report.id,
      reference: report.reference,
      category: report.category,
      priority: report.priority,
      address: report.address,
      lat: report.lat,
      lng: report.lng,
      description: report.description,
      // Answers to the category's questions, by question code (the volume of bulky items, a lamp's number…).
      answers: fromJson<Record<string, unknown>>(report.answers, {}),
      createdAt: report.created_at,
      photos: photos.map((p) => `${base}/files/${p.file_id}`),
      callback: { url: `${base}/api/v1/street-reports/${report.id}/callbacks`, token: issueItemToken(ctx.kernel, ctx.item.subject) },
    },
  });
  if (queued === 0) throw noContractor();
};
