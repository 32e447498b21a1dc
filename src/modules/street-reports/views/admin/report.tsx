import type { VNode } from 'preact';
import { type Answer, answerText } from '../../../../kernel/forms/index.js';
import { formatDateTime } from '../../../../kernel/i18n/format.js';
import type { Kernel } from '../../../../kernel/kernel.js';
import { ErrorSummary, type FieldError, Form, Notice } from '../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import { SelectField, TextField } from '../../../../kernel/ui/fields.js';
import type { CategoryTree } from '../../domain/categories.js';
import { questionsFor } from '../../domain/questions.js';
import type { ReportRow } from '../../domain/queue.js';
import type { ResponseTemplate } from '../../domain/response-templates.js';
import { categoryChoices, type Names, priorityChoices } from './labels.js';
import { DistrictMap, districtBox } from './map.js';
import { Stylesheet } from './queue.js';

export interface PhotoView {
  id: string;
  fileId: string;
  kind: string;
  redacted: boolean;
}

function Photos({ ctx, report, photos, canTriage }: { ctx: ViewContext; report: ReportRow; photos: PhotoView[]; canTriage: boolean }) {
  const t = ctx.t;
  if (photos.length === 0) return <p>{t('street-reports.admin.report.noPhoto')}</p>;
  return (
    <ul class="report-photos">
      {photos.map((p, i) => (
        <li key={p.id} class={p.redacted ? 'photo-redacted' : undefined}>
          <figure>
            <a href={`/files/${p.fileId}`}>
              <img
                src={`/files/${p.fileId}/thumb`}
                alt={t('street-reports.admin.report.photoAlt', { n: i + 1, reference: report.reference })}
                width={160}
              />
            </a>
            <figcaption>
              {t(`street-reports.admin.photoKind.${p.kind}`)}
              {p.redacted ? <strong> — {t('street-reports.admin.report.redacted')}</strong> : null}
            </figcaption>
          </figure>
          {canTriage ? (
            <Form ctx={ctx} action={`/admin/reports/${report.id}/photos/${p.id}/${p.redacted ? 'restore' : 'redact'}`} class="inline-form">
              <button type="submit" class="button secondary">
                {p.redacted ? t('street-reports.admin.report.restore') : t('street-reports.admin.report.redact')}
                <span class="visually-hidden"> {t('street-reports.admin.report.photoAlt', { n: i + 1, reference: report.reference })}</span>
              </button>
            </Form>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function TriageForms(props: {
  ctx: ViewContext;
  report: ReportRow;
  categories: CategoryTree;
  errors: FieldError[];
  form: Record<string, string>;
}) {
  const { ctx, report, errors, form } = props;
  const t = ctx.t;
  const of = (prefix: string) => errors.filter((e) => e.field.startsWith(prefix));
  return (
    <section aria-labelledby="triage-title" class="triage">
      <h2 id="triage-title">{t('street-reports.admin.report.triage')}</h2>
      <Form ctx={ctx} action={`/admin/reports/${report.id}/priority`} class="action-form">
        <fieldset>
          <legend>{t('street-reports.admin.field.priority')}</legend>
          <SelectField
            name="priority"
            label={t('street-reports.admin.field.priority')}
            choices={priorityChoices(ctx)}
            value={String(report.priority)}
            errors={of('priority')}
          />
          <button type="submit" class="button">
            {t('street-reports.admin.report.setPriority')}
          </button>
        </fieldset>
      </Form>
      <Form ctx={ctx} action={`/admin/reports/${report.id}/requalify`} class="action-form">
        <fieldset>
          <legend>{t('street-reports.admin.report.requalify')}</legend>
          <p class="hint">{t('street-reports.admin.report.requalifyHint')}</p>
          <SelectField
            name="requalify-category"
            label={t('street-reports.admin.field.category')}
            choices={categoryChoices(props.categories, ctx, true)}
            value={form['requalify-category'] ?? report.category}
            errors={of('requalify-category')}
          />
          <TextField
            name="requalify-lat"
            label={t('street-reports.admin.field.lat')}
            inputMode="text"
            value={form['requalify-lat'] ?? String(report.lat)}
            errors={of('requalify-lat')}
          />
          <TextField
            name="requalify-lng"
            label={t('street-reports.admin.field.lng')}
            inputMode="text"
            value={form['requalify-lng'] ?? String(report.lng)}
            errors={of('requalify-lng')}
          />
          <TextField
            name="requalify-address"
            label={t('street-reports.admin.field.address')}
            value={form['requalify-address'] ?? report.address ?? ''}
            maxLength={300}
          />
          <button type="submit" class="button">
            {t('street-reports.admin.report.requalifySave')}
          </button>
        </fieldset>
      </Form>
      {report.duplicate_of ? null : (
        <Form ctx={ctx} action={`/admin/reports/${report.id}/duplicate`} class="action-form">
          <fieldset>
            <legend>{t('street-reports.admin.report.duplicate')}</legend>
            <TextField
              name="original"
              label={t('street-reports.admin.report.original')}
              hint={t('street-reports.admin.report.originalHint')}
              value={form.original ?? ''}
              maxLength={40}
              errors={of('original')}
            />
            <button type="submit" class="button">
              {t('street-reports.admin.report.markDuplicate')}
            </button>
          </fieldset>
        </Form>
      )}
    </section>
  );
}

function Templates({
  ctx,
  templates,
  actionLabel,
}: {
  ctx: ViewContext;
  templates: ResponseTemplate[];
  actionLabel: (code: string) => string;
}) {
  const t = ctx.t;
  return (
    <section aria-labelledby="templates-title">
      <h2 id="templates-title">{t('street-reports.admin.templates.title')}</h2>
      <p class="hint">{t('street-reports.admin.templates.copyHint')}</p>
      {templates.length === 0 ? (
        <p>{t('street-reports.admin.templates.noneHere')}</p>
      ) : (
        templates.map((tpl) => (
          <details key={tpl.id} class="response-template">
            <summary>
              {tpl.title} ({actionLabel(tpl.action)})
            </summary>
            <label for={`template-${tpl.id}`}>{t('street-reports.admin.templates.text')}</label>
            <textarea id={`template-${tpl.id}`} readOnly rows={4}>
              {tpl.body}
            </textarea>
          </details>
        ))
      )}
      <p>
        <a href="/admin/reports/templates">{t('street-reports.admin.templates.manage')}</a>
      </p>
    </section>
  );
}

/** A report as agents see it: where, what, photos, its workflow, and the triage tools. */
export function ReportPage(props: {
  ctx: ViewContext;
  kernel: Kernel;
  categories: CategoryTree;
  names: Names;
  report: ReportRow;
  original: { id: string; reference: string } | null;
  photos: PhotoView[];
  answers: Record<string, unknown>;
  workflow: VNode<any>;
  templates: ResponseTemplate[];
  actionLabel: (code: string) => string;
  canTriage: boolean;
  notice?: string;
  errors: FieldError[];
  form: Record<string, string>;
}) {
  const { ctx, report, names } = props;
  const t = ctx.t;
  const tz = ctx.city.timezone;
  const asked = questionsFor(props.categories, report.category);
  // Labelled by the category's questions; an answer to a question it no longer asks (after a requalification) keeps its code.
  const answers = Object.entries(props.answers).map(([code, value]) => {
    const field = asked.find((f) => f.code === code);
    return field && field.type !== 'group'
      ? { code, question: field.label[ctx.lang], answer: answerText(ctx, field, value as Answer) }
      : { code, question: code, answer: Array.isArray(value) ? value.join(', ') : String(value ?? '') };
  });
  return (
    <>
      <Stylesheet />
      <p>
        <a href="/admin/reports">{t('street-reports.admin.back')}</a>
      </p>
      <h1>
        {report.reference} — {names.category(report.category)}
      </h1>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <div class="report-summary">
        <dl class="facts">
          <dt>{t('street-reports.admin.field.reference')}</dt>
          <dd>{report.reference}</dd>
          <dt>{t('street-reports.admin.field.category')}</dt>
          <dd>{names.categoryPath(report.category)}</dd>
          <dt>{t('street-reports.admin.field.state')}</dt>
          <dd>{names.state(report.state)}</dd>
          <dt>{t('street-reports.admin.field.priority')}</dt>
          <dd>{names.priority(report.priority)}</dd>
          <dt>{t('street-reports.admin.field.district')}</dt>
          <dd>{names.district(report.district)}</dd>
          <dt>{t('street-reports.admin.field.address')}</dt>
          <dd>{report.address ?? t('street-reports.admin.report.noAddress')}</dd>
          <dt>{t('street-reports.admin.field.point')}</dt>
          <dd>
            {report.lat.toFixed(6)}, {report.lng.toFixed(6)}
          </dd>
          <dt>{t('street-reports.admin.field.created')}</dt>
          <dd>{formatDateTime(ctx.lang, report.created_at, tz)}</dd>
          <dt>{t('street-reports.admin.field.channel')}</dt>
          <dd>{t(`street-reports.admin.channel.${report.channel}`)}</dd>
          <dt>{t('street-reports.admin.field.reporter')}</dt>
          <dd>{report.account_id ? t('street-reports.admin.report.withAccount') : t('street-reports.admin.report.anonymous')}</dd>
          <dt>{t('street-reports.admin.field.followers')}</dt>
          <dd>{report.followers}</dd>
          {props.original ? (
            <>
              <dt>{t('street-reports.admin.report.duplicateOf')}</dt>
              <dd>
                <a href={`/admin/reports/${props.original.id}`}>{props.original.reference}</a>
              </dd>
            </>
          ) : null}
        </dl>
        <div class="map-frame small">
          <DistrictMap
            kernel={props.kernel}
            id="report-map"
            width={320}
            box={districtBox(props.kernel, report.district)}
            highlight={report.district}
            title={t('street-reports.admin.report.mapTitle', { district: names.district(report.district) })}
            points={[{ lat: report.lat, lng: report.lng, priority: report.priority }]}
          />
        </div>
      </div>
      <h2>{t('street-reports.admin.field.description')}</h2>
      <p class="report-description">{report.description || t('street-reports.admin.report.noDescription')}</p>
      {answers.length ? (
        <>
          <h2>{t('street-reports.admin.report.answers')}</h2>
          <dl class="facts">
            {answers.map((a) => (
              <>
                <dt key={`${a.code}-q`}>{a.question}</dt>
                <dd key={`${a.code}-a`}>{a.answer}</dd>
              </>
            ))}
          </dl>
        </>
      ) : null}
      <h2>{t('street-reports.admin.report.photos')}</h2>
      <Photos ctx={ctx} report={report} photos={props.photos} canTriage={props.canTriage} />
      {props.workflow}
      <Templates ctx={ctx} templates={props.templates} actionLabel={props.actionLabel} />
      {props.canTriage ? (
        <TriageForms ctx={ctx} report={report} categories={props.categories} errors={props.errors} form={props.form} />
      ) : null}
    </>
  );
}
