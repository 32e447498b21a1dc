import { h } from 'preact';
import type { FieldProblem } from '../../../http/errors.js';
import { LANGS } from '../../../i18n/types.js';
import { ErrorSummary, Form, Notice } from '../../../ui/components.js';
import type { ViewContext } from '../../../ui/context.js';
import { Choices, TextArea, TextField } from '../../../ui/fields.js';
import { pageTemplates } from '../../../ui/page-template.js';
import { renderPage } from '../../../ui/render.js';
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

const templates = pageTemplates(['csrf', 'user', 'email', 'givenName', 'familyName', 'birthdate', 'address', 'phone']);

/**
 * The whole account page. Shown without a form's errors (every visit), it comes from a template
 * (see `pageTemplates`): the resident's names, e-mail, birth date, address and phone, their display
 * name and the CSRF token are its values; the rest of the state is its shape.
 */
export function renderAccountPage(ctx: ViewContext, state: AccountState): string | Buffer {
  const title = ctx.t('identity.account.title');
  const user = ctx.user;
  if (state.profileForm || state.passwordForm || !user) return renderPage(ctx, title, h(AccountPage, { ctx, state }));
  // The identity attributes repeat the values (and their dates): the page reads neither them nor the id.
  const { id: _id, attributes: _attributes, email, givenName, familyName, birthdate, address, phone, ...rest } = state.profile;
  const values = { csrf: ctx.csrfToken, user: user.name, email, givenName, familyName, birthdate, address, phone };
  const shape = { lang: ctx.lang, path: ctx.path, kind: user.kind, state: { ...state, profile: rest } };
  return templates(shape, values, (v) => {
    const { lang, t, city, path, nav, footer } = ctx;
    const marked: ViewContext = { lang, t, city, path, nav, footer, csrfToken: v.csrf, user: { kind: user.kind, name: v.user } };
    const profile = { ...rest, id: '', attributes: {}, email: v.email, givenName: v.givenName, familyName: v.familyName };
    const filled = { ...profile, birthdate: v.birthdate, address: v.address, phone: v.phone };
    return renderPage(marked, title, h(AccountPage, { ctx: marked, state: { ...state, profile: filled } }));
  });
}
