import { formatDateTime } from '../../i18n/format.js';
import type { ViewContext } from '../../ui/context.js';
import { GENERIC_STATUSES } from '../../workflow/definition.js';
import type { DemandSummary } from '../queries.js';
import { type DemandType, demandTitle } from '../types.js';
import { StatusBadge } from './parts.js';

export interface DashboardState {
  demands: DemandSummary[];
  next: string | null;
  counts: { byStatus: Record<string, number>; byType: Record<string, number>; total: number };
  types: DemandType[];
  filter: { type?: string; status?: string };
  /** Notifications not read yet, linked to their list. */
  unreadNotifications: number;
}

/** One demand as a card: what, where it stands, what is expected of the resident. */
export function DemandCard({ ctx, demand, type, href }: { ctx: ViewContext; demand: DemandSummary; type?: DemandType; href: string }) {
  const t = ctx.t;
  return (
    <li class="demand-card">
      <h3>
        <a href={href}>
          {demandTitle(demand, type, ctx.lang)}
          <span class="visually-hidden"> — {t('demands.open', { reference: demand.reference })}</span>
        </a>
      </h3>
      <p class="demand-meta">
        {type?.label[ctx.lang] ?? demand.type} · {demand.reference}
      </p>
      <p>
        <StatusBadge ctx={ctx} status={demand.status} />
        {demand.stateLabel ? ` ${demand.stateLabel[ctx.lang]}` : null}
        {demand.step && demand.steps ? <span class="hint"> — {t('demands.step', { step: demand.step, steps: demand.steps })}</span> : null}
      </p>
      {demand.nextAction && !demand.closedAt ? (
        <p class="next-action">{t('demands.nextAction', { action: demand.nextAction[ctx.lang] })}</p>
      ) : null}
      <p class="hint">
        {t('demands.updated')} : <time dateTime={demand.updatedAt}>{formatDateTime(ctx.lang, demand.updatedAt, ctx.city.timezone)}</time>
        {demand.unreadForCitizen > 0 ? <strong class="unread"> · {t('demands.unread', { count: demand.unreadForCitizen })}</strong> : null}
      </p>
    </li>
  );
}

/** The resident's dashboard: every demand across services, filterable, latest activity first. */
export function DashboardPage({ ctx, state }: { ctx: ViewContext; state: DashboardState }) {
  const t = ctx.t;
  const typeOf = new Map(state.types.map((d) => [d.type, d]));
  const query = (after: string) =>
    `?${new URLSearchParams({ ...(state.filter.type ? { type: state.filter.type } : {}), ...(state.filter.status ? { status: state.filter.status } : {}), after })}`;
  return (
    <>
      <h1>{t('demands.title')}</h1>
      <p class="lead">{t('demands.lead')}</p>
      <p>
        <a href="/account/notifications">
          {t('notifications.inbox.title')}
          {state.unreadNotifications > 0 ? ` — ${t('notifications.inbox.unreadCount', { count: state.unreadNotifications })}` : ''}
        </a>
      </p>
      {state.counts.total > 0 ? (
        <form method="get" action="/account/demands" class="filters" aria-label={t('demands.filters')}>
          <div class="field">
            <label for="type">{t('demands.filter.service')}</label>
            <select id="type" name="type">
              <option value="">{t('demands.filter.all')}</option>
              {state.types
                .filter((d) => state.counts.byType[d.type])
                .map((d) => (
                  <option key={d.type} value={d.type} selected={state.filter.type === d.type}>
                    {d.label[ctx.lang]} ({state.counts.byType[d.type]})
                  </option>
                ))}
            </select>
          </div>
          <div class="field">
            <label for="status">{t('demands.filter.status')}</label>
            <select id="status" name="status">
              <option value="">{t('demands.filter.all')}</option>
              {GENERIC_STATUSES.filter((s) => state.counts.byStatus[s]).map((s) => (
                <option key={s} value={s} selected={state.filter.status === s}>
                  {t(`demands.status.${s}`)} ({state.counts.byStatus[s]})
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button secondary">
            {t('demands.filter.apply')}
          </button>
        </form>
      ) : null}
      {state.demands.length ? (
        <ul class="demand-list">
          {state.demands.map((d) => (
            <DemandCard key={d.id} ctx={ctx} demand={d} type={typeOf.get(d.type)} href={`/account/demands/${d.id}`} />
          ))}
        </ul>
      ) : (
        <p>{state.counts.total ? t('demands.noneMatching') : t('demands.none')}</p>
      )}
      {state.next ? (
        <p>
          <a href={query(state.next)}>{t('demands.older')}</a>
        </p>
      ) : null}
    </>
  );
}
