import {
  errorText,
  type FormData,
  type FormDefinition,
  type FormError,
  type RawValues,
  StepFields,
} from '../../../../kernel/forms/index.js';
import { ErrorSummary, Form } from '../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import { IMAGES_MAX } from '../submit.js';

/**
 * The proposal form on one page: the forms engine's fields (the campaign's themes and envelopes),
 * then images. Images already uploaded with a form sent back for corrections travel in a signed
 * field (`kept`), so the resident need not choose them again.
 */
export function ProposePage(props: {
  ctx: ViewContext;
  action: string;
  form: FormDefinition;
  raw: RawValues;
  data: FormData;
  errors: FormError[];
  keptImages: { sealed: string; count: number };
}) {
  const { ctx, form } = props;
  const t = ctx.t;
  const step = form.steps[0]!;
  const imageError = props.errors.find((e) => e.field === 'images');
  // The summary names each field, as the forms engine's own pages do ("Titre : …").
  const labelOf = (name: string) => {
    const code = name.split('.')[0];
    const field = step.fields.find((f) => 'code' in f && f.code === code);
    const label =
      field && 'label' in field ? field.label[ctx.lang] : code === 'images' ? t('participatory-budget.propose.field.images') : '';
    return label ? t('participatory-budget.propose.errorIn', { field: label }) : '';
  };
  return (
    <>
      <h1>{t('participatory-budget.propose.heading', { campaign: form.title[ctx.lang] })}</h1>
      <p class="lead">{t('participatory-budget.propose.lead')}</p>
      <ErrorSummary ctx={ctx} errors={props.errors.map((e) => ({ field: e.field, message: `${labelOf(e.field)}${errorText(ctx, e)}` }))} />
      <Form ctx={ctx} action={props.action} enctype="multipart/form-data">
        <StepFields
          definition={form}
          step={step}
          view={{ ctx, raw: props.raw, errors: props.errors, files: new Map() }}
          data={props.data}
        />
        <div class={`field${imageError ? ' field-error' : ''}`}>
          <label for="images">{t('participatory-budget.propose.field.images')}</label>
          <span class="hint" id="images-hint">
            {t('participatory-budget.propose.field.imagesHint', { max: IMAGES_MAX })}
            {props.keptImages.count ? ` ${t('participatory-budget.propose.field.imagesKept', { count: props.keptImages.count })}` : ''}
          </span>
          {imageError ? (
            <span class="error-message" id="images-error">
              {errorText(ctx, imageError)}
            </span>
          ) : null}
          <input
            id="images"
            name="images"
            type="file"
            multiple
            accept="image/jpeg,image/png,image/webp"
            aria-describedby={imageError ? 'images-hint images-error' : 'images-hint'}
          />
        </div>
        <input type="hidden" name="kept" value={props.keptImages.sealed} />
        <div class="form-actions">
          <button type="submit" class="button">
            {t('participatory-budget.propose.submit')}
          </button>
        </div>
      </Form>
    </>
  );
}
