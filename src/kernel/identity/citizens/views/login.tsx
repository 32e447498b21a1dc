import { ErrorSummary, Form, Notice } from '../../../ui/components.js';
import type { ViewContext } from '../../../ui/context.js';
import { TextField } from '../../../ui/fields.js';
import { LIMITS } from '../validation.js';

export interface LoginState {
  email?: string;
  next: string;
  /** A message key shown above the form ("identity.notice.…"). */
  notice?: string;
  /** The one error: a field left empty, or the generic "address or password incorrect". */
  error?: { field: 'email' | 'password'; message: string };
  /** Label of the identity provider's button when one is configured ("FranceConnect"). */
  oidcLabel?: string;
}

export function LoginPage({ ctx, state }: { ctx: ViewContext; state: LoginState }) {
  const t = ctx.t;
  const { error } = state;
  const nextQuery = state.next === '/account' ? '' : `?next=${encodeURIComponent(state.next)}`;
  return (
    <>
      <h1>{t('identity.login.title')}</h1>
      {state.notice ? <Notice kind="success">{t(state.notice)}</Notice> : null}
      {state.oidcLabel ? (
        <section aria-labelledby="oidc-title">
          <h2 id="oidc-title">{t('identity.login.oidcTitle', { label: state.oidcLabel })}</h2>
          <p>{t('identity.login.oidcText', { label: state.oidcLabel })}</p>
          <p>
            <a class="button" href={`/auth/oidc${nextQuery}`}>
              {t('identity.login.oidcButton', { label: state.oidcLabel })}
            </a>
          </p>
        </section>
      ) : null}
      <section aria-labelledby={state.oidcLabel ? 'password-title' : undefined}>
        {state.oidcLabel ? <h2 id="password-title">{t('identity.login.passwordTitle')}</h2> : null}
        <Form ctx={ctx} action={`/login${nextQuery}`}>
          <ErrorSummary ctx={ctx} errors={error ? [error] : []} />
          <TextField
            name="email"
            type="email"
            label={t('identity.fields.email')}
            value={state.email}
            autocomplete="username"
            required
            maxLength={LIMITS.email}
            error={error?.field === 'email' ? error.message : undefined}
          />
          <TextField
            name="password"
            type="password"
            label={t('identity.fields.password')}
            autocomplete="current-password"
            required
            maxLength={LIMITS.password}
            error={error?.field === 'password' ? error.message : undefined}
          />
          <button type="submit">{t('identity.login.submit')}</button>
        </Form>
        <p>
          <a href="/forgot-password">{t('identity.login.forgot')}</a>
        </p>
      </section>
      <p>
        {t('identity.login.noAccount')} <a href="/signup">{t('identity.signup.title')}</a>
      </p>
    </>
  );
}
