import { formatDate, formatDateTime } from '../../i18n/format.js';
import type { ViewContext } from '../../ui/context.js';
import type { DemandSummary } from '../queries.js';
import { type DemandType, demandTitle } from '../types.js';
import { StatusBadge } from './parts.js';

/** Demands as a table for agents: each row links to the demand's back-office page. */
export function DemandTable({
  ctx,
  demands,
  types,
  caption,
}: {
  ctx: ViewContext;
  demands: DemandSummary[];
  types: ReadonlyMap<string, DemandType>;
  caption: string;
}) {
  const t = ctx.t;
  return (
    <table class="data-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('demands.reference')}</th>
          <th scope="col">{t('demands.service')}</th>
          <th scope="col">{t('demands.status')}</th>
          <th scope="col">{t('demands.created')}</th>
          <th scope="col">{t('demands.updated')}</th>
        </tr>
      </thead>
      <tbody>
        {demands.map((d) => (
          <tr key={d.id}>
            <th scope="row">
              <a href={`/admin/demands/${d.id}`}>{d.reference}</a> {demandTitle(d, types.get(d.type), ctx.lang)}
              {d.unreadForAgents > 0 ? <strong class="unread"> · {t('demands.unread', { count: d.unreadForAgents })}</strong> : null}
            </th>
            <td>{types.get(d.type)?.label[ctx.lang] ?? d.type}</td>
            <td>
              <StatusBadge ctx={ctx} status={d.status} />
              {d.stateLabel ? ` ${d.stateLabel[ctx.lang]}` : null}
            </td>
            <td>{formatDate(ctx.lang, d.createdAt, ctx.city.timezone)}</td>
            <td>{formatDateTime(ctx.lang, d.updatedAt, ctx.city.timezone)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function InboxPage({ ctx, demands, types }: { ctx: ViewContext; demands: DemandSummary[]; types: ReadonlyMap<string, DemandType> }) {
  const t = ctx.t;
  return (
    <>
      <h1>{t('demands.admin.inbox')}</h1>
      <p class="lead">{t('demands.admin.inboxLead')}</p>
      {demands.length ? (
        <DemandTable ctx={ctx} demands={demands} types={types} caption={t('demands.admin.inbox')} />
      ) : (
        <p>{t('demands.admin.inboxEmpty')}</p>
      )}
    </>
  );
}
