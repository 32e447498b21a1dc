import type { FieldError } from '../../../ui/components.js';
import type { ViewContext } from '../../../ui/context.js';
import { TextField } from '../../../ui/fields.js';

/** A new password and its confirmation: set by a new agent, or changed on the agent's own account. */
export function NewPasswordFields({ ctx, errors }: { ctx: ViewContext; errors: FieldError[] }) {
  return (
    <>
      <TextField
        name="new_password"
        type="password"
        label={ctx.t('admin.fields.newPassword')}
        hint={ctx.t('admin.fields.passwordHint')}
        autocomplete="new-password"
        errors={errors}
      />
      <TextField
        name="confirm_password"
        type="password"
        label={ctx.t('admin.fields.confirmPassword')}
        autocomplete="new-password"
        errors={errors}
      />
    </>
  );
}
