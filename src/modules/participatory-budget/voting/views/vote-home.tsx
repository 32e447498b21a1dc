import { formatDateTime } from '../../../../kernel/i18n/format.js';
import { ErrorSummary, type FieldError, Form } from '../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import { SelectField } from '../../../../kernel/ui/fields.js';
import type { Campaign } from '../../campaigns/store.js';
import type { IneligibleReason } from '../eligibility.js';
import type { ballotStatuses } from '../queries.js';

export type EnvelopeStatus = Awaited<ReturnType<typeof ballotStatuses>>[number];

const voteUrl = (campaign: Campaign) => `/budget/${campaign.code}/vote`;

/** Choosing one's district: any of the campaign's, with the sworn statement of residence where required. */
export function DistrictForm(props: {
  ctx: ViewContext;
  campaign: Campaign;
  current: string | null;
  residenceRequired: boolean;
  errors: FieldError[];
}) {
  const { ctx, campaign } = props;
  const districts = campaign.envelopes.filter((e) => e.code !== 'city');
  return (
    <Form ctx={ctx} action={`${voteUrl(campaign)}/district`}>
      <SelectField
        name="district"
        label={ctx.t('participatory-budget.vote.district.label')}
        hint={ctx.t('participatory-budget.vote.district.hint')}
        choices={districts.map((d) => ({ value: d.code, label: d.label[ctx.lang] }))}
        value={props.current ?? undefined}
        empty={props.current ? undefined : ctx.t('participatory-budget.vote.district.empty')}
        errors={props.errors}
      />
      {props.residenceRequired ? (
        <div class={`field${props.errors.some((e) => e.field === 'residence') ? ' field-error' : ''}`}>
          <label class="checkbox">
            <input type="checkbox" id="residence" name="residence" value="yes" />
            {ctx.t('participatory-budget.vote.district.residence', { city: ctx.city.name[ctx.lang] })}
          </label>
        </div>
      ) : null}
      <div class="form-actions">
        <button type="submit" class="button">
          {ctx.t(props.current ? 'participatory-budget.vote.district.change' : 'participatory-budget.vote.district.submit')}
        </button>
      </div>
    </Form>
  );
}

/** The vote's home: the district to choose, then the voter's two ballots and where each stands. */
export function VoteHome(props: {
  ctx: ViewContext;
  campaign: Campaign;
  district: string | null;
  districtLocked: boolean;
  residenceRequired: boolean;
  envelopes: EnvelopeStatus[];
  errors: FieldError[];
}) {
  const { ctx, campaign } = props;
  const t = ctx.t;
  return (
    <div class="prose">
      <h1>{t('participatory-budget.vote.title', { campaign: campaign.title[ctx.lang] })}</h1>
      <ErrorSummary ctx={ctx} errors={props.errors} />
      {props.district === null ? (
        <>
          <p class="lead">{t('participatory-budget.vote.district.intro')}</p>
          <DistrictForm ctx={ctx} campaign={campaign} current={null} residenceRequired={props.residenceRequired} errors={props.errors} />
        </>
      ) : (
        <>
          <p class="lead">{t('participatory-budget.vote.ballots.intro')}</p>
          <ul class="cards">
            {props.envelopes.map((e) => (
              <li class="card" key={e.code}>
                <h2>
                  <a href={`${voteUrl(campaign)}/${e.code}`}>{e.label[ctx.lang]}</a>
                </h2>
                <p>
                  {e.status === 'confirmed' && e.confirmedAt
                    ? t('participatory-budget.vote.ballots.confirmed', { date: formatDateTime(ctx.lang, e.confirmedAt, ctx.city.timezone) })
                    : t(`participatory-budget.vote.ballots.${e.status}`)}
                </p>
              </li>
            ))}
          </ul>
          {props.districtLocked ? (
            <p>{t('participatory-budget.vote.district.locked')}</p>
          ) : (
            <details>
              <summary>{t('participatory-budget.vote.district.changeTitle')}</summary>
              <DistrictForm
                ctx={ctx}
                campaign={campaign}
                current={props.district}
                residenceRequired={props.residenceRequired}
                errors={props.errors}
              />
            </details>
          )}
        </>
      )}
      <p>
        <a href="/budget/receipt">{t('participatory-budget.receipt.link')}</a>
      </p>
    </div>
  );
}

/** Why the resident may not vote, and what to do about it. */
export function IneligiblePage({
  ctx,
  campaign,
  reasons,
  oidc,
}: {
  ctx: ViewContext;
  campaign: Campaign;
  reasons: IneligibleReason[];
  oidc: string | null;
}) {
  const t = ctx.t;
  return (
    <div class="prose">
      <h1>{t('participatory-budget.vote.ineligible.title', { campaign: campaign.title[ctx.lang] })}</h1>
      <ul>
        {reasons.map((r) => (
          <li key={r.code}>
            {t(`participatory-budget.vote.ineligible.${r.code}`, r.code === 'too-young' ? { age: r.minimumAge } : {})}
            {r.code === 'assurance-level' && oidc ? (
              <>
                {' '}
                <a href={`/auth/oidc?next=${encodeURIComponent(voteUrl(campaign))}`}>
                  {t('participatory-budget.vote.ineligible.signInWith', { provider: oidc })}
                </a>
              </>
            ) : null}
            {r.code === 'birthdate-missing' || (r.code === 'assurance-level' && r.required <= 100) ? (
              <>
                {' '}
                <a href="/account">{t('participatory-budget.vote.ineligible.profile')}</a>
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
