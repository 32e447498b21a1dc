import { ErrorSummary, type FieldError, Form, Notice } from '../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import { Choices, TextArea, TextField } from '../../../../kernel/ui/fields.js';
import type { Campaign } from '../../campaigns/store.js';
import type { ProposalRow } from '../../proposals/store.js';
import type { Project } from '../store.js';
import { STUDIABLE } from '../study.js';
import { ProjectFacts } from './project-facts.js';

/** A project in the back office: its sources and, while it may be studied, the evaluation form. */
export function AdminProjectPage(props: {
  ctx: ViewContext;
  campaign: Campaign;
  project: Project;
  proposals: ProposalRow[];
  mayEvaluate: boolean;
  values: Record<string, string>;
  errors: FieldError[];
  notice?: string;
}) {
  const { ctx, campaign, project: p, values } = props;
  const t = ctx.t;
  const base = `/admin/budget/${campaign.code}`;
  return (
    <>
      <p>
        <a href={`${base}/projects`}>{t('participatory-budget.admin.projects.back')}</a>
      </p>
      <h1>
        {p.code} — {ctx.lang === 'en' ? p.title_en : p.title_fr}
      </h1>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <ProjectFacts ctx={ctx} campaign={campaign} project={p} />
      <p>
        <a href={`/budget/${campaign.code}/projects/${p.code}`}>{t('participatory-budget.admin.projects.public')}</a>
      </p>
      <h2>{t('participatory-budget.project.sources', { count: props.proposals.length })}</h2>
      <ul>
        {props.proposals.map((proposal) => (
          <li key={proposal.id}>
            <a href={`${base}/proposals/${proposal.id}`}>
              {proposal.reference} — {proposal.title}
            </a>
          </li>
        ))}
      </ul>
      {props.mayEvaluate && STUDIABLE.has(p.status) ? (
        <Form ctx={ctx} action={`${base}/projects/${p.code}/evaluate`}>
          <h2>{t('participatory-budget.admin.study.title')}</h2>
          <Choices
            name="feasible"
            label={t('participatory-budget.admin.study.feasible')}
            type="radio"
            options={[
              { value: 'yes', label: t('participatory-budget.project.status.feasible') },
              { value: 'no', label: t('participatory-budget.project.status.not-feasible') },
            ]}
            checked={values.feasible ? [values.feasible] : []}
            errors={props.errors}
          />
          <TextField
            name="cost"
            inputMode="numeric"
            label={t('participatory-budget.admin.study.cost')}
            value={values.cost}
            errors={props.errors}
          />
          <TextField
            name="months"
            inputMode="numeric"
            label={t('participatory-budget.project.months')}
            value={values.months}
            errors={props.errors}
          />
          <TextArea
            name="explanation"
            label={t('participatory-budget.project.explanation')}
            hint={t('participatory-budget.admin.study.explanationHint')}
            value={values.explanation}
            maxLength={4000}
            errors={props.errors}
          />
          <button type="submit" class="button">
            {t('participatory-budget.admin.study.submit')}
          </button>
        </Form>
      ) : null}
    </>
  );
}
