import { formatDateTime } from '../../../../kernel/i18n/format.js';
import { ErrorSummary, type FieldError, Form, Notice } from '../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import type { Campaign } from '../../campaigns/store.js';
import { count, euros } from './labels.js';

/** An import already made, as the page lists it. */
export interface ImportRecord {
  envelope: string;
  fileName: string;
  description: string;
  fileRule: string;
  envelopeRule: string;
  scoreThreshold: number | null;
  projects: number;
  ballots: number;
  importedAt: string;
}

/** Back office: upload a Pabulib file into one envelope, and what was imported so far. */
export function PabulibImportPage(props: {
  ctx: ViewContext;
  campaign: Campaign;
  records: ImportRecord[];
  timeZone: string;
  form: { envelope?: string; prefix?: string };
  errors: FieldError[];
  /** The import just made, after the redirect. */
  done?: ImportRecord;
}) {
  const { ctx, campaign, form, done } = props;
  const t = ctx.t;
  const label = (code: string) => campaign.envelopes.find((e) => e.code === code)?.label[ctx.lang] ?? code;
  return (
    <>
      <h1>{t('participatory-budget.pabulib-import.title', { campaign: campaign.title[ctx.lang] })}</h1>
      <ErrorSummary ctx={ctx} errors={props.errors} />
      {done ? (
        <Notice kind="success">
          {t('participatory-budget.pabulib-import.done', {
            envelope: label(done.envelope),
            projects: done.projects,
            ballots: done.ballots,
          })}{' '}
          {done.fileRule === done.envelopeRule
            ? null
            : t('participatory-budget.pabulib-import.rules', { fileRule: done.fileRule, envelopeRule: done.envelopeRule })}
        </Notice>
      ) : null}
      <p>{t('participatory-budget.pabulib-import.intro')}</p>
      <p id="pabulib-conditions">{t('participatory-budget.pabulib-import.conditions')}</p>
      <Form ctx={ctx} action={`/admin/budget/${campaign.code}/results/import`} enctype="multipart/form-data">
        <div class="field">
          <label for="envelope">{t('participatory-budget.pabulib-import.envelope')}</label>
          <select id="envelope" name="envelope">
            {campaign.envelopes.map((e) => (
              <option key={e.code} value={e.code} selected={form.envelope === e.code}>
                {t('participatory-budget.pabulib-import.envelopeOption', { label: e.label[ctx.lang], amount: euros(ctx, e.amount) })}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="prefix">{t('participatory-budget.pabulib-import.prefix')}</label>
          <p class="hint" id="prefix-hint">
            {t('participatory-budget.pabulib-import.prefixHint')}
          </p>
          <input id="prefix" name="prefix" value={form.prefix ?? ''} autocomplete="off" aria-describedby="prefix-hint" />
        </div>
        <div class="field">
          <label for="file">{t('participatory-budget.pabulib-import.file')}</label>
          <input id="file" name="file" type="file" accept=".pb,text/plain" aria-describedby="pabulib-conditions" />
        </div>
        <button type="submit" class="button">
          {t('participatory-budget.pabulib-import.submit')}
        </button>
      </Form>
      <section aria-labelledby="imports-heading">
        <h2 id="imports-heading">{t('participatory-budget.pabulib-import.history')}</h2>
        {props.records.length === 0 ? <p>{t('participatory-budget.pabulib-import.none')}</p> : null}
        <ul>
          {props.records.map((r) => (
            <li key={r.envelope}>
              {t('participatory-budget.pabulib-import.record', {
                envelope: label(r.envelope),
                file: r.fileName,
                source: r.description,
                projects: count(ctx, r.projects),
                ballots: count(ctx, r.ballots),
                date: formatDateTime(ctx.lang, r.importedAt, props.timeZone),
              })}{' '}
              {t('participatory-budget.pabulib-import.rules', { fileRule: r.fileRule, envelopeRule: r.envelopeRule })}
              {r.scoreThreshold === null ? null : (
                <> {t('participatory-budget.pabulib-import.threshold', { threshold: count(ctx, r.scoreThreshold) })}</>
              )}
            </li>
          ))}
        </ul>
      </section>
      <p>
        <a href={`/admin/budget/${campaign.code}/results`}>{t('participatory-budget.pabulib-import.results')}</a>
      </p>
    </>
  );
}
