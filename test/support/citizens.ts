import { markEmailVerified, signUp } from '../../src/kernel/identity/citizens/signup.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import type { ReceivedMail } from './smtp.js';
import type { Visit, Visitor } from './visitor.js';

export const PASSWORD = 'correct horse battery staple';

/** A resident with a verified address, made through the domain functions (no mail to follow). */
export async function createCitizen(
  kernel: Kernel,
  email: string,
  password = PASSWORD,
  names = { givenName: 'Camille', familyName: 'Martin' },
): Promise<string> {
  await signUp(kernel, { email, password, ...names }, { lang: 'fr', ip: '127.0.0.1' });
  const account = await kernel.db
    .selectFrom('accounts')
    .select('id')
    .where('kind', '=', 'citizen')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  await markEmailVerified(kernel.db, account.id);
  // The verification mail queued by signUp is not needed: drop it so tests see only their own mails.
  await kernel.db.deleteFrom('jobs').where('name', '=', 'kernel:send-mail').execute();
  return account.id;
}

/** Logs a visitor in through the login form; returns the answer to the form post. */
export async function logIn(visitor: Visitor, email: string, password = PASSWORD, next?: string): Promise<Visit> {
  await visitor.get(next ? `/login?next=${encodeURIComponent(next)}` : '/login');
  return visitor.post(next ? `/login?next=${encodeURIComponent(next)}` : '/login', { email, password });
}

/** The first link of a mail's text part that starts with `prefix` (the app's public address). */
export function linkIn(mail: ReceivedMail | undefined, prefix: string): string {
  const link = mail?.text.split(/\s+/).find((word) => word.startsWith(prefix));
  if (!link) throw new Error(`No link to ${prefix} in mail ${mail?.subject}:\n${mail?.text}`);
  return link;
}
