import type { Districts } from '../../../../kernel/geo/districts.js';
import type { Projection } from '../../../../kernel/geo/map.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import { SelectField } from '../../../../kernel/ui/fields.js';
import type { Campaign } from '../../campaigns/store.js';
import type { PublicFilters, PublicProposal } from '../public-queries.js';
import { envelopeLabel, euros, themeLabel } from './labels.js';
import { PointsMap } from './points-map.js';

/** A campaign's public proposals: filters in the address (GET, no script), a map of those placed, and the list. */
export function ProposalListPage(props: {
  ctx: ViewContext;
  campaign: Campaign;
  districts: Districts;
  proj: Projection;
  filters: PublicFilters;
  rows: PublicProposal[];
  proposalsOpen: boolean;
}) {
  const { ctx, campaign, filters, rows } = props;
  const t = ctx.t;
  const base = `/budget/${campaign.code}`;
  const placed = rows.filter((r) => r.lat !== null && r.lng !== null);
  return (
    <>
      <h1>{t('participatory-budget.list.title', { campaign: campaign.title[ctx.lang] })}</h1>
      {props.proposalsOpen ? (
        <p class="lead">
          <a class="button" href={`${base}/propose`}>
            {t('participatory-budget.propose.title')}
          </a>
        </p>
      ) : null}
      <form method="get" action={`${base}/proposals`} class="filters">
        <SelectField
          name="envelope"
          label={t('participatory-budget.list.envelope')}
          value={filters.envelope ?? ''}
          empty={t('participatory-budget.list.any')}
          choices={campaign.envelopes.map((e) => ({ value: e.code, label: e.label[ctx.lang] }))}
        />
        <SelectField
          name="theme"
          label={t('participatory-budget.list.theme')}
          value={filters.theme ?? ''}
          empty={t('participatory-budget.list.any')}
          choices={campaign.themes.map((th) => ({ value: th.code, label: th.label[ctx.lang] }))}
        />
        <SelectField
          name="status"
          label={t('participatory-budget.list.status')}
          value={filters.status ?? ''}
          empty={t('participatory-budget.list.any')}
          choices={(['published', 'merged'] as const).map((s) => ({ value: s, label: t(`participatory-budget.proposal.status.${s}`) }))}
        />
        <div class="form-actions">
          <button type="submit" class="button">
            {t('participatory-budget.list.filter')}
          </button>
        </div>
      </form>
      {placed.length ? (
        <section aria-labelledby="pb-map-heading">
          <h2 id="pb-map-heading">{t('participatory-budget.list.map')}</h2>
          <PointsMap
            title={t('participatory-budget.list.mapTitle', { count: placed.length })}
            districts={props.districts}
            proj={props.proj}
            points={placed.map((r) => ({ lat: r.lat!, lng: r.lng!, href: `${base}/proposals/${r.id}`, label: r.title }))}
          />
        </section>
      ) : null}
      <table class="report-table pb-proposals">
        <caption>{t('participatory-budget.list.caption', { count: rows.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('participatory-budget.list.proposal')}</th>
            <th scope="col">{t('participatory-budget.list.envelope')}</th>
            <th scope="col">{t('participatory-budget.list.theme')}</th>
            <th scope="col">{t('participatory-budget.list.cost')}</th>
            <th scope="col">{t('participatory-budget.list.supports')}</th>
            <th scope="col">{t('participatory-budget.list.status')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>
                <a href={`${base}/proposals/${r.id}`}>{r.title}</a>
              </td>
              <td>{envelopeLabel(ctx, campaign, r.envelope_code)}</td>
              <td>{themeLabel(ctx, campaign, r.theme_code)}</td>
              <td>{euros(ctx, r.cost)}</td>
              <td>{r.supports}</td>
              <td>
                {r.project_code ? (
                  <a href={`${base}/projects/${r.project_code}`}>
                    {t('participatory-budget.proposal.mergedInto', { project: r.project_code })}
                  </a>
                ) : (
                  t(`participatory-budget.proposal.status.${r.status}`)
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? <p>{t('participatory-budget.list.none')}</p> : null}
    </>
  );
}
