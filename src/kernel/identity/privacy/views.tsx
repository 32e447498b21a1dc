import { ErrorSummary, type FieldError, Form } from '../../ui/components.js';
import type { ViewContext } from '../../ui/context.js';

export function PrivacyPage({ ctx, hasPassword, errors }: { ctx: ViewContext; hasPassword: boolean; errors: FieldError[] }) {
  const t = ctx.t;
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  const field = hasPassword ? 'password' : 'confirm';
  const error = errorOf(field);
  return (
    <>
      <h1>{t('privacy.title')}</h1>
      <p class="lead">{t('privacy.lead')}</p>
      <h2>{t('privacy.export.title')}</h2>
      <p>{t('privacy.export.text')}</p>
      <p>
        <a class="button secondary" href="/account/data.json" download>
          {t('privacy.export.button')}
        </a>
      </p>
      <h2>{t('privacy.delete.title')}</h2>
      <p>{t('privacy.delete.text')}</p>
      <Form ctx={ctx} action="/account/delete">
        <ErrorSummary ctx={ctx} errors={errors} />
        <div class={`field${error ? ' field-error' : ''}`}>
          <label for={field}>{hasPassword ? t('privacy.delete.password') : t('privacy.delete.confirm')}</label>
          {error ? (
            <span class="error-message" id={`${field}-error`}>
              {error}
            </span>
          ) : null}
          <input
            type={hasPassword ? 'password' : 'text'}
            id={field}
            name={field}
            autocomplete={hasPassword ? 'current-password' : 'off'}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? `${field}-error` : undefined}
          />
        </div>
        <button type="submit">{t('privacy.delete.button')}</button>
      </Form>
    </>
  );
}

export function DeletedPage({ ctx }: { ctx: ViewContext }) {
  return (
    <>
      <h1>{ctx.t('privacy.deleted.title')}</h1>
      <p class="lead">{ctx.t('privacy.deleted.text')}</p>
    </>
  );
}
