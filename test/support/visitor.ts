import type { FastifyInstance } from 'fastify';
import { multipartBody } from './multipart.js';

export interface Visit {
  status: number;
  url: string;
  headers: Record<string, string>;
  body: string;
  location: string | undefined;
}

/** The cookie name/value pairs of a Set-Cookie list; an emptied or expired cookie is a deletion (value undefined). */
function parseSetCookies(list: string[]): [string, string | undefined][] {
  return list.map((line) => {
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attributes.some((a) => {
      const [k = '', v = ''] = a.trim().split('=');
      return (k.toLowerCase() === 'expires' && Date.parse(v) < Date.now()) || (k.toLowerCase() === 'max-age' && Number(v) <= 0);
    });
    return [name, value && !expired ? value : undefined];
  });
}

/**
 * A browser without JavaScript, for tests: keeps cookies per host, sends the CSRF token of the last
 * page it saw with each form, follows redirects on request. Requests to the app (`appOrigin`, or a
 * bare path) go through `app.inject`; others (an identity provider on loopback) through fetch.
 */
export class Visitor {
  private readonly jars = new Map<string, Map<string, string>>();
  /** The `_csrf` value of the last page that had a form. */
  csrfToken: string | undefined;

  constructor(
    private readonly app: FastifyInstance,
    private readonly options: { appOrigin?: string; ip?: string; lang?: string } = {},
  ) {}

  private get appOrigin(): string {
    return this.options.appOrigin ?? 'http://civitas.test';
  }

  jar(host = new URL(this.appOrigin).host): Map<string, string> {
    const jar = this.jars.get(host) ?? new Map<string, string>();
    this.jars.set(host, jar);
    return jar;
  }

  cookie(name: string): string | undefined {
    return this.jar().get(name);
  }

  setCookie(name: string, value: string): void {
    this.jar().set(name, value);
  }

  private cookieHeader(host: string): string {
    return [...this.jar(host)].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(host: string, setCookies: string[], body: string): void {
    for (const [name, value] of parseSetCookies(setCookies)) {
      if (value === undefined) this.jar(host).delete(name);
      else this.jar(host).set(name, value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
    if (token) this.csrfToken = token;
  }

  async request(
    method: string,
    target: string,
    init: { form?: Record<string, string | string[]>; json?: unknown; multipart?: { body: Buffer; contentType: string } } = {},
  ): Promise<Visit> {
    const url = new URL(target, this.appOrigin);
    const headers: Record<string, string> = { accept: 'text/html', cookie: this.cookieHeader(url.host) };
    if (this.options.lang) headers['accept-language'] = this.options.lang;
    let payload: string | Buffer | undefined;
    if (init.multipart) {
      payload = init.multipart.body;
      headers['content-type'] = init.multipart.contentType;
    } else if (init.form) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(init.form)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
      payload = params.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (init.json !== undefined) {
      payload = JSON.stringify(init.json);
      headers['content-type'] = 'application/json';
      headers.accept = 'application/json';
    }
    if (url.origin === new URL(this.appOrigin).origin) {
      const res = await this.app.inject({
        method: method as 'GET',
        url: url.pathname + url.search,
        headers,
        payload,
        ...(this.options.ip ? { remoteAddress: this.options.ip } : {}),
      });
      const set = res.headers['set-cookie'];
      const body = res.body;
      this.remember(url.host, set === undefined ? [] : Array.isArray(set) ? set : [set], body);
      const flat = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]));
      return { status: res.statusCode, url: url.href, headers: flat, body, location: res.headers.location as string | undefined };
    }
    const res = await fetch(url, { method, headers, body: payload as BodyInit | undefined, redirect: 'manual' });
    const body = await res.text();
    this.remember(url.host, res.headers.getSetCookie(), body);
    const location = res.headers.get('location') ?? undefined;
    const flat: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      flat[name] = value;
    });
    return { status: res.status, url: url.href, headers: flat, body, location: location && new URL(location, url).href };
  }

  get(url: string): Promise<Visit> {
    return this.request('GET', url);
  }

  /** Posts a form with the CSRF token of the last page seen (unless `_csrf` is given, or `csrf: false`). */
  post(url: string, fields: Record<string, string | string[]> = {}, options: { csrf?: boolean } = {}): Promise<Visit> {
    const form = options.csrf === false || '_csrf' in fields ? fields : { _csrf: this.csrfToken ?? '', ...fields };
    return this.request('POST', url, { form });
  }

  /** Posts a form with file inputs as a browser does (multipart/form-data), with the last page's CSRF token. */
  postMultipart(
    url: string,
    fields: Record<string, string>,
    files: Record<string, { name: string; type: string; data: Buffer }> = {},
  ): Promise<Visit> {
    const list = Object.entries(files).map(([name, f]) => ({ name, filename: f.name, type: f.type, data: f.data }));
    return this.request('POST', url, { multipart: multipartBody({ _csrf: this.csrfToken ?? '', ...fields }, list) });
  }

  /** Follows redirects (GET, as browsers do after 303) until a page answers. */
  async follow(visit: Visit, maxHops = 10): Promise<Visit> {
    let current = visit;
    for (let hop = 0; current.location && current.status >= 300 && current.status < 400; hop++) {
      if (hop >= maxHops) throw new Error(`Too many redirects from ${visit.url}`);
      current = await this.get(new URL(current.location, current.url).href);
    }
    return current;
  }
}
