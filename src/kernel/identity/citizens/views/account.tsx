import type { FieldProblem } from '../../../http/errors.js';
import { LANGS } from '../../../i18n/types.js';
import { ErrorSummary, Form, Notice } from '../../../ui/components.js';
import type { ViewContext } from '../../../ui/context.js';
import { Choices, TextArea, TextField } from '../../../ui/fields.js';
import { LEVEL } from '../attributes.js';
import { CHANNELS, type Profile, type ProfileChanges } from '../profile.js';
import { LIMITS, PASSWORD_MIN } from '../validation.js';
import { errorOf, summaryOf } from './fields.js';

export interface AccountState {
  profile: Profile;
  hasPassword: boolean;
  /** A message key shown at the top ("identity.notice.…"). */
  notice?: string;
  /** Problems of the form that was just sent, with what was typed in it. */
  profileForm?: { problems: FieldProblem[]; values: ProfileChanges };
  passwordForm?: { problems: FieldProblem[] };
  /** Label of the identity provider ("FranceConnect"), for attributes it certified. */
  providerLabel: string;
}

function identityStatement(ctx: ViewContext, state: AccountState): string {
  if (state.profile.identityLevel >= LEVEL.identityProvider) return ctx.t('identity.account.levelProvider', { label: state.providerLabel });
  return ctx.t('identity.account.levelSelf');
}

function ProfileForm({ ctx, state }: { ctx: ViewContext; state: AccountState }) {
  const t = ctx.t;
  const problems = state.profileForm?.problems ?? [];
  const values = { ...state.profile, ...state.profileForm?.values };
  const error = (name: string) => errorOf(ctx, problems, name);
  const certified = (name: Profile['certified'][number]) => state.profile.certified.includes(name);
  const certifiedHint = t('identity.account.certified', { label: state.providerLabel });
  return (
    <Form ctx={ctx} action="/account/profile">
      <ErrorSummary ctx={ctx} errors={summaryOf(ctx, problems)} />
      <TextField
        name="givenName"
        label={t('identity.fields.givenName')}
        value={values.givenName}
        autocomplete="given-name"
        required
        maxLength={LIMITS.givenName}
        readOnly={certified('givenName')}
        hint={certified('givenName') ? certifiedHint : undefined}
        error={error('givenName')}
      />
      <TextField
        name="familyName"
        label={t('identity.fields.familyName')}
        value={values.familyName}
        autocomplete="family-name"
        required
        maxLength={LIMITS.familyName}
        readOnly={certified('familyName')}
        hint={certified('familyName') ? certifiedHint : undefined}
        error={error('familyName')}
      />
      <TextField
        name="birthdate"
        type="date"
        label={t('identity.fields.birthdate')}
        value={values.birthdate}
        autocomplete="bday"
        readOnly={certified('birthdate')}
        hint={certified('birthdate') ? certifiedHint : t('identity.fields.birthdateHint')}
        error={error('birthdate')}
      />
      <TextArea
        name="address"
        label={t('identity.fields.address')}
        hint={t('identity.fields.addressHint')}
        value={values.address}
        autocomplete="street-address"
        maxLength={LIMITS.address}
        error={error('address')}
      />
      <TextField
        name="phone"
        type="tel"
        label={t('identity.fields.phone')}
        hint={t('identity.fields.phoneHint')}
        value={values.phone}
        autocomplete="tel"
        maxLength={LIMITS.phone}
        error={error('phone')}
      />
      <Choices
        name="preferredLanguage"
        type="radio"
        label={t('identity.fields.language')}
        options={LANGS.map((lang) => ({ value: lang, label: t(`ui.language.${lang}`) }))}
        checked={[values.preferredLanguage ?? ctx.lang]}
        error={error('preferredLanguage')}
      />
      <Choices
        name="notificationChannels"
        type="checkbox"
        label={t('identity.fields.channels')}
        hint={t('identity.fields.channelsHint')}
        options={CHANNELS.map((channel) => ({ value: channel, label: t(`identity.channels.${channel}`) }))}
        checked={values.notificationChannels ?? []}
        error={error('notificationChannels')}
      />
      <button type="submit">{t('identity.account.save')}</button>
    </Form>
  );
}

function PasswordForm({ ctx, state }: { ctx: ViewContext; state: AccountState }) {
  const t = ctx.t;
  const problems = state.passwordForm?.problems ?? [];
  return (
    <Form ctx={ctx} action="/account/password">
      <ErrorSummary ctx={ctx} errors={summaryOf(ctx, problems)} />
      {/* For password managers: which account this new password belongs to. */}
      <input type="hidden" name="username" autoComplete="username" value={state.profile.email} />
      {state.hasPassword ? (
        <TextField
          name="currentPassword"
          type="password"
          label={t('identity.fields.currentPassword')}
          autocomplete="current-password"
          required
          maxLength={LIMITS.password}
          error={errorOf(ctx, problems, 'currentPassword')}
        />
      ) : (
        <p>{t('identity.account.noPasswordYet')}</p>
      )}
      <TextField
        name="newPassword"
        type="password"
        label={t('identity.fields.newPassword')}
        hint={t('identity.fields.newPasswordHint', { min: PASSWORD_MIN })}
        autocomplete="new-password"
        required
        maxLength={LIMITS.password}
        error={errorOf(ctx, problems, 'newPassword')}
      />
      <button type="submit">{t('identity.account.changePassword')}</button>
    </Form>
  );
}

export function AccountPage({ ctx, state }: { ctx: ViewContext; state: AccountState }) {
  const t = ctx.t;
  const { profile } = state;
  return (
    <>
      <h1>{t('identity.account.title')}</h1>
      {state.notice ? <Notice kind="success">{t(state.notice)}</Notice> : null}
      <section aria-labelledby="identity-title">
        <h2 id="identity-title">{t('identity.account.identity')}</h2>
        <dl>
          <dt>{t('identity.fields.email')}</dt>
          <dd>
            {profile.email} ({profile.emailVerified ? t('identity.account.emailVerified') : t('identity.account.emailUnverified')})
          </dd>
          <dt>{t('identity.account.level')}</dt>
          <dd>{identityStatement(ctx, state)}</dd>
        </dl>
      </section>
      <section id="profile" aria-labelledby="profile-title">
        <h2 id="profile-title">{t('identity.account.profile')}</h2>
        <ProfileForm ctx={ctx} state={state} />
      </section>
      <section id="password" aria-labelledby="password-title">
        <h2 id="password-title">{t('identity.account.password')}</h2>
        <PasswordForm ctx={ctx} state={state} />
      </section>
      <section id="sessions" aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t('identity.account.sessions')}</h2>
        <p>{t('identity.account.sessionsText')}</p>
        <Form ctx={ctx} action="/account/sessions/revoke">
          <button type="submit">{t('identity.account.logoutEverywhere')}</button>
        </Form>
      </section>
    </>
  );
}
