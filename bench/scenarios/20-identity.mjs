// Identity scenarios: what a signed-in resident costs (the session is read from the database on
// every request). Each setup logs the demo resident in through the real login form.
import { signIn as signInAt } from '../lib/sign-in.mjs';

export const signIn = (ctx) => signInAt(ctx, { path: '/login', email: 'camille.martin@example.org' });

export default [
  { name: 'account page (signed in)', path: '/account', target: 0.4, setup: signIn },
  { name: 'api me (signed in)', path: '/api/v1/me', target: 0.4, setup: signIn },
];
