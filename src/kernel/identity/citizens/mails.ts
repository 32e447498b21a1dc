import type { Executor } from '../../db/transaction.js';
import type { Lang } from '../../i18n/types.js';
import type { Kernel } from '../../kernel.js';
import { composeMail } from '../../mail/compose.js';
import { queueMail } from '../../mail/queue.js';
import { absoluteUrl } from './links.js';

export type IdentityMail =
  | { kind: 'verify-email'; token: string }
  | { kind: 'reset-password'; token: string }
  /** Sent instead of a verification mail when someone signs up with an address that has an account. */
  | { kind: 'already-registered' }
  | { kind: 'password-changed' };

/** Each mail's message keys (identity.mail.<key>.*) and the page its button opens. */
function parts(mail: IdentityMail): { key: string; path: string } {
  switch (mail.kind) {
    case 'verify-email':
      return { key: 'verify', path: `/verify-email/${mail.token}` };
    case 'reset-password':
      return { key: 'reset', path: `/reset-password/${mail.token}` };
    case 'already-registered':
      return { key: 'exists', path: '/forgot-password' };
    case 'password-changed':
      return { key: 'passwordChanged', path: '/forgot-password' };
  }
}

/** Composes an identity mail in the recipient's language and queues it in the caller's transaction. */
export async function queueIdentityMail(kernel: Kernel, db: Executor, to: string, lang: Lang, mail: IdentityMail): Promise<void> {
  const t = kernel.i18n.translator(lang);
  const city = kernel.config.city.name[lang];
  const { key, path } = parts(mail);
  await queueMail(
    kernel,
    db,
    composeMail({
      to,
      lang,
      subject: t(`identity.mail.${key}.subject`, { city }),
      paragraphs: [t('identity.mail.greeting'), t(`identity.mail.${key}.body`, { city })],
      action: { label: t(`identity.mail.${key}.action`), url: absoluteUrl(kernel.config, path) },
      after: [t(`identity.mail.${key}.after`)],
      signature: t('identity.mail.signature', { city }),
    }),
  );
}
