import type { ComponentChildren } from 'preact';
import { LANGS } from '../i18n/types.js';
import type { ViewContext } from './context.js';

/** `path` has no query (see `pagePath`): the switch links to the same page in another language. */
function withLang(path: string, lang: string): string {
  return `${path}?lang=${lang}`;
}

function LanguageSwitch({ ctx }: { ctx: ViewContext }) {
  return (
    <nav class="lang-switch" aria-label={ctx.t('ui.language.label')}>
      <ul>
        {LANGS.map((lang) => (
          <li key={lang}>
            <a href={withLang(ctx.path, lang)} lang={lang} hrefLang={lang} aria-current={lang === ctx.lang ? 'true' : undefined}>
              {ctx.t(`ui.language.${lang}`)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function AccountLinks({ ctx }: { ctx: ViewContext }) {
  if (!ctx.user) {
    return (
      <a class="account-link" href="/login">
        {ctx.t('ui.account.login')}
      </a>
    );
  }
  return (
    <div class="account-links">
      {ctx.user.kind === 'citizen' ? (
        <a class="account-link" href="/account/demands">
          {ctx.t('demands.nav')}
        </a>
      ) : null}
      <a class="account-link" href={ctx.user.kind === 'agent' ? '/admin' : '/account'}>
        {ctx.user.kind === 'agent' ? ctx.t('ui.account.backOffice') : ctx.t('ui.account.mine')}
        <span class="visually-hidden"> ({ctx.user.name})</span>
      </a>
      <form method="post" action="/logout">
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        <button type="submit" class="link-button">
          {ctx.t('ui.account.logout')}
        </button>
      </form>
    </div>
  );
}

/** The one layout every page uses: skip link, header, navigation, main content, footer. */
export function Layout({ ctx, title, children }: { ctx: ViewContext; title: string; children: ComponentChildren }) {
  const cityName = ctx.city.name[ctx.lang];
  return (
    <html lang={ctx.lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} – ${cityName}`}</title>
        <link rel="stylesheet" href="/assets/civitas.css" />
        <link rel="stylesheet" href="/assets/theme.css" />
        <script src="/assets/civitas.js" defer />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {ctx.t('ui.skip')}
        </a>
        <header class="site-header">
          <div class="container header-inner">
            <a class="brand" href="/">
              {ctx.city.logo ? <img src="/assets/city/logo" alt="" width={40} height={40} /> : null}
              <span>{cityName}</span>
            </a>
            <div class="header-tools">
              <AccountLinks ctx={ctx} />
              <LanguageSwitch ctx={ctx} />
            </div>
          </div>
          {ctx.nav.length > 0 ? (
            <nav class="main-nav" aria-label={ctx.t('ui.nav.main')}>
              <ul class="container">
                {ctx.nav.map((link) => (
                  <li key={link.href}>
                    <a href={link.href} aria-current={link.current || undefined}>
                      {link.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
        </header>
        <main id="main" class="container" tabIndex={-1}>
          {children}
        </main>
        <footer class="site-footer">
          <div class="container">
            <p>{cityName}</p>
            <nav aria-label={ctx.t('ui.nav.footer')}>
              <ul>
                {ctx.footer.map((link) => (
                  <li key={link.href}>
                    <a href={link.href}>{link.label}</a>
                  </li>
                ))}
              </ul>
            </nav>
            <p class="powered">{ctx.t('ui.poweredBy')}</p>
          </div>
        </footer>
      </body>
    </html>
  );
}
