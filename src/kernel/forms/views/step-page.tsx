import { ErrorSummary, Form, Notice } from '../../ui/components.js';
import type { ViewContext } from '../../ui/context.js';
import type { FormData } from '../answers.js';
import type { FormDefinition, StepDef } from '../definition.js';
import type { StepView } from './inputs.js';
import { StepFields } from './step-fields.js';
import { errorText } from './text.js';

export interface StepPageProps {
  ctx: ViewContext;
  definition: FormDefinition;
  step: StepDef;
  view: StepView;
  data: FormData;
  /** Where the step posts. */
  action: string;
  position: { number: number; total: number };
  /** The previous step's page, if any. */
  back?: string;
  /** Set when the person came from the summary to change an answer: they go back there after. */
  returnToSummary: boolean;
  notice?: string;
  discardAction: string;
  /** A step with a file field posts multipart/form-data. */
  multipart: boolean;
  /** Labels of the errors' fields, for the summary's links ("Child 2 – First name"). */
  labels: ReadonlyMap<string, string>;
}

/** One step of a form: where the person is, what went wrong (linked to each field), the fields, and on. */
export function StepPage(props: StepPageProps) {
  const { ctx, definition, step, view } = props;
  const { t } = ctx;
  const summary = view.errors.map((e) => {
    const label = props.labels.get(e.field);
    const message = errorText(ctx, e);
    return { field: e.field, message: label ? t('forms.errorIn', { label, message }) : message };
  });
  return (
    <div class="form-flow">
      {props.back ? (
        <p>
          <a class="back-link" href={props.back}>
            {t('forms.back')}
          </a>
        </p>
      ) : null}
      <p class="form-caption">
        <span class="form-title">{definition.title[ctx.lang]}</span>
        <span class="step-indicator">{t('forms.stepOf', { number: props.position.number, total: props.position.total })}</span>
      </p>
      <h1>{step.title[ctx.lang]}</h1>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      <ErrorSummary ctx={ctx} errors={summary} />
      <Form ctx={ctx} action={props.action} enctype={props.multipart ? 'multipart/form-data' : undefined} class="form-step">
        {/* Enter in a text box presses the form's first button: this one, so it continues rather than removing a row. */}
        <button type="submit" name="_action" value="continue" class="visually-hidden" tabIndex={-1} aria-hidden="true">
          {t('forms.continue')}
        </button>
        {props.returnToSummary ? <input type="hidden" name="_return" value="summary" /> : null}
        <StepFields definition={definition} step={step} view={view} data={props.data} />
        <div class="form-actions">
          <button type="submit" name="_action" value="continue">
            {t(props.returnToSummary ? 'forms.saveAndReturn' : 'forms.continue')}
          </button>
          <button type="submit" name="_action" value="save" class="secondary">
            {t('forms.saveForLater')}
          </button>
        </div>
      </Form>
      <Form ctx={ctx} action={props.discardAction} class="form-discard">
        <button type="submit" class="link-button">
          {t('forms.discard')}
        </button>
      </Form>
      <script src="/assets/forms.js" defer />
    </div>
  );
}
