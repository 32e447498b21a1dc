import type { ViewContext } from '../../../../kernel/ui/context.js';
import type { Campaign } from '../../campaigns/store.js';
import { envelopeLabel, euros, themeLabel } from '../../proposals/views/labels.js';
import type { Project } from '../store.js';

/** What a project is and what its study found, for its public page and the back office alike. */
export function ProjectFacts({ ctx, campaign, project: p }: { ctx: ViewContext; campaign: Campaign; project: Project }) {
  const t = ctx.t;
  return (
    <dl class="summary-list">
      <dt>{t('participatory-budget.project.code')}</dt>
      <dd>{p.code}</dd>
      <dt>{t('participatory-budget.list.status')}</dt>
      <dd>{t(`participatory-budget.project.status.${p.status}`)}</dd>
      <dt>{t('participatory-budget.list.envelope')}</dt>
      <dd>{envelopeLabel(ctx, campaign, p.envelope_code)}</dd>
      {p.theme_code ? (
        <>
          <dt>{t('participatory-budget.list.theme')}</dt>
          <dd>{themeLabel(ctx, campaign, p.theme_code)}</dd>
        </>
      ) : null}
      <dt>{t('participatory-budget.project.cost')}</dt>
      <dd>{euros(ctx, p.cost)}</dd>
      {p.execution_months !== null ? (
        <>
          <dt>{t('participatory-budget.project.months')}</dt>
          <dd>{t('participatory-budget.project.monthsValue', { months: p.execution_months })}</dd>
        </>
      ) : null}
      {p.study_explanation ? (
        <>
          <dt>{t('participatory-budget.project.explanation')}</dt>
          <dd>{p.study_explanation}</dd>
        </>
      ) : null}
    </dl>
  );
}
