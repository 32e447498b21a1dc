import { formatDateTime } from '../../../../kernel/i18n/format.js';
import { ErrorSummary, type FieldError, Form, Notice } from '../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import type { Campaign } from '../../campaigns/store.js';
import type { EnvelopeResult } from '../read.js';
import { euros } from './labels.js';

/** The back office of results: compute, correct with a public reason, publish. */
export function AdminResultsPage(props: {
  ctx: ViewContext;
  campaign: Campaign;
  results: EnvelopeResult[];
  timeZone: string;
  notice?: string;
  errors: FieldError[];
  form: Record<string, string>;
}) {
  const { ctx, campaign, results, form } = props;
  const t = ctx.t;
  const base = `/admin/budget/${campaign.code}/results`;
  const published = results.find((r) => r.publishedAt)?.publishedAt;
  return (
    <>
      <h1>{t('participatory-budget.results.admin.title', { campaign: campaign.title[ctx.lang] })}</h1>
      <ErrorSummary ctx={ctx} errors={props.errors} />
      {props.notice ? <Notice kind="success">{t(`participatory-budget.results.admin.${props.notice}`)}</Notice> : null}
      <p>{t('participatory-budget.results.admin.intro')}</p>
      {published ? null : (
        <p>
          <a href={`${base}/import`}>{t('participatory-budget.pabulib-import.link')}</a>
        </p>
      )}
      {published ? (
        <p>
          {t('participatory-budget.results.admin.publishedAt', { date: formatDateTime(ctx.lang, published, props.timeZone) })}{' '}
          <a href={`/budget/${campaign.code}/results`}>{t('participatory-budget.results.envelopes')}</a>
        </p>
      ) : (
        <div class="actions">
          <Form ctx={ctx} action={`${base}/compute`} class="inline-form">
            <button type="submit">{t('participatory-budget.results.admin.compute')}</button>
          </Form>
          {results.length ? (
            <Form ctx={ctx} action={`${base}/publish`} class="inline-form">
              <button type="submit">{t('participatory-budget.results.admin.publish')}</button>
            </Form>
          ) : null}
        </div>
      )}
      {results.length === 0 ? <p>{t('participatory-budget.results.admin.none')}</p> : null}
      {results.map((r) => (
        <section key={r.code} aria-labelledby={`envelope-${r.code}`}>
          <h2 id={`envelope-${r.code}`}>
            {r.label[ctx.lang]} — {t('participatory-budget.results.spentOf', { spent: euros(ctx, r.spent), amount: euros(ctx, r.amount) })}
          </h2>
          <ol>
            {r.lines.map((l) => (
              <li key={l.code}>
                <strong>{l.code}</strong> {l.title[ctx.lang]} ({euros(ctx, l.cost)}) —{' '}
                {t(l.funded ? 'participatory-budget.results.funded' : 'participatory-budget.results.notFunded')}
                {l.override ? <> — {t('participatory-budget.results.overridden', { reason: l.override.reason })}</> : null}
              </li>
            ))}
          </ol>
        </section>
      ))}
      {results.length && !published ? (
        <section aria-labelledby="override-heading">
          <h2 id="override-heading">{t('participatory-budget.results.admin.override')}</h2>
          <Form ctx={ctx} action={`${base}/override`}>
            <div class="field">
              <label for="envelope">{t('participatory-budget.results.envelope')}</label>
              <select id="envelope" name="envelope">
                {results.map((r) => (
                  <option key={r.code} value={r.code} selected={form.envelope === r.code}>
                    {r.label[ctx.lang]}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="project">{t('participatory-budget.results.admin.projectCode')}</label>
              <input id="project" name="project" value={form.project ?? ''} autocomplete="off" />
            </div>
            <fieldset class="field" id="decision">
              <legend>{t('participatory-budget.results.admin.decision')}</legend>
              {(['fund', 'exclude'] as const).map((d) => (
                <div class="radio" key={d}>
                  <input type="radio" id={`decision-${d}`} name="decision" value={d} checked={(form.decision || 'exclude') === d} />
                  <label for={`decision-${d}`}>{t(`participatory-budget.results.override.${d}`)}</label>
                </div>
              ))}
            </fieldset>
            <div class="field">
              <label for="reason">{t('participatory-budget.results.admin.reason')}</label>
              <textarea id="reason" name="reason" rows={3}>
                {form.reason ?? ''}
              </textarea>
            </div>
            <button type="submit">{t('participatory-budget.results.admin.save')}</button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
