import { formatDateTime } from '../../i18n/format.js';
import type { FieldError } from '../../ui/components.js';
import { ErrorSummary, Form } from '../../ui/components.js';
import type { ViewContext } from '../../ui/context.js';
import type { Workflow } from '../definition.js';
import type { MassResult } from '../mass.js';
import { WorkflowDiagram } from './diagram.js';
import { MassActions } from './mass-actions.js';

export function WorkflowListPage({ ctx, workflows }: { ctx: ViewContext; workflows: { wf: Workflow; open: number }[] }) {
  const t = ctx.t;
  return (
    <>
      <h1>{t('workflow.list.title')}</h1>
      <p class="lead">{t('workflow.list.lead')}</p>
      <table class="data-table">
        <caption class="visually-hidden">{t('workflow.list.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('workflow.list.name')}</th>
            <th scope="col">{t('workflow.list.version')}</th>
            <th scope="col">{t('workflow.list.items')}</th>
          </tr>
        </thead>
        <tbody>
          {workflows.map(({ wf, open }) => (
            <tr key={wf.code}>
              <th scope="row">
                <a href={`/admin/workflows/${wf.code}`}>{wf.label[ctx.lang]}</a>
              </th>
              <td>{wf.version}</td>
              <td>
                <a href={`/admin/workflows/${wf.code}/items`}>{open}</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function byLabel(ctx: ViewContext, by: string, permission?: string): string {
  return ctx.t(`workflow.by.${by}`, { permission: permission ?? '' });
}

/** A definition as a diagram and as tables (the tables are the accessible alternative). */
export function WorkflowDetailPage({ ctx, wf, counts }: { ctx: ViewContext; wf: Workflow; counts: Record<string, number> }) {
  const t = ctx.t;
  const stateName = (s: string) => wf.states[s]?.label[ctx.lang] ?? s;
  return (
    <>
      <h1>{t('workflow.diagram.title', { name: wf.label[ctx.lang] })}</h1>
      <p>
        {wf.code} — {t('workflow.list.version')} {wf.version} —{' '}
        <a href={`/admin/workflows/${wf.code}/items`}>{t('workflow.items.title', { name: wf.label[ctx.lang] })}</a>
      </p>
      <div class="diagram-frame">
        <WorkflowDiagram ctx={ctx} wf={wf} />
      </div>
      <table class="data-table">
        <caption>{t('workflow.diagram.states')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('workflow.diagram.state')}</th>
            <th scope="col">{t('workflow.diagram.status')}</th>
            <th scope="col">{t('workflow.diagram.visibility')}</th>
            <th scope="col">{t('workflow.diagram.count')}</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(wf.states).map(([code, s]) => (
            <tr key={code}>
              <th scope="row">
                {s.label[ctx.lang]} <code>{code}</code>
                {code === wf.initial ? <span class="hint"> ({t('workflow.diagram.initial')})</span> : null}
              </th>
              <td>{t(`demands.status.${s.status}`)}</td>
              <td>{s.public ? t('workflow.diagram.public') : t('workflow.internal')}</td>
              <td>{counts[code] ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table class="data-table">
        <caption>{t('workflow.diagram.actions')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('workflow.action')}</th>
            <th scope="col">{t('workflow.diagram.from')}</th>
            <th scope="col">{t('workflow.diagram.to')}</th>
            <th scope="col">{t('workflow.diagram.by')}</th>
            <th scope="col">{t('workflow.diagram.trigger')}</th>
            <th scope="col">{t('workflow.diagram.tasks')}</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(wf.actions).map(([code, a]) => (
            <tr key={code}>
              <th scope="row">
                {a.label[ctx.lang]} <code>{code}</code>
              </th>
              <td>{a.from.map(stateName).join(', ')}</td>
              <td>{stateName(a.to)}</td>
              <td>{byLabel(ctx, a.by, a.permission)}</td>
              <td>{t(`workflow.trigger.${a.trigger}`)}</td>
              <td>{a.tasks.map((task) => task.type).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export interface ItemRow {
  id: string;
  subject: string;
  state: string;
  updatedAt: string;
  href: string;
  label: string;
}

/** Items of a workflow in the agent's units, with a bulk action on the ticked ones. */
export function ItemsPage(props: {
  ctx: ViewContext;
  wf: Workflow;
  state: string;
  items: ItemRow[];
  massActions: [string, string][];
  errors?: FieldError[];
}) {
  const { ctx, wf } = props;
  const t = ctx.t;
  return (
    <>
      <h1>{t('workflow.items.title', { name: wf.label[ctx.lang] })}</h1>
      <form method="get" action={`/admin/workflows/${wf.code}/items`} class="filters">
        <div class="field">
          <label for="state">{t('workflow.items.state')}</label>
          <select id="state" name="state">
            {Object.entries(wf.states).map(([code, s]) => (
              <option key={code} value={code} selected={code === props.state}>
                {s.label[ctx.lang]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button secondary">
          {t('workflow.items.filter')}
        </button>
      </form>
      <ErrorSummary ctx={ctx} errors={props.errors ?? []} />
      {props.items.length ? (
        <Form ctx={ctx} action="/admin/workflow/mass">
          <input type="hidden" name="workflow" value={wf.code} />
          <table class="data-table">
            <caption>{wf.states[props.state]?.label[ctx.lang]}</caption>
            <thead>
              <tr>
                <td />
                <th scope="col">{t('workflow.items.subject')}</th>
                <th scope="col">{t('workflow.items.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {props.items.map((i) => (
                <tr key={i.id}>
                  <td>
                    <input
                      type="checkbox"
                      name="items"
                      value={i.id}
                      id={`item-${i.id}`}
                      aria-label={t('workflow.items.select', { subject: i.label })}
                    />
                  </td>
                  <th scope="row">
                    <a href={i.href}>{i.label}</a>
                  </th>
                  <td>{formatDateTime(ctx.lang, i.updatedAt, ctx.city.timezone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <MassActions ctx={ctx} actions={props.massActions} />
        </Form>
      ) : (
        <p>{t('workflow.items.none')}</p>
      )}
    </>
  );
}

export function MassResultPage({
  ctx,
  wf,
  results,
  labels,
}: {
  ctx: ViewContext;
  wf: Workflow;
  results: MassResult[];
  labels: Map<string, string>;
}) {
  const t = ctx.t;
  const ok = results.filter((r) => r.ok).length;
  return (
    <>
      <h1>{t('workflow.mass.title')}</h1>
      <p role="status">{t('workflow.mass.done', { ok, failed: results.length - ok })}</p>
      <ul>
        {results.map((r) => (
          <li key={r.itemId}>
            {labels.get(r.itemId) ?? r.itemId} : {r.ok ? t('workflow.mass.ok') : t(`workflow.errors.${r.code}`)}
          </li>
        ))}
      </ul>
      <p>
        <a href={`/admin/workflows/${wf.code}/items`}>{t('workflow.failed.back')}</a>
      </p>
    </>
  );
}

/** An action that was refused: the reason in words, what was wrong, and the way back. */
export function ActionFailedPage({
  ctx,
  message,
  errors,
  back,
}: {
  ctx: ViewContext;
  message: string;
  errors: FieldError[];
  back: string;
}) {
  const t = ctx.t;
  return (
    <>
      <h1>{t('workflow.failed.title')}</h1>
      <p role="alert">{message}</p>
      {errors.length ? (
        <ul>
          {errors.map((e) => (
            <li key={e.field}>{e.message}</li>
          ))}
        </ul>
      ) : null}
      <p>
        <a href={back}>{t('workflow.failed.back')}</a>
      </p>
    </>
  );
}
