import type { FieldError } from '../../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../../kernel/ui/context.js';
import { Choices, SelectField, TextField } from '../../../../../kernel/ui/fields.js';
import { RULES } from '../../../rules/run-rule.js';
import { CITY_ENVELOPE } from '../../definition.js';
import { BALLOT_TYPES, type FormValues, names, RESERVED_FIELDS, RULE_NUMBERS } from '../form-names.js';

/** The rows of reserved amounts to show: those filled in, and one blank row to add another. */
function reservedRowCount(values: FormValues, code: string): number {
  let last = -1;
  for (let row = 0; row < 100; row++) {
    const cells = RESERVED_FIELDS.map((f) => values[names.reserved(code, row, f)]);
    if (cells.every((c) => c === undefined)) break;
    if (cells.some((c) => (c ?? '').trim() !== '')) last = row;
  }
  return last + 2;
}

/**
 * One envelope's fields: amount, labels, reserved amounts, ballot rules, winner rule. Without
 * JavaScript every setting of the ballot rules is on the page; each hint says which ballot type uses it.
 */
export function EnvelopeFields(props: { ctx: ViewContext; code: string; name: string; values: FormValues; errors: FieldError[] }) {
  const { ctx, code, values, errors } = props;
  const t = ctx.t;
  const n = (field: string) => names.envelope(code, field);
  const text = (field: string, label: string, hint?: string) => (
    <TextField name={n(field)} label={label} hint={hint} value={values[n(field)]} errors={errors} />
  );
  const isCity = code === CITY_ENVELOPE;
  const hasError = errors.some((e) => e.field.startsWith(`env-${code}-`));
  const open = isCity || hasError || (values[n('amount')] ?? '').trim() !== '';
  const fields = (
    <fieldset class="form-row" id={`env-${code}`}>
      <legend>{props.name}</legend>
      <TextField
        name={n('amount')}
        label={t('participatory-budget.campaigns.field.amount')}
        hint={t(isCity ? 'participatory-budget.campaigns.hint.amountCity' : 'participatory-budget.campaigns.hint.amountDistrict')}
        inputMode="numeric"
        value={values[n('amount')]}
        errors={errors}
      />
      {text('label_fr', t('participatory-budget.campaigns.field.labelFr'))}
      {text('label_en', t('participatory-budget.campaigns.field.labelEn'))}
      {Array.from({ length: reservedRowCount(values, code) }, (_, row) => (
        <fieldset key={row} class="form-row">
          <legend>{t('participatory-budget.campaigns.field.reserved', { n: row + 1 })}</legend>
          {RESERVED_FIELDS.map((field) => (
            <TextField
              key={field}
              name={names.reserved(code, row, field)}
              label={t(`participatory-budget.campaigns.field.reserved.${field}`)}
              hint={field === 'code' ? t('participatory-budget.campaigns.hint.reservedCode') : undefined}
              inputMode={field === 'amount' ? 'numeric' : undefined}
              value={values[names.reserved(code, row, field)]}
              errors={errors}
            />
          ))}
        </fieldset>
      ))}
      <SelectField
        name={n('ballot')}
        label={t('participatory-budget.campaigns.field.ballot')}
        choices={BALLOT_TYPES.map((type) => ({ value: type, label: t(`participatory-budget.campaigns.ballot.${type}`) }))}
        value={values[n('ballot')]}
        errors={errors}
      />
      {RULE_NUMBERS.map((field) => (
        <TextField
          key={field}
          name={n(field)}
          label={t(`participatory-budget.campaigns.rule.${field}`)}
          hint={t(`participatory-budget.campaigns.hint.${field}`)}
          inputMode="numeric"
          value={values[n(field)]}
          errors={errors}
        />
      ))}
      <Choices
        name={n('requireAllPoints')}
        type="checkbox"
        label={t('participatory-budget.campaigns.rule.requireAllPoints')}
        hint={t('participatory-budget.campaigns.hint.requireAllPoints')}
        options={[{ value: 'yes', label: t('participatory-budget.campaigns.rule.requireAllPointsYes') }]}
        checked={values[n('requireAllPoints')] === 'yes' ? ['yes'] : []}
        errors={errors}
      />
      {text('grades', t('participatory-budget.campaigns.rule.grades'), t('participatory-budget.campaigns.hint.grades'))}
      <SelectField
        name={n('winner')}
        label={t('participatory-budget.campaigns.field.winner')}
        hint={t('participatory-budget.campaigns.hint.winner')}
        choices={RULES.map((rule) => ({ value: rule, label: t(`participatory-budget.campaigns.winner.${rule}`) }))}
        value={values[n('winner')]}
        errors={errors}
      />
    </fieldset>
  );
  if (isCity) return fields;
  // A district's envelope folds away while it has no amount: 20 open envelopes would bury the form.
  return (
    <details open={open}>
      <summary>
        {props.name}
        {open ? null : ` — ${t('participatory-budget.campaigns.list.noEnvelope')}`}
      </summary>
      {fields}
    </details>
  );
}
