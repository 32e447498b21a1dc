import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../modules/catalogue.js';
import { catalogues } from '../boot.js';
import { createI18n, negotiateLang } from './i18n.js';
import { LANGS } from './types.js';

describe('negotiateLang', () => {
  it('prefers ?lang=, then the cookie, then Accept-Language, then the default', () => {
    expect(negotiateLang({ query: 'en', cookie: 'fr', acceptLanguage: 'fr' }, 'fr')).toBe('en');
    expect(negotiateLang({ cookie: 'en', acceptLanguage: 'fr' }, 'fr')).toBe('en');
    expect(negotiateLang({ acceptLanguage: 'de-DE,en-GB;q=0.8,fr;q=0.5' }, 'fr')).toBe('en');
    expect(negotiateLang({ acceptLanguage: 'en;q=0.2, fr;q=0.9' }, 'en')).toBe('fr');
    expect(negotiateLang({ acceptLanguage: 'de, it' }, 'fr')).toBe('fr');
    expect(negotiateLang({ query: 'xx', cookie: 'yy' }, 'en')).toBe('en');
  });

  it('always answers a supported language, whatever the header holds', () => {
    fc.assert(
      fc.property(fc.option(fc.string()), fc.option(fc.string()), fc.option(fc.string()), (query, cookie, accept) => {
        const lang = negotiateLang({ query: query ?? undefined, cookie: cookie ?? undefined, acceptLanguage: accept ?? undefined }, 'fr');
        expect(LANGS).toContain(lang);
      }),
    );
  });

  it('ignores languages with q=0', () => {
    expect(negotiateLang({ acceptLanguage: 'en;q=0, fr;q=0.1' }, 'en')).toBe('fr');
  });
});

describe('catalogues', () => {
  const all = catalogues(catalogue);

  it('are complete: every key of every shipped module exists in French and in English', () => {
    const i18n = createI18n(all, 'fr');
    expect(i18n.keys('en')).toEqual(i18n.keys('fr'));
    for (const key of i18n.keys('fr')) {
      expect(i18n.t('en', key).trim(), key).not.toBe('');
      expect(i18n.t('fr', key).trim(), key).not.toBe('');
    }
  });

  it('keep placeholders consistent between languages', () => {
    const i18n = createI18n(all, 'fr');
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of i18n.keys('fr')) expect(names(i18n.t('en', key)), key).toEqual(names(i18n.t('fr', key)));
  });

  it('refuse a key defined by two owners', () => {
    expect(() =>
      createI18n(
        [
          { owner: 'a', catalogue: { fr: { x: '1' }, en: { x: '1' } } },
          { owner: 'b', catalogue: { fr: { x: '2' }, en: { x: '2' } } },
        ],
        'fr',
      ),
    ).toThrow('Message "x" is defined by both a and b.');
  });

  it('interpolates named placeholders and shows an unknown key as itself', () => {
    const i18n = createI18n([{ owner: 'k', catalogue: { fr: { hi: 'Bonjour {name}' }, en: { hi: 'Hello {name}' } } }], 'fr');
    expect(i18n.t('en', 'hi', { name: 'Ada' })).toBe('Hello Ada');
    expect(i18n.t('fr', 'missing.key')).toBe('missing.key');
  });
});
