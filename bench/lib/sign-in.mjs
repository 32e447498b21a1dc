// Signing in through the real login forms (GET for the CSRF cookie and token, then POST), as a
// browser does; returns the headers a browser then sends: the session and the CSRF cookies.
import { DEMO_PASSWORD } from '../../dist/kernel/identity/demo.js';

/** `path`: '/login' for residents, '/admin/login' for agents. */
export async function signIn(ctx, { path, email, password = DEMO_PASSWORD }) {
  const page = await ctx.fetch(path);
  const csrfCookie = /civitas_csrf=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1];
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrfCookie || !token) throw new Error(`bench: ${path} gave no CSRF cookie or token`);
  const res = await ctx.fetch(path, {
    method: 'POST',
    body: new URLSearchParams({ email, password, _csrf: token }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `civitas_csrf=${csrfCookie}` },
    redirect: 'manual',
  });
  const session = /civitas_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (!session) throw new Error(`bench: sign-in of ${email} at ${path} failed (${res.status})`);
  // Without the CSRF cookie, every page with a form would mint a new one, which a browser does once.
  return { headers: { cookie: `civitas_session=${session}; civitas_csrf=${csrfCookie}` } };
}
