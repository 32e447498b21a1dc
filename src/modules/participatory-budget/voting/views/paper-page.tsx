import { ErrorSummary, type FieldError, Form, Notice } from '../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import { SelectField, TextArea, TextField } from '../../../../kernel/ui/fields.js';
import type { Campaign } from '../../campaigns/store.js';
import { type BallotValues, valuesOf } from '../ballot-form.js';
import type { EnvelopeBallot } from '../envelope-ballot.js';
import type { CountProblem } from '../paper-counts.js';
import { BallotFields, RulesHint } from './ballot-fields.js';

/** How an agent identifies a voter: their account's e-mail, or names and birth date. */
export const VOTER_FIELDS = ['email', 'givenName', 'familyName', 'birthdate'] as const;

export interface PaperPageState {
  envelope: EnvelopeBallot | null;
  values?: BallotValues;
  voter?: Record<string, string>;
  ballotErrors?: FieldError[];
  receipt?: string;
  csv?: string;
  countProblems?: CountProblem[];
  imported?: { rows: number; ballotBoxes: string[] };
}

/**
 * The ballot box's back office: a voter's paper ballot (identified by their account's e-mail, or
 * by names and birth date from an identity document), and the import of per-project counts.
 */
export function PaperPage({ ctx, campaign, state }: { ctx: ViewContext; campaign: Campaign; state: PaperPageState }) {
  const t = ctx.t;
  const base = `/admin/budget/${campaign.code}/paper`;
  const { envelope } = state;
  const voter = state.voter ?? {};
  return (
    <div>
      <h1>{t('participatory-budget.paper.title', { campaign: campaign.title[ctx.lang] })}</h1>
      <h2>{t('participatory-budget.paper.ballot.title')}</h2>
      {state.receipt ? (
        <Notice kind="success">
          {t('participatory-budget.paper.ballot.entered')} <strong class="reference">{state.receipt}</strong>
        </Notice>
      ) : null}
      <form method="get" action={base}>
        <SelectField
          name="envelope"
          label={t('participatory-budget.paper.ballot.envelope')}
          choices={campaign.envelopes.map((e) => ({ value: e.code, label: e.label[ctx.lang] }))}
          value={envelope?.code}
        />
        <button type="submit" class="button secondary">
          {t('participatory-budget.paper.ballot.open')}
        </button>
      </form>
      {envelope ? (
        <Form ctx={ctx} action={`${base}/ballot`}>
          <ErrorSummary ctx={ctx} errors={state.ballotErrors ?? []} />
          <input type="hidden" name="envelope" value={envelope.code} />
          <fieldset class="field">
            <legend>{t('participatory-budget.paper.voter.legend')}</legend>
            <p class="hint">{t('participatory-budget.paper.voter.hint')}</p>
            {VOTER_FIELDS.map((name) => (
              <TextField
                key={name}
                name={name}
                type={name === 'email' ? 'email' : name === 'birthdate' ? 'date' : 'text'}
                label={t(`participatory-budget.paper.voter.${name}`)}
                value={voter[name]}
                errors={state.ballotErrors}
              />
            ))}
          </fieldset>
          <RulesHint ctx={ctx} envelope={envelope} />
          <BallotFields ctx={ctx} envelope={envelope} values={state.values ?? valuesOf(undefined)} />
          <div class="form-actions">
            <button type="submit" class="button">
              {t('participatory-budget.paper.ballot.submit')}
            </button>
          </div>
        </Form>
      ) : null}
      <h2>{t('participatory-budget.paper.counts.title')}</h2>
      {state.imported ? (
        <Notice kind="success">
          {t('participatory-budget.paper.counts.imported', { rows: state.imported.rows, boxes: state.imported.ballotBoxes.join(', ') })}
        </Notice>
      ) : null}
      {state.countProblems?.length ? (
        <div class="error-summary" role="alert" aria-labelledby="counts-errors-title" tabIndex={-1}>
          <h3 id="counts-errors-title">{t('participatory-budget.errors.invalid-counts')}</h3>
          <ul>
            {state.countProblems.map((p) => (
              <li key={`${p.line}-${p.code}`}>
                {t('participatory-budget.paper.counts.line', { line: p.line })}{' '}
                {t(`participatory-budget.paper.counts.${p.code}`, { value: p.value ?? '' })}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form ctx={ctx} action={`${base}/counts`}>
        <TextArea
          name="csv"
          label={t('participatory-budget.paper.counts.csv')}
          hint={t('participatory-budget.paper.counts.hint')}
          value={state.csv}
          maxLength={1_000_000}
        />
        <div class="form-actions">
          <button type="submit" class="button">
            {t('participatory-budget.paper.counts.submit')}
          </button>
        </div>
      </Form>
    </div>
  );
}
