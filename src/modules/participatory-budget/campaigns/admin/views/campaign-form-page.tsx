import type { ComponentChildren } from 'preact';
import { LEVEL } from '../../../../../kernel/identity/citizens/attributes.js';
import { ErrorSummary, type FieldError, Form, Notice } from '../../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../../kernel/ui/context.js';
import { Choices, SelectField, TextField } from '../../../../../kernel/ui/fields.js';
import type { Eligibility } from '../../../voting/eligibility.js';
import { CAMPAIGN_STATUSES, PHASES } from '../../definition.js';
import type { Envelope } from '../../store.js';
import { type FormValues, names, THEME_FIELDS } from '../form-names.js';
import { EnvelopeFields } from './envelope-fields.js';
import { FrozenEligibility, FrozenEnvelopes } from './frozen-settings.js';

/** Blank theme rows offered after the filled ones: enough to add a few without JavaScript. */
const BLANK_THEME_ROWS = 3;

function themeRowCount(values: FormValues): number {
  let last = -1;
  for (let row = 0; row < 100; row++) {
    const cells = THEME_FIELDS.map((f) => values[names.theme(row, f)]);
    if (cells.every((c) => c === undefined) && row > last + BLANK_THEME_ROWS) break;
    if (cells.some((c) => (c ?? '').trim() !== '')) last = row;
  }
  return last + 1 + BLANK_THEME_ROWS;
}

export interface CampaignFormProps {
  ctx: ViewContext;
  /** Creating, or editing the campaign of this code (which then cannot change). */
  editing: string | null;
  action: string;
  values: FormValues;
  errors: FieldError[];
  /** The envelopes the form offers: "city" then each district, with their names. */
  envelopes: { code: string; name: string }[];
  /** Once the vote has opened: the envelopes and eligibility as stored, shown as text; `since` is the vote's opening, formatted. */
  frozen: { since: string; envelopes: Envelope[]; eligibility: Eligibility } | null;
  /** What the form was filled in from (campaigns/edit.ts): a campaign configured differently since is not overwritten. */
  fingerprint?: string;
  timeZone: string;
  notice?: string;
}

function Section(props: { id: string; title: string; children: ComponentChildren }) {
  return (
    <fieldset class="form-section" id={props.id}>
      <legend>
        <h2>{props.title}</h2>
      </legend>
      {props.children}
    </fieldset>
  );
}

/** The campaign's form: the same page creates and edits; a frozen campaign's money and rules are shown, not offered. */
export function CampaignFormPage(props: CampaignFormProps) {
  const { ctx, values, errors } = props;
  const t = ctx.t;
  const text = (name: string, label: string, hint?: string) => (
    <TextField name={name} label={label} hint={hint} value={values[name]} errors={errors} />
  );
  return (
    <>
      <p>
        <a href="/admin/budget/campaigns">{t('participatory-budget.campaigns.back')}</a>
      </p>
      <h1>
        {props.editing
          ? t('participatory-budget.campaigns.edit.title', { campaign: values.title_fr || props.editing })
          : t('participatory-budget.campaigns.new.title')}
      </h1>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      <ErrorSummary ctx={ctx} errors={errors} />
      <Form ctx={ctx} action={props.action}>
        {props.fingerprint ? <input type="hidden" name="fingerprint" value={props.fingerprint} /> : null}
        <Section id="general" title={t('participatory-budget.campaigns.section.general')}>
          <TextField
            name="code"
            label={t('participatory-budget.campaigns.field.code')}
            hint={t(props.editing ? 'participatory-budget.campaigns.hint.codeFixed' : 'participatory-budget.campaigns.hint.code')}
            value={values.code}
            readOnly={props.editing !== null}
            errors={errors}
          />
          {text('title_fr', t('participatory-budget.campaigns.field.titleFr'))}
          {text('title_en', t('participatory-budget.campaigns.field.titleEn'))}
          <SelectField
            name="status"
            label={t('participatory-budget.campaigns.field.status')}
            hint={t('participatory-budget.campaigns.hint.status')}
            choices={CAMPAIGN_STATUSES.map((s) => ({ value: s, label: t(`participatory-budget.status.${s}`) }))}
            value={values.status}
            errors={errors}
          />
        </Section>

        <Section id="phases" title={t('participatory-budget.campaigns.section.phases')}>
          <p>{t('participatory-budget.campaigns.hint.phases', { zone: props.timeZone })}</p>
          {PHASES.map((phase) => (
            <fieldset key={phase} class="form-row">
              <legend>{t(`participatory-budget.phase.${phase}`)}</legend>
              {[names.phaseStart(phase), names.phaseEnd(phase)].map((name, i) => (
                <TextField
                  key={name}
                  name={name}
                  type="datetime-local"
                  label={t(i === 0 ? 'participatory-budget.campaigns.field.start' : 'participatory-budget.campaigns.field.end')}
                  value={values[name]}
                  errors={errors}
                />
              ))}
            </fieldset>
          ))}
        </Section>

        <Section id="envelopes" title={t('participatory-budget.campaigns.section.envelopes')}>
          {props.frozen ? (
            <>
              <Notice>{t('participatory-budget.envelope.frozen', { date: props.frozen.since })}</Notice>
              <FrozenEnvelopes ctx={ctx} envelopes={props.frozen.envelopes} />
            </>
          ) : (
            <>
              <p>{t('participatory-budget.campaigns.hint.envelopes')}</p>
              {props.envelopes.map((e) => (
                <EnvelopeFields key={e.code} ctx={ctx} code={e.code} name={e.name} values={values} errors={errors} />
              ))}
            </>
          )}
        </Section>

        <Section id="themes" title={t('participatory-budget.campaigns.section.themes')}>
          <p>{t('participatory-budget.campaigns.hint.themes')}</p>
          {Array.from({ length: themeRowCount(values) }, (_, row) => (
            <fieldset key={row} class="form-row">
              <legend>{t('participatory-budget.campaigns.field.theme', { n: row + 1 })}</legend>
              {THEME_FIELDS.map((field) => (
                <TextField
                  key={field}
                  name={names.theme(row, field)}
                  label={t(`participatory-budget.campaigns.field.theme.${field}`)}
                  value={values[names.theme(row, field)]}
                  errors={errors}
                />
              ))}
            </fieldset>
          ))}
        </Section>

        <Section id="eligibility" title={t('participatory-budget.campaigns.section.eligibility')}>
          {props.frozen ? (
            <FrozenEligibility ctx={ctx} eligibility={props.frozen.eligibility} />
          ) : (
            <>
              <TextField
                name="minimumAge"
                label={t('participatory-budget.campaigns.field.minimumAge')}
                hint={t('participatory-budget.campaigns.hint.minimumAge')}
                inputMode="numeric"
                value={values.minimumAge}
                errors={errors}
              />
              <Choices
                name="residenceRequired"
                type="checkbox"
                label={t('participatory-budget.campaigns.field.residenceRequired')}
                options={[{ value: 'yes', label: t('participatory-budget.campaigns.eligibility.residenceYes') }]}
                checked={values.residenceRequired === 'yes' ? ['yes'] : []}
                errors={errors}
              />
              <Choices
                name="assuranceLevel"
                type="radio"
                label={t('participatory-budget.campaigns.field.assuranceLevel')}
                options={[0, LEVEL.self, LEVEL.identityProvider].map((level) => ({
                  value: String(level),
                  label: t(`participatory-budget.campaigns.assurance.${level}`),
                }))}
                checked={[values.assuranceLevel ?? '0']}
                errors={errors}
              />
            </>
          )}
        </Section>
        <button type="submit" class="button">
          {t(props.editing ? 'participatory-budget.campaigns.edit.submit' : 'participatory-budget.campaigns.new.submit')}
        </button>
      </Form>
    </>
  );
}
