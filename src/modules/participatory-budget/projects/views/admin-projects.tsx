import { ErrorSummary, type FieldError, Form, Notice } from '../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import type { Campaign } from '../../campaigns/store.js';
import { envelopeLabel, euros } from '../../proposals/views/labels.js';
import type { Project } from '../store.js';

/**
 * A campaign's projects in the agent's envelopes: their study, a tick to put feasible ones on the
 * ballot (until the vote opens), and the upload of evaluations from a CSV file.
 */
export function AdminProjectsPage(props: {
  ctx: ViewContext;
  campaign: Campaign;
  projects: Project[];
  frozen: boolean;
  errors: FieldError[];
  notice?: string;
}) {
  const { ctx, campaign, projects } = props;
  const t = ctx.t;
  const base = `/admin/budget/${campaign.code}`;
  const ballotable = !props.frozen && projects.some((p) => p.status === 'feasible');
  return (
    <>
      <h1>{t('participatory-budget.admin.projects.title', { campaign: campaign.title[ctx.lang] })}</h1>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <p>
        <a href={`${base}/proposals`}>{t('participatory-budget.admin.proposals.nav')}</a>
      </p>
      {props.frozen ? <p>{t('error.code.participatory-budget.vote-opened')}</p> : null}
      <Form ctx={ctx} action={`${base}/ballot`}>
        <div class="table-scroll">
          <table class="data-table">
            <caption>{t('participatory-budget.admin.projects.caption', { count: projects.length })}</caption>
            <thead>
              <tr>
                {ballotable ? (
                  <th scope="col">
                    <span class="visually-hidden">{t('participatory-budget.admin.projects.select')}</span>
                  </th>
                ) : null}
                <th scope="col">{t('participatory-budget.project.code')}</th>
                <th scope="col">{t('participatory-budget.list.envelope')}</th>
                <th scope="col">{t('participatory-budget.project.cost')}</th>
                <th scope="col">{t('participatory-budget.list.status')}</th>
              </tr>
            </thead>
            <tbody>
              {projects.map((p) => (
                <tr key={p.id}>
                  {ballotable ? (
                    <td>
                      {p.status === 'feasible' ? (
                        <input
                          type="checkbox"
                          name="projects"
                          value={p.code}
                          id={`projects.${p.code}`}
                          aria-label={t('participatory-budget.admin.projects.selectOne', { code: p.code })}
                        />
                      ) : null}
                    </td>
                  ) : null}
                  <th scope="row">
                    <a href={`${base}/projects/${p.code}`}>
                      {p.code} — {ctx.lang === 'en' ? p.title_en : p.title_fr}
                    </a>
                  </th>
                  <td>{envelopeLabel(ctx, campaign, p.envelope_code)}</td>
                  <td>{euros(ctx, p.cost)}</td>
                  <td>{t(`participatory-budget.project.status.${p.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {ballotable ? (
          <div class="form-actions">
            <button type="submit" class="button">
              {t('participatory-budget.admin.projects.ballot')}
            </button>
          </div>
        ) : null}
      </Form>
      {props.frozen ? null : (
        <Form ctx={ctx} action={`${base}/evaluations`} enctype="multipart/form-data">
          <h2>{t('participatory-budget.admin.csv.title')}</h2>
          <p id="csv-hint">{t('participatory-budget.admin.csv.hint')}</p>
          <div class="field">
            <label for="csv">{t('participatory-budget.admin.csv.file')}</label>
            <input id="csv" name="csv" type="file" accept=".csv,text/csv,text/plain" aria-describedby="csv-hint" />
          </div>
          <button type="submit" class="button">
            {t('participatory-budget.admin.csv.submit')}
          </button>
        </Form>
      )}
    </>
  );
}
