import type { Districts } from '../../../../kernel/geo/districts.js';
import { BarChart } from '../../../../kernel/ui/bar-chart.js';
import { Notice } from '../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import type { Campaign } from '../../campaigns/store.js';
import type { EnvelopeResult, Turnout } from '../read.js';
import { count, euros } from './labels.js';

/** A campaign's published results: figures, each envelope's outcome, money per district, turnout by district and age. */
export function CampaignResultsPage(props: {
  ctx: ViewContext;
  campaign: Campaign;
  districts: Districts;
  results: EnvelopeResult[];
  turnout: Turnout;
}) {
  const { ctx, campaign, results, turnout } = props;
  const t = ctx.t;
  const base = `/budget/${campaign.code}/results`;
  const districtName = (code: string) =>
    code === 'unknown' ? t('participatory-budget.results.unknownDistrict') : (props.districts.byCode(code)?.name ?? code);
  const amount = results.reduce((s, r) => s + r.amount, 0);
  const spent = results.reduce((s, r) => s + r.spent, 0);
  return (
    <>
      <h1>{t('participatory-budget.results.title', { campaign: campaign.title[ctx.lang] })}</h1>
      {results.length === 0 ? (
        <Notice>{t('participatory-budget.results.notPublished')}</Notice>
      ) : (
        <>
          <dl class="facts key-figures">
            <dt>{t('participatory-budget.results.voters')}</dt>
            <dd>{count(ctx, turnout.total)}</dd>
            <dt>{t('participatory-budget.results.fundedCount')}</dt>
            <dd>
              {count(
                ctx,
                results.reduce((s, r) => s + r.lines.filter((l) => l.funded).length, 0),
              )}
            </dd>
            <dt>{t('participatory-budget.results.money')}</dt>
            <dd>{t('participatory-budget.results.spentOf', { spent: euros(ctx, spent), amount: euros(ctx, amount) })}</dd>
          </dl>
          <p>
            <a href={`/budget/${campaign.code}/realisations`}>{t('participatory-budget.results.tracking')}</a>
          </p>
          <h2>{t('participatory-budget.results.envelopes')}</h2>
          <div class="table-scroll">
            <table class="data-table">
              <thead>
                <tr>
                  <th scope="col">{t('participatory-budget.results.envelope')}</th>
                  <th scope="col">{t('participatory-budget.results.amount')}</th>
                  <th scope="col">{t('participatory-budget.results.spent')}</th>
                  <th scope="col">{t('participatory-budget.results.fundedCount')}</th>
                </tr>
              </thead>
              <tbody>
                {results.map((r) => (
                  <tr key={r.code}>
                    <th scope="row">
                      <a href={`${base}/${r.code}`}>{r.label[ctx.lang]}</a>
                    </th>
                    <td>{euros(ctx, r.amount)}</td>
                    <td>{euros(ctx, r.spent)}</td>
                    <td>{count(ctx, r.lines.filter((l) => l.funded).length)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <BarChart
            ctx={ctx}
            id="money-by-envelope"
            title={t('participatory-budget.results.moneyByEnvelope')}
            rows={results.map((r) => ({ key: r.code, label: r.label[ctx.lang], value: r.spent }))}
            format={(n) => euros(ctx, n)}
            columns={{ label: t('participatory-budget.results.envelope'), value: t('participatory-budget.results.spent') }}
            empty={t('participatory-budget.results.noData')}
          />
          <BarChart
            ctx={ctx}
            id="turnout-by-district"
            title={t('participatory-budget.results.turnoutByDistrict')}
            rows={turnout.byDistrict.map((d) => ({ key: d.district, label: districtName(d.district), value: d.voters }))}
            format={(n) => count(ctx, n)}
            columns={{ label: t('participatory-budget.results.district'), value: t('participatory-budget.results.voters') }}
            empty={t('participatory-budget.results.noData')}
          />
          <BarChart
            ctx={ctx}
            id="turnout-by-age"
            title={t('participatory-budget.results.turnoutByAge')}
            rows={turnout.byAge.map((a) => ({ key: a.group, label: t(`participatory-budget.results.age.${a.group}`), value: a.voters }))}
            format={(n) => count(ctx, n)}
            columns={{ label: t('participatory-budget.results.ageGroup'), value: t('participatory-budget.results.voters') }}
            empty={t('participatory-budget.results.noData')}
          />
        </>
      )}
    </>
  );
}
