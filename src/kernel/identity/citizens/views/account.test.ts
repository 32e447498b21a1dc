import fc from 'fast-check';
import { h } from 'preact';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../../../modules/catalogue.js';
import { catalogues } from '../../../boot.js';
import { loadConfig } from '../../../config/load.js';
import { createI18n } from '../../../i18n/i18n.js';
import { LANGS } from '../../../i18n/types.js';
import type { ViewContext } from '../../../ui/context.js';
import { renderPage } from '../../../ui/render.js';
import { LEVEL } from '../attributes.js';
import { CHANNELS, type Profile } from '../profile.js';
import { AccountPage, type AccountState, renderAccountPage } from './account.js';

const i18n = createI18n(catalogues(catalogue), 'fr');
const city = loadConfig({ env: {} }).config.city;

const ctxOf = (lang: (typeof LANGS)[number], name: string, csrfToken: string): ViewContext => ({
  lang,
  t: i18n.translator(lang),
  city,
  path: '/account',
  nav: [{ href: '/account', label: 'Compte', current: 'page' }],
  footer: [],
  csrfToken,
  user: { kind: 'citizen', name },
});

const text = fc.oneof(fc.constant(''), fc.string({ maxLength: 30 }), fc.constantFrom('<b>"&amp;\'', 'Zoé Lefèvre'));
const fields = ['givenName', 'familyName', 'birthdate'] as const;
const states = fc.record({
  lang: fc.constantFrom(...LANGS),
  name: text,
  csrf: fc.string({ minLength: 1, maxLength: 50 }),
  email: text,
  givenName: text,
  familyName: text,
  birthdate: text,
  address: text,
  phone: text,
  emailVerified: fc.boolean(),
  provider: fc.boolean(),
  certified: fc.subarray([...fields]),
  preferredLanguage: fc.constantFrom(...LANGS),
  notificationChannels: fc.subarray([...CHANNELS]),
  hasPassword: fc.boolean(),
  notice: fc.constantFrom(undefined, 'identity.notice.profileSaved'),
});

describe('the account page from its template', () => {
  it('is the page a direct rendering gives, for any resident and state', () => {
    fc.assert(
      fc.property(states, (s) => {
        const profile: Profile & { hasPassword: boolean } = {
          id: 'acc-1',
          email: s.email,
          emailVerified: s.emailVerified,
          givenName: s.givenName,
          familyName: s.familyName,
          birthdate: s.birthdate,
          address: s.address,
          phone: s.phone,
          preferredLanguage: s.preferredLanguage,
          notificationChannels: s.notificationChannels,
          identityLevel: s.provider ? LEVEL.identityProvider : LEVEL.self,
          certified: s.certified,
          attributes: {},
          hasPassword: s.hasPassword,
        };
        const state: AccountState = { profile, hasPassword: s.hasPassword, providerLabel: 'FranceConnect', notice: s.notice };
        const ctx = ctxOf(s.lang, s.name, s.csrf);
        const expected = renderPage(ctx, ctx.t('identity.account.title'), h(AccountPage, { ctx, state }));
        expect(renderAccountPage(ctx, state).toString()).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('shows one resident’s values only to them: two residents of the same shape get their own', () => {
    const base = ctxOf('fr', 'Camille', 'token-a');
    const profile = (email: string, givenName: string): AccountState['profile'] => ({
      id: email,
      email,
      emailVerified: true,
      givenName,
      familyName: 'Martin',
      birthdate: '1990-01-01',
      address: '1 rue de Rivoli',
      phone: '',
      preferredLanguage: 'fr',
      notificationChannels: ['email'],
      identityLevel: LEVEL.emailVerified,
      certified: [],
      attributes: {},
    });
    const camille = renderAccountPage(base, {
      profile: profile('camille@example.org', 'Camille'),
      hasPassword: true,
      providerLabel: 'FC',
    }).toString();
    const other = renderAccountPage(
      { ...base, csrfToken: 'token-b', user: { kind: 'citizen', name: 'Zoé' } },
      { profile: profile('zoe@example.org', 'Zoé'), hasPassword: true, providerLabel: 'FC' },
    ).toString();
    expect(camille).toContain('camille@example.org');
    expect(other).toContain('zoe@example.org');
    expect(other).toContain('value="Zoé"');
    expect(other).toContain('token-b');
    expect(other).not.toContain('camille@example.org');
    expect(other).not.toContain('token-a');
  });
});
