// Identity scenarios: what a signed-in resident costs (the session is read from the database on
// every request). Each setup logs the demo resident in through the real login form.
import { DEMO_PASSWORD } from '../../dist/kernel/identity/demo.js';

export async function signIn(ctx) {
  const page = await ctx.fetch('/login');
  const csrfCookie = /civitas_csrf=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1];
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrfCookie || !token) throw new Error('bench: /login gave no CSRF cookie or token');
  const body = new URLSearchParams({ email: 'camille.martin@example.org', password: DEMO_PASSWORD, _csrf: token });
  const res = await ctx.fetch('/login', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `civitas_csrf=${csrfCookie}` },
    redirect: 'manual',
  });
  const session = /civitas_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (!session) throw new Error(`bench: demo resident login failed (${res.status})`);
  return { headers: { cookie: `civitas_session=${session}` } };
}

export default [
  { name: 'account page (signed in)', path: '/account', target: 0.4, setup: signIn },
  { name: 'api me (signed in)', path: '/api/v1/me', target: 0.4, setup: signIn },
];
