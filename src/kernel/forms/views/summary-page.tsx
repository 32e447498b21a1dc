import { Form } from '../../ui/components.js';
import type { ViewContext } from '../../ui/context.js';
import type { Answer, FileAnswer, FormData, Row } from '../answers.js';
import type { FormDefinition, GroupDef, LeafFieldDef, StepDef } from '../definition.js';
import { groupValueFields, valueFields } from '../walk.js';
import { answerText } from './text.js';

function AnswerValue({ ctx, field, value }: { ctx: ViewContext; field: LeafFieldDef; value: Answer | undefined }) {
  if ((field.type === 'file' || field.type === 'photo') && Array.isArray(value) && value.length > 0) {
    return (
      <ul class="summary-values">
        {(value as FileAnswer[]).map((f) => (
          <li key={f.id}>
            <a href={`/files/${f.id}`}>{f.name}</a>
          </li>
        ))}
      </ul>
    );
  }
  if (field.type === 'choices' && Array.isArray(value) && value.length > 1) {
    return (
      <ul class="summary-values">
        {answerText(ctx, field, value)
          .split(', ')
          .map((item) => (
            <li key={item}>{item}</li>
          ))}
      </ul>
    );
  }
  return <>{answerText(ctx, field, value)}</>;
}

function GroupValue({ ctx, group, rows }: { ctx: ViewContext; group: GroupDef; rows: Row[] | undefined }) {
  if (!rows?.length) return <>{ctx.t('forms.summary.notAnswered')}</>;
  return (
    <ol class="summary-rows">
      {rows.map((row, i) => (
        <li key={String(i)}>
          <strong>{group.rowLabel[ctx.lang].replace('{n}', String(i + 1))}</strong>
          <ul class="summary-values">
            {groupValueFields(group)
              .filter((f) => row[f.code] !== undefined)
              .map((f) => (
                <li key={f.code}>
                  {f.label[ctx.lang]}
                  {ctx.t('forms.summary.colon')}
                  <AnswerValue ctx={ctx} field={f} value={row[f.code]} />
                </li>
              ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}

/** A step's answers as a description list; with `href`, each has a link to change it there. */
export function StepAnswers({
  ctx,
  step,
  data,
  asked,
  href,
}: {
  ctx: ViewContext;
  step: StepDef;
  data: FormData;
  asked: ReadonlySet<string>;
  href?: string;
}) {
  const { t } = ctx;
  return (
    <section aria-labelledby={`summary-${step.code}`}>
      <h2 id={`summary-${step.code}`}>{step.title[ctx.lang]}</h2>
      <dl class="summary-list">
        {valueFields(step)
          .filter((f) => asked.has(f.code))
          .map((field) => (
            <div class="summary-row" key={field.code}>
              <dt>{field.label[ctx.lang]}</dt>
              <dd>
                {field.type === 'group' ? (
                  <GroupValue ctx={ctx} group={field} rows={data[field.code] as Row[] | undefined} />
                ) : (
                  <AnswerValue ctx={ctx} field={field} value={data[field.code]} />
                )}
              </dd>
              {href ? (
                <dd class="summary-change">
                  <a href={`${href}#${field.type === 'address' ? `${field.code}.text` : field.code}`}>
                    {t('forms.summary.change')}
                    <span class="visually-hidden"> {field.label[ctx.lang]}</span>
                  </a>
                </dd>
              ) : null}
            </div>
          ))}
      </dl>
    </section>
  );
}

/** Every answer of a sent form, step by step (for the person who sent it and for agents). */
export function FormAnswers({ ctx, definition, data }: { ctx: ViewContext; definition: FormDefinition; data: FormData }) {
  const asked = new Set(Object.keys(data));
  return (
    <>
      {definition.steps
        .filter((step) => valueFields(step).some((f) => asked.has(f.code)))
        .map((step) => (
          <StepAnswers key={step.code} ctx={ctx} step={step} data={data} asked={asked} />
        ))}
    </>
  );
}

export interface SummaryPageProps {
  ctx: ViewContext;
  definition: FormDefinition;
  /** The steps asked, in order, with the page to change their answers. */
  steps: { step: StepDef; href: string }[];
  data: FormData;
  /** Codes of the fields asked: the others were hidden by their conditions. */
  asked: ReadonlySet<string>;
  submitAction: string;
  back: string;
}

/** Every answer, by step, with a link to change it, then the one button that sends the form. */
export function SummaryPage({ ctx, definition, steps, data, asked, submitAction, back }: SummaryPageProps) {
  const { t } = ctx;
  return (
    <div class="form-flow">
      <p>
        <a class="back-link" href={back}>
          {t('forms.back')}
        </a>
      </p>
      <p class="form-caption">
        <span class="form-title">{definition.title[ctx.lang]}</span>
      </p>
      <h1>{t('forms.summary.title')}</h1>
      {steps.map(({ step, href }) => (
        <StepAnswers key={step.code} ctx={ctx} step={step} data={data} asked={asked} href={href} />
      ))}
      <h2>{t('forms.summary.sendTitle')}</h2>
      <p>{t('forms.summary.sendLead')}</p>
      <Form ctx={ctx} action={submitAction}>
        <button type="submit">{t('forms.summary.send')}</button>
      </Form>
    </div>
  );
}
