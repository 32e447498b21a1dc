import { ErrorSummary, Form, Notice } from '../../../ui/components.js';
import type { ViewContext } from '../../../ui/context.js';
import { TextField } from '../../../ui/fields.js';

export type LoginProblem = 'invalid' | 'throttled';

/** The agents' login: one message for every failure, so it never tells whether an account exists. */
export function LoginPage({
  ctx,
  email,
  next,
  problem,
  notice,
}: {
  ctx: ViewContext;
  email: string;
  next?: string;
  problem?: LoginProblem;
  notice?: string;
}) {
  const t = ctx.t;
  const errors = problem ? [{ field: 'email', message: t(`admin.login.${problem}`) }] : [];
  return (
    <>
      <h1>{t('admin.login.title')}</h1>
      <p class="lead">{t('admin.login.lead')}</p>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <Form ctx={ctx} action="/admin/login">
        <ErrorSummary ctx={ctx} errors={errors} />
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <TextField
          name="email"
          type="email"
          label={t('admin.fields.email')}
          autocomplete="username"
          value={email}
          errors={errors}
          maxLength={254}
        />
        <TextField name="password" type="password" label={t('admin.fields.password')} autocomplete="current-password" errors={[]} />
        <button type="submit">{t('admin.login.submit')}</button>
      </Form>
      <p>
        {t('admin.login.resident')} <a href="/login">{t('admin.login.residentLink')}</a>
      </p>
    </>
  );
}
