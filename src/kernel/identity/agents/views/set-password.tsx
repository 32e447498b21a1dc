import { ErrorSummary, type FieldError, Form } from '../../../ui/components.js';
import type { ViewContext } from '../../../ui/context.js';
import { TextField } from '../../../ui/fields.js';

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
        <TextField
          name="new_password"
          type="password"
          label={t('admin.fields.newPassword')}
          hint={t('admin.fields.passwordHint')}
          autocomplete="new-password"
          errors={errors}
        />
        <TextField
          name="confirm_password"
          type="password"
          label={t('admin.fields.confirmPassword')}
          autocomplete="new-password"
          errors={errors}
        />
        <button type="submit">{t('admin.setPassword.submit')}</button>
      </Form>
    </>
  );
}
