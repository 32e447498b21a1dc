import type { Executor } from '../db/transaction.js';
import { fromJson } from '../db/values.js';
import { LANGS, type Lang } from '../i18n/types.js';
import { normalizeEmail } from '../identity/accounts.js';
import type { Channel } from './status.js';

/** Whom a notification goes to, as the account says now. */
export interface Recipient {
  /** Why nothing but a visible failure can be recorded: no such account, or an erased one. */
  unreachable: 'unknown-account' | 'account-deleted' | null;
  language: Lang;
  /** Usable address, or null (none, or one that is not an address). */
  email: string | null;
  phone: string | null;
  /** The channels the person accepts, as chosen in their profile. */
  accepts: Channel[];
}

export async function resolveRecipient(db: Executor, accountId: string, fallbackLang: Lang): Promise<Recipient> {
  const account = await db
    .selectFrom('accounts')
    .leftJoin('identity_attributes as phone', (join) => join.onRef('phone.account_id', '=', 'accounts.id').on('phone.name', '=', 'phone'))
    .select(['accounts.email', 'accounts.status', 'accounts.preferred_lang', 'accounts.notify_channels', 'phone.value as phone'])
    .where('accounts.id', '=', accountId)
    .executeTakeFirst();
  const nobody = { language: fallbackLang, email: null, phone: null, accepts: [] };
  if (!account) return { unreachable: 'unknown-account', ...nobody };
  if (account.status === 'deleted') return { unreachable: 'account-deleted', ...nobody };
  const lang = LANGS.find((l) => l === account.preferred_lang) ?? fallbackLang;
  return {
    unreachable: null,
    language: lang,
    email: normalizeEmail(account.email) ?? null,
    phone: account.phone?.trim() || null,
    accepts: fromJson<Channel[]>(account.notify_channels, []),
  };
}
