import { ErrorSummary, type FieldError, Form } from '../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import type { BallotCheck } from '../../ballots/validate.js';
import type { Campaign } from '../../campaigns/store.js';
import type { BallotValues } from '../ballot-form.js';
import type { EnvelopeBallot } from '../envelope-ballot.js';
import { BallotChoices, BallotFields, BallotSummary, RulesHint } from './ballot-fields.js';

const envelopeUrl = (campaign: Campaign, envelope: EnvelopeBallot) => `/budget/${campaign.code}/vote/${envelope.code}`;

/**
 * One envelope's ballot. "Update the total" posts the form and gets it back with the totals and
 * problems computed by the server (nothing saved); "Review my vote" saves the draft and goes on.
 */
export function BallotPage(props: {
  ctx: ViewContext;
  campaign: Campaign;
  envelope: EnvelopeBallot;
  values: BallotValues;
  check: BallotCheck | null;
  errors: FieldError[];
}) {
  const { ctx, campaign, envelope } = props;
  const t = ctx.t;
  return (
    <div>
      <p>
        <a href={`/budget/${campaign.code}/vote`}>{t('participatory-budget.vote.back')}</a>
      </p>
      <h1>{t('participatory-budget.vote.ballot.title', { envelope: envelope.label[ctx.lang] })}</h1>
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <RulesHint ctx={ctx} envelope={envelope} />
      {props.check ? <BallotSummary ctx={ctx} envelope={envelope} check={props.check} /> : null}
      <Form ctx={ctx} action={envelopeUrl(campaign, envelope)}>
        <BallotFields ctx={ctx} envelope={envelope} values={props.values} />
        <div class="form-actions">
          <button type="submit" name="action" value="review" class="button">
            {t('participatory-budget.vote.ballot.review')}
          </button>
          <button type="submit" name="action" value="update" class="button secondary">
            {t('participatory-budget.vote.ballot.update')}
          </button>
        </div>
      </Form>
    </div>
  );
}

/** The saved draft, read back before it is confirmed for good. */
export function ReviewPage(props: {
  ctx: ViewContext;
  campaign: Campaign;
  envelope: EnvelopeBallot;
  values: BallotValues;
  errors: FieldError[];
}) {
  const { ctx, campaign, envelope } = props;
  const t = ctx.t;
  return (
    <div class="prose">
      <h1>{t('participatory-budget.vote.review.title', { envelope: envelope.label[ctx.lang] })}</h1>
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <BallotChoices ctx={ctx} envelope={envelope} values={props.values} />
      <p>{t('participatory-budget.vote.review.final')}</p>
      <Form ctx={ctx} action={`${envelopeUrl(campaign, envelope)}/confirm`}>
        <div class="form-actions">
          <button type="submit" class="button">
            {t('participatory-budget.vote.review.confirm')}
          </button>
        </div>
      </Form>
      <p>
        <a href={envelopeUrl(campaign, envelope)}>{t('participatory-budget.vote.review.change')}</a>
      </p>
    </div>
  );
}

/** After confirming: the vote counted, the receipt code to keep, and where to check it. */
export function ConfirmedPage(props: {
  ctx: ViewContext;
  campaign: Campaign;
  envelope: EnvelopeBallot;
  code: string;
  values: BallotValues;
}) {
  const { ctx, campaign, envelope } = props;
  const t = ctx.t;
  return (
    <div class="prose">
      <div class="confirmation-panel" role="status">
        <h1>{t('participatory-budget.vote.confirmed.title')}</h1>
        <p>
          {t('participatory-budget.vote.confirmed.code')} <strong class="reference receipt-code">{props.code}</strong>
        </p>
      </div>
      <p>{t('participatory-budget.vote.confirmed.keep')}</p>
      <p>
        <a href="/budget/receipt">{t('participatory-budget.receipt.link')}</a>
      </p>
      <BallotChoices ctx={ctx} envelope={envelope} values={props.values} />
      <p>
        <a href={`/budget/${campaign.code}/vote`}>{t('participatory-budget.vote.back')}</a> ·{' '}
        <a href="/account/demands">{t('participatory-budget.vote.confirmed.dashboard')}</a>
      </p>
    </div>
  );
}
