import type { Unit } from '../../identity/agents/unit-admin.js';
import { ErrorSummary, type FieldError, Form } from '../../ui/components.js';
import type { ViewContext } from '../../ui/context.js';
import { type Choice, Choices, SelectField, TextArea, TextField } from '../../ui/fields.js';

/** What the endpoint form shows: as typed, so a refused form comes back unchanged. */
export interface EndpointValues {
  url?: string;
  module?: string;
  /** A unit code, or '' for the whole city. */
  unit?: string;
  events?: string;
  description?: string;
  active?: boolean;
}

export interface FormOptions {
  modules: readonly string[];
  /** The units the agent manages endpoints of. */
  units: Unit[];
  /** Only administrators may choose the whole city. */
  wholeCity: boolean;
}

const unitChoices = (ctx: ViewContext, units: Unit[]): Choice[] =>
  units.map((u) => ({ value: u.code, label: `${'– '.repeat(u.path.split('/').length - 3)}${u.name[ctx.lang]}` }));

/** Creating and editing an endpoint: the same fields, posted to `action`. */
export function EndpointForm(props: {
  ctx: ViewContext;
  action: string;
  submit: string;
  options: FormOptions;
  values: EndpointValues;
  errors: FieldError[];
}) {
  const { ctx, options, values, errors } = props;
  const t = ctx.t;
  return (
    <Form ctx={ctx} action={props.action}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <TextField
        name="url"
        label={t('admin.webhooks.fields.url')}
        hint={t('admin.webhooks.fields.urlHint')}
        value={values.url}
        maxLength={2000}
        errors={errors}
      />
      <SelectField
        name="module"
        label={t('admin.webhooks.fields.module')}
        choices={options.modules.map((code) => ({ value: code, label: code }))}
        value={values.module}
        errors={errors}
      />
      <SelectField
        name="unit"
        label={t('admin.webhooks.fields.unit')}
        hint={t('admin.webhooks.fields.unitHint')}
        choices={unitChoices(ctx, options.units)}
        value={values.unit}
        empty={options.wholeCity ? t('admin.webhooks.fields.wholeCity') : undefined}
        errors={errors}
      />
      <TextArea
        name="events"
        label={t('admin.webhooks.fields.events')}
        hint={t('admin.webhooks.fields.eventsHint')}
        value={values.events}
        maxLength={5000}
        errors={errors}
      />
      <TextField
        name="description"
        label={t('admin.webhooks.fields.description')}
        hint={t('admin.webhooks.fields.descriptionHint')}
        value={values.description}
        maxLength={200}
        errors={errors}
      />
      <Choices
        name="active"
        type="checkbox"
        label={t('admin.webhooks.fields.state')}
        options={[{ value: 'on', label: t('admin.webhooks.fields.active') }]}
        checked={values.active ? ['on'] : []}
        errors={errors}
      />
      <button type="submit">{props.submit}</button>
    </Form>
  );
}
