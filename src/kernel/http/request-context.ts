import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { negotiateLang, type Translate } from '../i18n/i18n.js';
import type { Lang } from '../i18n/types.js';
import type { Kernel } from '../kernel.js';
import type { NavigationEntry } from '../modules.js';
import type { NavLink, ViewContext } from '../ui/context.js';
import { renderPage } from '../ui/render.js';
import { CSRF_FIELD, csrfTokenFor, ensureCsrfCookie } from './csrf.js';

export const LANG_COOKIE = 'lang';

declare module 'fastify' {
  interface FastifyRequest {
    /** The page language, resolved once per request (see `requestLang`). */
    civitasLang: Lang | null;
  }
  interface FastifyReply {
    /** Renders a full page in the city's layout, in the request's language. */
    page(title: string, body: VNode<any>, options?: { status?: number }): FastifyReply;
    /** The view context of this request, for rendering forms and fragments. */
    view(): ViewContext;
  }
}

/** ?lang= (remembered in a cookie), then the cookie, then Accept-Language, then the city's default. */
export function requestLang(request: FastifyRequest, reply: FastifyReply, fallback: Lang): Lang {
  if (request.civitasLang) return request.civitasLang;
  const query = (request.query as Record<string, unknown> | undefined)?.lang;
  const lang = negotiateLang(
    {
      query: typeof query === 'string' ? query : undefined,
      cookie: request.cookies?.[LANG_COOKIE],
      acceptLanguage: request.headers['accept-language'],
    },
    fallback,
  );
  if (typeof query === 'string' && query === lang && request.cookies?.[LANG_COOKIE] !== lang) {
    reply.setCookie(LANG_COOKIE, lang, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'lax', httpOnly: true });
  }
  request.civitasLang = lang;
  return lang;
}

function links(entries: NavigationEntry[], t: Translate, path: string): NavLink[] {
  return [...entries]
    .sort((a, b) => (a.order ?? 100) - (b.order ?? 100))
    .map((e) => ({ href: e.href, label: t(e.label), current: e.href === '/' ? path === '/' : path.startsWith(e.href) }));
}

export function buildViewContext(kernel: Kernel, request: FastifyRequest, reply: FastifyReply): ViewContext {
  const lang = requestLang(request, reply, kernel.config.city.defaultLanguage);
  const t = kernel.i18n.translator(lang);
  const path = request.url.split('?')[0] ?? '/';
  const csrfCookie = ensureCsrfCookie(request, reply, kernel.config.trustProxy && request.protocol === 'https');
  return {
    lang,
    t,
    city: kernel.config.city,
    path,
    nav: links(
      kernel.modules.flatMap((m) => m.navigation?.public ?? []),
      t,
      path,
    ),
    footer: links(
      kernel.modules.flatMap((m) => m.navigation?.footer ?? []),
      t,
      path,
    ),
    csrfToken: csrfTokenFor(kernel.secret, csrfCookie),
  };
}

export function decorateReplies(app: import('fastify').FastifyInstance, kernel: Kernel): void {
  app.decorateRequest('civitasLang', null);
  app.decorateReply('view', function (this: FastifyReply) {
    return buildViewContext(kernel, this.request, this);
  });
  app.decorateReply('page', function (this: FastifyReply, title: string, body: VNode<any>, options?: { status?: number }) {
    const ctx = buildViewContext(kernel, this.request, this);
    if (options?.status) this.status(options.status);
    this.header('cache-control', 'no-store');
    return this.type('text/html; charset=utf-8').send(renderPage(ctx, title, body));
  });
}

export { CSRF_FIELD };
