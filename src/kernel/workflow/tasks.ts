import { nowIso } from '../db/values.js';
import { HttpError } from '../http/errors.js';
import type { Lang } from '../i18n/types.js';
import { notify } from '../notifications/notify.js';
import { queueWebhooks } from '../webhooks/queue.js';
import { durationMs, type TaskContext, type TaskSpec } from './definition.js';

/** Runs the action's tasks in order, in the transition's transaction: one failing undoes it all. */
export async function runTasks(ctx: TaskContext, tasks: readonly TaskSpec[]): Promise<void> {
  for (const task of tasks) {
    switch (task.type) {
      case 'notify':
        await notifyCitizen(ctx, (task as { template: string }).template);
        break;
      case 'assign':
        await assign(ctx, (task as { unit: string }).unit);
        break;
      case 'webhook':
        await queueWebhooks(ctx.trx, ctx.kernel, {
          module: ctx.workflow.code.split(':')[0]!,
          unitPath: ctx.patch.unitPath !== undefined ? ctx.patch.unitPath : ctx.item.unitPath,
          event: (task as { event: string }).event,
          subject: ctx.item.subject,
          payload: { subject: ctx.item.subject, itemId: ctx.item.id, action: ctx.action, state: ctx.item.state, fields: ctx.fields },
          idempotencyKey: `${ctx.item.id}:${ctx.item.revision}:${(task as { event: string }).event}`,
        });
        break;
      case 'deadline': {
        const { after, clear } = task as { after?: { days?: number; hours?: number; minutes?: number }; clear?: true };
        ctx.patch.deadlineAt = clear || !after ? null : new Date(Date.now() + durationMs(after)).toISOString();
        break;
      }
      case 'anonymise':
        ctx.patch.anonymise = true;
        if (ctx.item.demandId) await ctx.trx.updateTable('demands').set({ account_id: null }).where('id', '=', ctx.item.demandId).execute();
        await ctx.kernel.jobs.emit(ctx.trx, 'workflow.anonymised', {
          workflow: ctx.workflow.code,
          subject: ctx.item.subject,
          itemId: ctx.item.id,
        });
        break;
      case 'archive':
        ctx.patch.archivedAt = nowIso();
        break;
      default: {
        const handler = ctx.kernel.workflows.taskHandlers.get(task.type);
        // The registry checked every task type at start; this is a definition changed since.
        if (!handler) throw new Error(`Unknown task type "${task.type}".`);
        await handler(ctx, (task as { params?: Record<string, unknown> }).params ?? {});
      }
    }
  }
}

/** The resident hears of the transition, on the channels they chose, in their language. */
async function notifyCitizen(ctx: TaskContext, template: string): Promise<void> {
  if (!ctx.item.accountId) return;
  const demand = ctx.item.demandId
    ? await ctx.trx.selectFrom('demands').select(['reference', 'title', 'link']).where('id', '=', ctx.item.demandId).executeTakeFirst()
    : undefined;
  const account = await ctx.trx
    .selectFrom('accounts')
    .select(['preferred_lang', 'display_name'])
    .where('id', '=', ctx.item.accountId)
    .executeTakeFirst();
  const lang = (account?.preferred_lang ?? ctx.kernel.config.city.defaultLanguage) as Lang;
  const state = ctx.workflow.states[ctx.item.state]!;
  await notify(ctx.trx, ctx.kernel, {
    accountId: ctx.item.accountId,
    template,
    demandId: ctx.item.demandId ?? undefined,
    link: demand?.link,
    data: {
      name: account?.display_name ?? '',
      reference: demand?.reference ?? '',
      title: demand?.title ?? '',
      state: state.label[lang],
      comment: ctx.fields.comment ?? '',
      // Mails need an absolute address: the city's public URL, when configured, before the path.
      link: demand ? `${ctx.kernel.config.publicUrl ?? ''}${demand.link}` : '',
      ...reasonLabels(ctx, lang),
    },
  });
}

/** The label (in the resident's language) of each reason chosen in the action's fields. */
function reasonLabels(ctx: TaskContext, lang: Lang): Record<string, string> {
  const action = ctx.workflow.actions[ctx.action]!;
  const out: Record<string, string> = {};
  for (const field of action.fields) {
    if (field.type !== 'reason') continue;
    const chosen = field.reasons?.find((r) => r.code === ctx.fields[field.code]);
    out[field.code] = chosen ? chosen.label[lang] : '';
  }
  return out;
}

async function assign(ctx: TaskContext, unitCode: string): Promise<void> {
  const unit = await ctx.trx.selectFrom('units').select('path').where('code', '=', unitCode).executeTakeFirst();
  if (!unit) throw new HttpError(409, 'workflow.unknown-unit', `The workflow assigns to unit "${unitCode}", which does not exist.`);
  ctx.patch.unitPath = unit.path;
}
