import type { Config } from '../../config/schema.js';

/**
 * An absolute address on this site, for mails and OpenID Connect callbacks. It comes from
 * `publicUrl`, never from the request's Host header: a forged Host must not turn a reset mail into
 * a link to someone else's site. Without `publicUrl` (development), the address the server listens on.
 */
export function absoluteUrl(config: Pick<Config, 'publicUrl' | 'host' | 'port'>, path: string): string {
  const base = config.publicUrl ?? `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${config.port}`;
  return `${base.replace(/\/+$/, '')}${path}`;
}

/**
 * Where to go after logging in: only a path of this site ("/account?tab=1"), never another site
 * ("//evil.example", "https://…", "/\\evil.example"), so the login page cannot be an open redirect.
 */
export function safeNext(raw: unknown, fallback = '/account'): string {
  if (typeof raw !== 'string' || raw.length > 500 || !raw.startsWith('/') || raw.startsWith('//')) return fallback;
  if (/[\\\s\p{Cc}]/u.test(raw)) return fallback;
  const url = new URL(raw, 'http://civitas.invalid');
  return url.origin === 'http://civitas.invalid' ? `${url.pathname}${url.search}${url.hash}` : fallback;
}
