import { formatDate } from '../../../../kernel/i18n/format.js';
import { BarChart } from '../../../../kernel/ui/bar-chart.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import type { Campaign } from '../../campaigns/store.js';
import type { EnvelopeResult, ResultLine } from '../read.js';
import { count, euros, gradeLabel } from './labels.js';

const MAJORITY = 'majority-judgement';

/** What a line's score column says: votes, points, or the majority grade. */
function score(ctx: ViewContext, result: EnvelopeResult, line: ResultLine, points: boolean): string {
  if (result.rule === MAJORITY) return line.majorityGrade ? gradeLabel(ctx, line.majorityGrade) : '';
  return points ? `${count(ctx, line.votes)} pts` : count(ctx, line.votes);
}

/**
 * One envelope's published result: the rule in plain words, votes per project, the funding line,
 * the ranking with every decision, and the city's corrections with their reasons.
 */
export function EnvelopeResultsPage(props: {
  ctx: ViewContext;
  campaign: Campaign;
  result: EnvelopeResult;
  points: boolean;
  timeZone: string;
}) {
  const { ctx, campaign, result, points } = props;
  const t = ctx.t;
  const funded = result.lines.filter((l) => l.funded);
  const overridden = result.lines.filter((l) => l.override);
  const graded = result.rule === MAJORITY;
  return (
    <>
      <p>
        <a href={`/budget/${campaign.code}/results`}>{t('participatory-budget.results.back')}</a>
      </p>
      <h1>{t('participatory-budget.results.envelopeTitle', { envelope: result.label[ctx.lang] })}</h1>
      <p>{t(`participatory-budget.results.rule.${result.rule}`)}</p>
      {graded ? null : <p>{t('participatory-budget.results.tieBreaking')}</p>}
      <dl class="facts key-figures">
        <dt>{t('participatory-budget.results.money')}</dt>
        <dd>{t('participatory-budget.results.spentOf', { spent: euros(ctx, result.spent), amount: euros(ctx, result.amount) })}</dd>
        <dt>{t('participatory-budget.results.fundedCount')}</dt>
        <dd>{count(ctx, funded.length)}</dd>
      </dl>
      <p>
        {t('participatory-budget.results.ballots', { online: count(ctx, result.ballotsOnline), paper: count(ctx, result.ballotsPaper) })}
      </p>
      {result.imported ? (
        <p>
          {t('participatory-budget.pabulib-import.publicSource', {
            ballots: count(ctx, result.imported.ballots),
            source: result.imported.source,
          })}
        </p>
      ) : null}
      {graded ? null : (
        <BarChart
          ctx={ctx}
          id="votes-per-project"
          title={t('participatory-budget.results.votesPerProject')}
          caption={t('participatory-budget.results.votesCaption')}
          rows={result.lines.map((l) => ({ key: l.code, label: l.title[ctx.lang], value: l.votes, emphasis: l.funded }))}
          format={(n) => (points ? `${count(ctx, n)} pts` : count(ctx, n))}
          columns={{
            label: t('participatory-budget.results.project'),
            value: t(points ? 'participatory-budget.results.points' : 'participatory-budget.results.votes'),
          }}
          empty={t('participatory-budget.results.noData')}
        />
      )}
      <BarChart
        ctx={ctx}
        id="funding-line"
        title={t('participatory-budget.results.fundingLine')}
        caption={t('participatory-budget.results.fundingCaption', { spent: euros(ctx, result.spent), amount: euros(ctx, result.amount) })}
        rows={[
          ...funded.map((l) => ({ key: l.code, label: l.title[ctx.lang], value: l.cost, emphasis: true })),
          { key: 'unspent', label: t('participatory-budget.results.unspent'), value: Math.max(0, result.amount - result.spent) },
        ]}
        format={(n) => euros(ctx, n)}
        columns={{ label: t('participatory-budget.results.project'), value: t('participatory-budget.results.cost') }}
        empty={t('participatory-budget.results.noData')}
      />
      <h2>{t('participatory-budget.results.ranking')}</h2>
      <div class="table-scroll">
        <table class="data-table">
          <thead>
            <tr>
              <th scope="col">{t('participatory-budget.results.rank')}</th>
              <th scope="col">{t('participatory-budget.results.project')}</th>
              <th scope="col">{t('participatory-budget.results.cost')}</th>
              <th scope="col">
                {t(
                  graded
                    ? 'participatory-budget.results.grade'
                    : points
                      ? 'participatory-budget.results.points'
                      : 'participatory-budget.results.votes',
                )}
              </th>
              {graded ? <th scope="col">{t('participatory-budget.results.grades')}</th> : null}
              <th scope="col">{t('participatory-budget.results.decision')}</th>
            </tr>
          </thead>
          <tbody>
            {result.lines.map((l) => (
              <tr key={l.code}>
                <td>{l.rank}</td>
                <th scope="row">
                  <a href={`/budget/${campaign.code}/projects/${l.code}`}>{l.title[ctx.lang]}</a>
                </th>
                <td>{euros(ctx, l.cost)}</td>
                <td>{score(ctx, result, l, points)}</td>
                {graded ? (
                  <td>{(l.distribution ?? []).map((d) => `${gradeLabel(ctx, d.grade)} ${count(ctx, d.count)}`).join(' · ')}</td>
                ) : null}
                <td>
                  <strong>{t(l.funded ? 'participatory-budget.results.funded' : 'participatory-budget.results.notFunded')}</strong>
                  {l.override ? <> — {t('participatory-budget.results.overridden', { reason: l.override.reason })}</> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {overridden.length ? (
        <section aria-labelledby="overrides-heading">
          <h2 id="overrides-heading">{t('participatory-budget.results.overrides')}</h2>
          <p>{t('participatory-budget.results.overridesIntro')}</p>
          <ul>
            {overridden.map((l) => (
              <li key={l.code}>
                <strong>{l.title[ctx.lang]}</strong> — {t(`participatory-budget.results.override.${l.override?.decision}`)} (
                {formatDate(ctx.lang, l.override?.at ?? '', props.timeZone)}) : {l.override?.reason}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {graded ? null : (
        <p>
          <a href={`/budget/${campaign.code}/results/${result.code}/pabulib.pb`} download>
            {t('participatory-budget.results.export')}
          </a>
        </p>
      )}
    </>
  );
}
