import { formatDateTime } from '../../../i18n/format.js';
import { ErrorSummary, type FieldError, Form, Notice } from '../../../ui/components.js';
import type { ViewContext } from '../../../ui/context.js';
import { TextField } from '../../../ui/fields.js';
import { NewPasswordFields } from './new-password-fields.js';

export interface OwnAccount {
  email: string;
  displayName: string;
  totpEnabledAt: string | null;
  recoveryCodesLeft: number;
}

/** The agent's own account: password, and the second factor (which cannot be turned off when mandatory, only reset). */
export function AccountPage(props: { ctx: ViewContext; account: OwnAccount; mandatory: boolean; errors: FieldError[]; notice?: string }) {
  const { ctx, account, errors } = props;
  const t = ctx.t;
  return (
    <>
      <h1>{t('admin.account.title')}</h1>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      <ErrorSummary ctx={ctx} errors={errors} />
      <dl>
        <dt>{t('admin.fields.displayName')}</dt>
        <dd>{account.displayName}</dd>
        <dt>{t('admin.fields.email')}</dt>
        <dd>{account.email}</dd>
      </dl>

      <h2>{t('admin.account.password')}</h2>
      <Form ctx={ctx} action="/admin/account/password">
        <TextField
          name="current_password"
          type="password"
          label={t('admin.fields.currentPassword')}
          autocomplete="current-password"
          errors={errors}
        />
        <NewPasswordFields ctx={ctx} errors={errors} />
        <button type="submit">{t('admin.account.changePassword')}</button>
      </Form>

      <h2>{t('admin.account.mfa')}</h2>
      {account.totpEnabledAt ? (
        <>
          <p>
            {t('admin.account.mfaOn', { date: formatDateTime(ctx.lang, account.totpEnabledAt, ctx.city.timezone) })}{' '}
            {t('admin.account.codesLeft', { count: account.recoveryCodesLeft })}
          </p>
          <Form ctx={ctx} action="/admin/account/mfa/disable">
            <TextField
              name="disable_password"
              type="password"
              label={t('admin.fields.currentPassword')}
              hint={t(props.mandatory ? 'admin.account.resetHint' : 'admin.account.disableHint')}
              autocomplete="current-password"
              errors={errors}
            />
            <button type="submit" class="secondary">
              {t(props.mandatory ? 'admin.account.resetMfa' : 'admin.account.disableMfa')}
            </button>
          </Form>
        </>
      ) : (
        <>
          <p>{t('admin.account.mfaOff')}</p>
          <p>
            <a class="button" href="/admin/mfa/setup">
              {t('admin.account.setUpMfa')}
            </a>
          </p>
        </>
      )}
    </>
  );
}
