import { formatDateTime } from '../../../../../kernel/i18n/format.js';
import { Notice } from '../../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../../kernel/ui/context.js';
import type { Phase } from '../../store.js';

export interface CampaignRow {
  code: string;
  title: string;
  status: string;
  current: Phase | null;
  next: Phase | null;
}

/** Every back-office page of a campaign, in the order the campaign goes through them. */
export const CAMPAIGN_PAGES = ['settings', 'proposals', 'projects', 'paper', 'results', 'realisations'] as const;
export type CampaignPage = (typeof CAMPAIGN_PAGES)[number];

/** The campaigns, where each stands, and a link to each of its back-office pages. */
export function CampaignsListPage(props: {
  ctx: ViewContext;
  rows: CampaignRow[];
  /** The pages this agent may open (settings only for those who configure campaigns for the whole city). */
  pages: readonly CampaignPage[];
  timeZone: string;
  notice?: string;
}) {
  const { ctx, rows } = props;
  const t = ctx.t;
  const when = (p: Phase) => formatDateTime(ctx.lang, p.startsAt, props.timeZone);
  return (
    <>
      <h1>{t('participatory-budget.campaigns.list.title')}</h1>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      {props.pages.includes('settings') ? (
        <p>
          <a class="button" href="/admin/budget/campaigns/new">
            {t('participatory-budget.campaigns.list.create')}
          </a>
        </p>
      ) : null}
      {rows.length === 0 ? (
        <p>{t('participatory-budget.campaigns.list.empty')}</p>
      ) : (
        <table class="data-table">
          <caption>{t('participatory-budget.campaigns.list.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('participatory-budget.campaigns.list.campaign')}</th>
              <th scope="col">{t('participatory-budget.campaigns.field.status')}</th>
              <th scope="col">{t('participatory-budget.campaigns.list.phase')}</th>
              <th scope="col">{t('participatory-budget.campaigns.list.pages')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.code}>
                <th scope="row">
                  {row.title}
                  <br />
                  <code>{row.code}</code>
                </th>
                <td>{t(`participatory-budget.status.${row.status}`)}</td>
                <td>
                  {row.current ? t(`participatory-budget.phase.${row.current.phase}`) : t('participatory-budget.campaigns.list.noPhase')}
                  {row.next ? (
                    <>
                      <br />
                      {t('participatory-budget.campaigns.list.next', {
                        phase: t(`participatory-budget.phase.${row.next.phase}`),
                        date: when(row.next),
                      })}
                    </>
                  ) : null}
                </td>
                <td>
                  <ul>
                    {props.pages.map((page) => (
                      <li key={page}>
                        <a href={`/admin/budget/${row.code}/${page}`}>{t(`participatory-budget.campaigns.page.${page}`)}</a>
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
