import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { csrfCookieAndToken } from '../../support/csrf.js';
import { multipartBody } from '../../support/multipart.js';

/** A camera photo carrying its GPS position in EXIF, as phones send them. */
export function photoWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 320, height: 240, channels: 3, background: '#7a5230' } })
    .jpeg()
    .withExif({ IFD0: { Make: 'Phone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2400/100' } })
    .toBuffer();
}

/**
 * A resident walking the report form like a browser without JavaScript: the CSRF cookie and token
 * of the first page, the session cookie when signed in, and the sealed draft of the last page.
 */
export class FormWalker {
  cookie = '';
  token = '';
  draft = '';
  last = '';

  constructor(
    private readonly app: FastifyInstance,
    private readonly session = '',
  ) {}

  private cookies(): string {
    return [this.cookie, this.session].filter(Boolean).join('; ');
  }

  async start(url = '/reports/new') {
    const { cookie, token } = await csrfCookieAndToken(this.app, { url, headers: this.session ? { cookie: this.session } : {} });
    this.cookie = cookie;
    this.token = token;
    const res = await this.app.inject({ url, headers: { cookie: this.cookies() } });
    return this.keep(res);
  }

  private keep<T extends { body: string }>(res: T): T {
    this.last = res.body;
    const draft = /name="draft" value="([^"]+)"/.exec(res.body)?.[1];
    if (draft) this.draft = draft;
    return res;
  }

  async post(step: string, fields: Record<string, string>) {
    const res = await this.app.inject({
      method: 'POST',
      url: '/reports/new',
      headers: { cookie: this.cookies(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: this.token, draft: this.draft, step, ...fields }).toString(),
    });
    return this.keep(res);
  }

  async send(fields: Record<string, string>, files: Parameters<typeof multipartBody>[1] = []) {
    const { body, contentType } = multipartBody({ _csrf: this.token, draft: this.draft, step: 'details', ...fields }, files);
    const res = await this.app.inject({
      method: 'POST',
      url: '/reports/new',
      headers: { cookie: this.cookies(), 'content-type': contentType },
      payload: body,
    });
    return this.keep(res);
  }

  async follow(reportId: string, action: 'follow' | 'unfollow' = 'follow') {
    return this.app.inject({
      method: 'POST',
      url: `/reports/${reportId}/${action}`,
      headers: { cookie: this.cookies(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: this.token }).toString(),
    });
  }
}
