import type { FieldProblem } from '../../../http/errors.js';
import { ErrorSummary, Form } from '../../../ui/components.js';
import type { ViewContext } from '../../../ui/context.js';
import { Choices, TextField } from '../../../ui/fields.js';
import { LIMITS, PASSWORD_MIN } from '../validation.js';
import { errorOf, summaryOf } from './fields.js';

export interface SignupValues {
  email?: string;
  givenName?: string;
  familyName?: string;
  consent?: string;
}

export function SignupPage({ ctx, problems = [], values = {} }: { ctx: ViewContext; problems?: FieldProblem[]; values?: SignupValues }) {
  const t = ctx.t;
  const error = (name: string) => errorOf(ctx, problems, name);
  return (
    <>
      <h1>{t('identity.signup.title')}</h1>
      <p class="lead">{t('identity.signup.lead')}</p>
      <Form ctx={ctx} action="/signup">
        <ErrorSummary ctx={ctx} errors={summaryOf(ctx, problems)} />
        <TextField
          name="givenName"
          label={t('identity.fields.givenName')}
          value={values.givenName}
          autocomplete="given-name"
          required
          maxLength={LIMITS.givenName}
          error={error('givenName')}
        />
        <TextField
          name="familyName"
          label={t('identity.fields.familyName')}
          value={values.familyName}
          autocomplete="family-name"
          required
          maxLength={LIMITS.familyName}
          error={error('familyName')}
        />
        <TextField
          name="email"
          type="email"
          label={t('identity.fields.email')}
          hint={t('identity.signup.emailHint')}
          value={values.email}
          autocomplete="email"
          required
          maxLength={LIMITS.email}
          error={error('email')}
        />
        <TextField
          name="password"
          type="password"
          label={t('identity.fields.password')}
          hint={t('identity.fields.newPasswordHint', { min: PASSWORD_MIN })}
          autocomplete="new-password"
          required
          maxLength={LIMITS.password}
          error={error('password')}
        />
        <section aria-labelledby="privacy-title">
          <h2 id="privacy-title">{t('identity.signup.privacyTitle')}</h2>
          <p>{t('identity.signup.privacyText')}</p>
        </section>
        <Choices
          name="consent"
          type="checkbox"
          label={t('identity.signup.consentLegend')}
          options={[{ value: 'yes', label: t('identity.signup.consent') }]}
          checked={values.consent === 'yes' ? ['yes'] : []}
          error={error('consent')}
        />
        <button type="submit">{t('identity.signup.submit')}</button>
      </Form>
      <p>
        {t('identity.signup.haveAccount')} <a href="/login">{t('identity.login.title')}</a>
      </p>
    </>
  );
}
