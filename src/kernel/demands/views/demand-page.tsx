import type { ComponentChildren } from 'preact';
import { Notice } from '../../ui/components.js';
import type { ViewContext } from '../../ui/context.js';
import type { DemandSummary, TimelineEntry } from '../queries.js';
import { type DemandType, demandTitle } from '../types.js';
import { DemandFacts, MessageForm, Timeline } from './parts.js';

export interface DemandPageState {
  demand: DemandSummary;
  type?: DemandType;
  timeline: TimelineEntry[];
  notice?: string;
  messageError?: string;
  messageBody?: string;
}

/** A resident's demand: where it stands, its history, and a conversation with the services. */
export function CitizenDemandPage({ ctx, state, actions }: { ctx: ViewContext; state: DemandPageState; actions?: ComponentChildren }) {
  const t = ctx.t;
  const { demand } = state;
  return (
    <>
      <p>
        <a href="/account/demands">← {t('demands.title')}</a>
      </p>
      <h1>{demandTitle(demand, state.type, ctx.lang)}</h1>
      {state.notice ? <Notice kind="success">{state.notice}</Notice> : null}
      {demand.nextAction && !demand.closedAt ? (
        <p class="next-action">{t('demands.nextAction', { action: demand.nextAction[ctx.lang] })}</p>
      ) : null}
      <DemandFacts ctx={ctx} demand={demand} type={state.type} />
      <p>
        <a href={demand.link}>{t('demands.openService')}</a>
      </p>
      {actions}
      <Timeline ctx={ctx} entries={state.timeline} audience="citizen" />
      <MessageForm
        ctx={ctx}
        action={`/account/demands/${demand.id}/messages`}
        title={t('demands.messages.title')}
        error={state.messageError}
        body={state.messageBody}
      />
    </>
  );
}

/** The agents' page of a demand: the same facts and history, the reply form, and the workflow panel. */
export function AgentDemandPage({
  ctx,
  state,
  citizen,
  workflow,
}: {
  ctx: ViewContext;
  state: DemandPageState;
  citizen?: { id: string; name: string } | null;
  workflow?: ComponentChildren;
}) {
  const t = ctx.t;
  const { demand } = state;
  return (
    <>
      <h1>
        {demandTitle(demand, state.type, ctx.lang)} <span class="hint">({demand.reference})</span>
      </h1>
      {state.notice ? <Notice kind="success">{state.notice}</Notice> : null}
      <DemandFacts ctx={ctx} demand={demand} type={state.type} />
      {state.type?.agentLink ? (
        <p>
          <a href={state.type.agentLink(demand.subject)}>{t('demands.admin.openFile')}</a>
        </p>
      ) : null}
      {citizen ? (
        <p>
          {t('demands.admin.citizen')} : <a href={`/admin/citizens/${citizen.id}`}>{citizen.name}</a> ({t('demands.admin.view360')})
        </p>
      ) : null}
      {workflow}
      <Timeline ctx={ctx} entries={state.timeline} audience="agent" />
      <MessageForm
        ctx={ctx}
        action={`/admin/demands/${demand.id}/messages`}
        title={t('demands.messages.reply')}
        error={state.messageError}
        body={state.messageBody}
      />
    </>
  );
}
