import { formatDate } from '../../../../kernel/i18n/format.js';
import { ErrorSummary, type FieldError, Form, Notice } from '../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import { SelectField, TextArea, TextField } from '../../../../kernel/ui/fields.js';
import type { Campaign } from '../../campaigns/store.js';
import type { Project } from '../../projects/store.js';
import type { ProposalRow } from '../store.js';
import { envelopeLabel, euros, themeLabel } from './labels.js';

export const ADMIN_STATUSES = ['submitted', 'published', 'merged', 'removed'] as const;

/**
 * The back office's proposals of a campaign, in the agent's envelopes, by status: submitted ones to
 * moderate (each opens on its page), published ones to tick and merge into a new project or into a
 * project still under study.
 */
export function AdminProposalsPage(props: {
  ctx: ViewContext;
  campaign: Campaign;
  status: (typeof ADMIN_STATUSES)[number];
  rows: ProposalRow[];
  /** Envelopes where the agent may make projects (the merge form's choices), and projects under study there. */
  mergeEnvelopes: string[];
  studyProjects: Project[];
  errors: FieldError[];
  notice?: string;
}) {
  const { ctx, campaign, rows } = props;
  const t = ctx.t;
  const base = `/admin/budget/${campaign.code}`;
  const merging = props.status === 'published' && props.mergeEnvelopes.length > 0 && rows.length > 0;
  const table = (
    <div class="table-scroll">
      <table class="data-table">
        <caption>{t('participatory-budget.admin.proposals.caption', { count: rows.length })}</caption>
        <thead>
          <tr>
            {merging ? (
              <th scope="col">
                <span class="visually-hidden">{t('participatory-budget.admin.proposals.select')}</span>
              </th>
            ) : null}
            <th scope="col">{t('participatory-budget.list.proposal')}</th>
            <th scope="col">{t('participatory-budget.list.envelope')}</th>
            <th scope="col">{t('participatory-budget.list.theme')}</th>
            <th scope="col">{t('participatory-budget.list.cost')}</th>
            <th scope="col">{t('participatory-budget.list.supports')}</th>
            <th scope="col">{t('participatory-budget.admin.proposals.date')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              {merging ? (
                <td>
                  <input
                    type="checkbox"
                    name="proposals"
                    value={r.id}
                    id={`proposals.${r.id}`}
                    aria-label={t('participatory-budget.admin.proposals.selectOne', { reference: r.reference })}
                  />
                </td>
              ) : null}
              <th scope="row">
                <a href={`${base}/proposals/${r.id}`}>
                  {r.reference} — {r.title}
                </a>
              </th>
              <td>{envelopeLabel(ctx, campaign, r.envelope_code)}</td>
              <td>{themeLabel(ctx, campaign, r.theme_code)}</td>
              <td>{euros(ctx, r.cost)}</td>
              <td>{r.supports}</td>
              <td>{formatDate(ctx.lang, r.created_at, ctx.city.timezone)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <>
      <h1>{t('participatory-budget.admin.proposals.title', { campaign: campaign.title[ctx.lang] })}</h1>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <p>
        <a href={`${base}/projects`}>{t('participatory-budget.admin.projects.nav')}</a>
      </p>
      <nav aria-label={t('participatory-budget.admin.proposals.statuses')}>
        <ul class="view-switch">
          {ADMIN_STATUSES.map((s) => (
            <li key={s}>
              <a href={`${base}/proposals?status=${s}`} aria-current={s === props.status ? 'page' : undefined}>
                {t(`participatory-budget.proposal.status.${s}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {rows.length === 0 ? <p>{t('participatory-budget.admin.proposals.none')}</p> : null}
      {merging ? (
        <Form ctx={ctx} action={`${base}/merge`}>
          {table}
          <h2>{t('participatory-budget.admin.merge.title')}</h2>
          <p>{t('participatory-budget.admin.merge.lead')}</p>
          {props.studyProjects.length ? (
            <SelectField
              name="project"
              label={t('participatory-budget.admin.merge.existing')}
              empty={t('participatory-budget.admin.merge.newProject')}
              choices={props.studyProjects.map((p) => ({
                value: p.code,
                label: `${p.code} — ${ctx.lang === 'en' ? p.title_en : p.title_fr}`,
              }))}
              errors={props.errors}
            />
          ) : null}
          <fieldset>
            <legend>{t('participatory-budget.admin.merge.newProject')}</legend>
            <SelectField
              name="envelope"
              label={t('participatory-budget.list.envelope')}
              choices={props.mergeEnvelopes.map((code) => ({ value: code, label: envelopeLabel(ctx, campaign, code) }))}
              errors={props.errors}
            />
            <TextField
              name="code"
              label={t('participatory-budget.project.code')}
              hint={t('participatory-budget.admin.merge.codeHint')}
              errors={props.errors}
            />
            <TextField name="title_fr" label={t('participatory-budget.admin.merge.titleFr')} maxLength={200} errors={props.errors} />
            <TextField name="title_en" label={t('participatory-budget.admin.merge.titleEn')} maxLength={200} errors={props.errors} />
            <TextArea
              name="description_fr"
              label={t('participatory-budget.admin.merge.descriptionFr')}
              maxLength={4000}
              errors={props.errors}
            />
            <TextArea
              name="description_en"
              label={t('participatory-budget.admin.merge.descriptionEn')}
              maxLength={4000}
              errors={props.errors}
            />
            <TextField
              name="cost"
              inputMode="numeric"
              label={t('participatory-budget.project.cost')}
              hint={t('participatory-budget.admin.merge.costHint')}
              errors={props.errors}
            />
          </fieldset>
          <div class="form-actions">
            <button type="submit" class="button">
              {t('participatory-budget.admin.merge.submit')}
            </button>
          </div>
        </Form>
      ) : rows.length ? (
        table
      ) : null}
    </>
  );
}
