import { ErrorSummary, type FieldError, Form } from '../../../ui/components.js';
import type { ViewContext } from '../../../ui/context.js';
import { NewPasswordFields } from './new-password-fields.js';

/** A new agent's first password, from the link an administrator gave them. */
export function SetPasswordPage({ ctx, token, valid, errors }: { ctx: ViewContext; token: string; valid: boolean; errors: FieldError[] }) {
  const t = ctx.t;
  if (!valid) {
    return (
      <>
        <h1>{t('admin.setPassword.title')}</h1>
        <p class="lead">{t('admin.setPassword.invalid')}</p>
      </>
    );
  }
  return (
    <>
      <h1>{t('admin.setPassword.title')}</h1>
      <Form ctx={ctx} action="/admin/password">
        <ErrorSummary ctx={ctx} errors={errors} />
        <input type="hidden" name="token" value={token} />
        <NewPasswordFields ctx={ctx} errors={errors} />
        <button type="submit">{t('admin.setPassword.submit')}</button>
      </Form>
    </>
  );
}
