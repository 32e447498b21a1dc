import type { FieldProblem } from '../../../http/errors.js';
import { ErrorSummary, Form, Notice } from '../../../ui/components.js';
import type { ViewContext } from '../../../ui/context.js';
import { TextField } from '../../../ui/fields.js';
import { LIMITS, PASSWORD_MIN } from '../validation.js';
import { errorOf, summaryOf } from './fields.js';

export function ForgotPasswordPage({
  ctx,
  sent,
  problems = [],
  email,
}: {
  ctx: ViewContext;
  sent: boolean;
  problems?: FieldProblem[];
  email?: string;
}) {
  const t = ctx.t;
  return (
    <>
      <h1>{t('identity.forgot.title')}</h1>
      {sent ? <Notice kind="success">{t('identity.forgot.sent')}</Notice> : <p class="lead">{t('identity.forgot.lead')}</p>}
      <Form ctx={ctx} action="/forgot-password">
        <ErrorSummary ctx={ctx} errors={summaryOf(ctx, problems)} />
        <TextField
          name="email"
          type="email"
          label={t('identity.fields.email')}
          value={email}
          autocomplete="email"
          required
          maxLength={LIMITS.email}
          error={errorOf(ctx, problems, 'email')}
        />
        <button type="submit">{t('identity.forgot.submit')}</button>
      </Form>
      <p>
        <a href="/login">{t('identity.login.back')}</a>
      </p>
    </>
  );
}

export function ResetPasswordPage({ ctx, token, problems = [] }: { ctx: ViewContext; token: string; problems?: FieldProblem[] }) {
  const t = ctx.t;
  return (
    <>
      <h1>{t('identity.reset.title')}</h1>
      <p class="lead">{t('identity.reset.lead')}</p>
      <Form ctx={ctx} action={`/reset-password/${token}`}>
        <ErrorSummary ctx={ctx} errors={summaryOf(ctx, problems)} />
        <TextField
          name="password"
          type="password"
          label={t('identity.fields.newPassword')}
          hint={t('identity.fields.newPasswordHint', { min: PASSWORD_MIN })}
          autocomplete="new-password"
          required
          maxLength={LIMITS.password}
          error={errorOf(ctx, problems, 'password')}
        />
        <button type="submit">{t('identity.reset.submit')}</button>
      </Form>
    </>
  );
}

/** Behind the mailed link, a button: a GET must not use the link, since mail scanners open links before people do. */
export function VerifyEmailPage({ ctx, token }: { ctx: ViewContext; token: string }) {
  const t = ctx.t;
  return (
    <>
      <h1>{t('identity.verify.title')}</h1>
      <p class="lead">{t('identity.verify.lead')}</p>
      <Form ctx={ctx} action={`/verify-email/${token}`}>
        <button type="submit">{t('identity.verify.submit')}</button>
      </Form>
    </>
  );
}
