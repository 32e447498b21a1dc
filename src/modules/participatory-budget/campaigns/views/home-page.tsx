import { formatDate } from '../../../../kernel/i18n/format.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import { currentPhase, nextPhase } from '../phases.js';
import type { Campaign } from '../store.js';

export interface CampaignSummary {
  campaign: Campaign;
  /** Published results exist (the results page has something to show). */
  hasResults: boolean;
}

/** What a resident can do in a campaign right now, as links. */
function actions(ctx: ViewContext, summary: CampaignSummary, now: Date) {
  const { campaign } = summary;
  const base = `/budget/${campaign.code}`;
  const phase = currentPhase(campaign, now)?.phase;
  const links: [string, string][] = [[`${base}/proposals`, 'participatory-budget.home.proposals']];
  if (phase === 'proposals') links.unshift([`${base}/propose`, 'participatory-budget.home.propose']);
  if (phase === 'vote') links.unshift([`${base}/vote`, 'participatory-budget.home.vote']);
  if (summary.hasResults)
    links.push(
      [`${base}/results`, 'participatory-budget.home.results'],
      [`${base}/realisations`, 'participatory-budget.home.realisations'],
    );
  return links.map(([href, key]) => (
    <li key={href}>
      <a href={href}>{ctx.t(key)}</a>
    </li>
  ));
}

/** The participatory budget's front page: each published campaign, where it stands, its calendar and what one can do. */
export function BudgetHomePage(props: { ctx: ViewContext; campaigns: CampaignSummary[]; now: Date; timeZone: string }) {
  const { ctx, now, timeZone } = props;
  const t = ctx.t;
  const day = (iso: string) => formatDate(ctx.lang, iso, timeZone);
  return (
    <>
      <h1>{t('participatory-budget.home.title')}</h1>
      <p>{t('participatory-budget.home.intro')}</p>
      {props.campaigns.length === 0 ? <p>{t('participatory-budget.home.none')}</p> : null}
      {props.campaigns.map((summary) => {
        const { campaign } = summary;
        const current = currentPhase(campaign, now);
        const next = nextPhase(campaign, now);
        return (
          <section key={campaign.code} aria-labelledby={`campaign-${campaign.code}`} class="card">
            <h2 id={`campaign-${campaign.code}`}>{campaign.title[ctx.lang]}</h2>
            <p>
              <strong>
                {current
                  ? t('participatory-budget.home.now', { phase: t(`participatory-budget.phase.${current.phase}`) })
                  : next
                    ? t('participatory-budget.home.between', {
                        phase: t(`participatory-budget.phase.${next.phase}`),
                        date: day(next.startsAt),
                      })
                    : null}
              </strong>
            </p>
            <ul>{actions(ctx, summary, now)}</ul>
            <h3>{t('participatory-budget.home.calendar')}</h3>
            <ol>
              {campaign.phases.map((p) => (
                <li key={p.phase} aria-current={current?.phase === p.phase ? 'step' : undefined}>
                  {t(`participatory-budget.phase.${p.phase}`)} :{' '}
                  {p.endsAt
                    ? t('participatory-budget.home.from', { start: day(p.startsAt), end: day(p.endsAt) })
                    : t('participatory-budget.home.fromOpen', { start: day(p.startsAt) })}
                  {current?.phase === p.phase ? <> {t('participatory-budget.home.current')}</> : null}
                </li>
              ))}
            </ol>
          </section>
        );
      })}
      <p>
        <a href="/budget/receipt">{t('participatory-budget.home.receipt')}</a>
      </p>
    </>
  );
}
