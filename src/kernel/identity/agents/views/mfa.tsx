import type { FieldError } from '../../../ui/components.js';
import { ErrorSummary, Form } from '../../../ui/components.js';
import type { ViewContext } from '../../../ui/context.js';
import { TextField } from '../../../ui/fields.js';

function NextField({ next }: { next?: string }) {
  return next ? <input type="hidden" name="next" value={next} /> : null;
}

/** Setting up TOTP: the QR code, the same secret as text for typing by hand, then a first code. */
export function MfaSetupPage(props: { ctx: ViewContext; qrCode: string; secret: string; errors: FieldError[]; next?: string }) {
  const { ctx, errors } = props;
  const t = ctx.t;
  return (
    <>
      <h1>{t('admin.mfa.setup.title')}</h1>
      <p class="lead">{t('admin.mfa.setup.lead')}</p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <ol>
        <li>{t('admin.mfa.setup.stepApp')}</li>
        <li>
          {t('admin.mfa.setup.stepScan')}
          <br />
          <img src={props.qrCode} alt={t('admin.mfa.setup.qrAlt')} width={200} height={200} />
        </li>
        <li>
          {t('admin.mfa.setup.stepManual')} <code>{props.secret.replace(/(.{4})(?=.)/g, '$1 ')}</code>
        </li>
        <li>{t('admin.mfa.setup.stepCode')}</li>
      </ol>
      <Form ctx={ctx} action="/admin/mfa/setup">
        <NextField next={props.next} />
        <TextField
          name="code"
          label={t('admin.fields.totp')}
          hint={t('admin.mfa.codeHint')}
          inputMode="numeric"
          autocomplete="one-time-code"
          maxLength={6}
          errors={errors}
        />
        <button type="submit">{t('admin.mfa.setup.submit')}</button>
      </Form>
    </>
  );
}

/** Shown once, right after set-up: only hashes are kept, so these cannot be shown again. */
export function RecoveryCodesPage({ ctx, codes, next }: { ctx: ViewContext; codes: string[]; next: string }) {
  const t = ctx.t;
  return (
    <>
      <h1>{t('admin.mfa.codes.title')}</h1>
      <p class="lead">{t('admin.mfa.codes.lead', { count: codes.length })}</p>
      <ul class="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <p>{t('admin.mfa.codes.once')}</p>
      <p>
        <a class="button" href={next}>
          {t('admin.mfa.codes.continue')}
        </a>
      </p>
    </>
  );
}

export function MfaVerifyPage({ ctx, errors, next }: { ctx: ViewContext; errors: FieldError[]; next?: string }) {
  const t = ctx.t;
  return (
    <>
      <h1>{t('admin.mfa.verify.title')}</h1>
      <p class="lead">{t('admin.mfa.verify.lead')}</p>
      <Form ctx={ctx} action="/admin/mfa">
        <ErrorSummary ctx={ctx} errors={errors} />
        <NextField next={next} />
        <TextField
          name="code"
          label={t('admin.fields.totpOrRecovery')}
          hint={t('admin.mfa.verify.hint')}
          autocomplete="one-time-code"
          maxLength={40}
          errors={errors}
        />
        <button type="submit">{t('admin.mfa.verify.submit')}</button>
      </Form>
    </>
  );
}
