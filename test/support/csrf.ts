import type { FastifyInstance } from 'fastify';

/** Loads a page like a browser would, returning its CSRF cookie and the token its forms carry. */
export async function csrfCookieAndToken(
  app: FastifyInstance,
  request: string | { url: string; headers: Record<string, string> },
): Promise<{ cookie: string; token: string }> {
  const url = typeof request === 'string' ? request : request.url;
  const res = await app.inject(request);
  const cookie = (res.cookies as { name: string; value: string }[]).find((c) => c.name === 'civitas_csrf');
  const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
  if (!cookie || !token) throw new Error(`${url} set no CSRF cookie or form token`);
  return { cookie: `civitas_csrf=${cookie.value}`, token };
}
