import type { VNode } from 'preact';
import { formatDateTime } from '../i18n/format.js';
import type { Actor } from '../identity/authorization.js';
import type { Kernel } from '../kernel.js';
import type { ViewContext } from '../ui/context.js';
import type { Workflow } from './definition.js';
import { type HistoryEntry, itemHistory, toItem, type WorkflowItem } from './items.js';
import { availableActions } from './transition.js';
import { ActionForm } from './views/action-form.js';

/** Where an action form posts: agents under /admin, residents under /account. */
export function actionPath(actor: Actor, item: WorkflowItem, action: string): string {
  return `${actor.kind === 'agent' ? '/admin' : '/account'}/workflow/items/${item.id}/actions/${action}`;
}

/** The actions this actor may run on the item now, as forms. */
export function ActionForms(props: { ctx: ViewContext; kernel: Kernel; actor: Actor; item: WorkflowItem; returnTo: string }) {
  const actions = availableActions(props.kernel, props.item, props.actor);
  if (actions.length === 0) return null;
  return (
    <div class="actions">
      {actions.map(([code, action]) => (
        <ActionForm
          key={code}
          ctx={props.ctx}
          postTo={actionPath(props.actor, props.item, code)}
          code={code}
          action={action}
          revision={props.item.revision}
          returnTo={props.returnTo}
        />
      ))}
    </div>
  );
}

function stateName(wf: Workflow, state: string | null, lang: 'fr' | 'en'): string {
  return state ? (wf.states[state]?.label[lang] ?? state) : '—';
}

export function HistoryTable({ ctx, wf, history }: { ctx: ViewContext; wf: Workflow; history: HistoryEntry[] }) {
  const t = ctx.t;
  return (
    <table class="data-table">
      <caption>{t('workflow.history')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('workflow.when')}</th>
          <th scope="col">{t('workflow.action')}</th>
          <th scope="col">{t('workflow.change')}</th>
          <th scope="col">{t('workflow.who')}</th>
          <th scope="col">{t('workflow.comment')}</th>
        </tr>
      </thead>
      <tbody>
        {history.map((e) => (
          <tr key={e.id}>
            <td>{formatDateTime(ctx.lang, e.at, ctx.city.timezone)}</td>
            <th scope="row">{e.action ? (wf.actions[e.action]?.label[ctx.lang] ?? e.action) : t('workflow.created')}</th>
            <td>
              {e.from ? `${stateName(wf, e.from, ctx.lang)} → ` : ''}
              {stateName(wf, e.to, ctx.lang)}
            </td>
            <td>{e.actorKind === 'system' ? t('workflow.system') : (e.actorName ?? '—')}</td>
            <td>{e.comment ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The back office's view of an item's workflow: its state, deadline, actions and history. */
export function WorkflowPanel(props: {
  ctx: ViewContext;
  kernel: Kernel;
  actor: Actor;
  item: WorkflowItem;
  history: HistoryEntry[];
  returnTo: string;
}) {
  const { ctx, item } = props;
  const t = ctx.t;
  const wf = props.kernel.workflows.get(item.workflow, item.version);
  const state = wf.states[item.state]!;
  return (
    <section aria-labelledby="workflow-title" class="workflow-panel">
      <h2 id="workflow-title">{t('workflow.title', { name: wf.label[ctx.lang] })}</h2>
      <p>
        {t('workflow.currentState')} : <strong>{state.label[ctx.lang]}</strong>{' '}
        {state.public ? null : <span class="hint">({t('workflow.internal')})</span>}
        {item.deadlineAt ? <> — {t('workflow.deadline', { date: formatDateTime(ctx.lang, item.deadlineAt, ctx.city.timezone) })}</> : null}
        {item.archivedAt ? (
          <> — {t('workflow.archivedOn', { date: formatDateTime(ctx.lang, item.archivedAt, ctx.city.timezone) })}</>
        ) : null}
      </p>
      <p>
        <a href={`/admin/workflows/${wf.code}`}>{t('workflow.seeDiagram')}</a>
      </p>
      <ActionForms ctx={ctx} kernel={props.kernel} actor={props.actor} item={item} returnTo={props.returnTo} />
      <HistoryTable ctx={ctx} wf={wf} history={props.history} />
    </section>
  );
}

async function itemOfDemand(kernel: Kernel, demandId: string): Promise<WorkflowItem | null> {
  const row = await kernel.db.selectFrom('workflow_items').selectAll().where('demand_id', '=', demandId).executeTakeFirst();
  return row ? toItem(row) : null;
}

/** The workflow panel of the item registered with this demand, if any. */
export async function workflowPanelOf(
  kernel: Kernel,
  ctx: ViewContext,
  actor: Actor,
  demandId: string,
  returnTo: string,
): Promise<VNode | null> {
  const item = await itemOfDemand(kernel, demandId);
  if (!item) return null;
  return (
    <WorkflowPanel
      ctx={ctx}
      kernel={kernel}
      actor={actor}
      item={item}
      history={await itemHistory(kernel.db, item.id)}
      returnTo={returnTo}
    />
  );
}

/** For a resident's demand page: the actions they may run themselves (complete, cancel…). */
export async function citizenActionsOf(
  kernel: Kernel,
  ctx: ViewContext,
  actor: Actor,
  demandId: string,
  returnTo: string,
): Promise<VNode | null> {
  const item = await itemOfDemand(kernel, demandId);
  return item ? <ActionForms ctx={ctx} kernel={kernel} actor={actor} item={item} returnTo={returnTo} /> : null;
}
