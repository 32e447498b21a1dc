import { type Executor, inTransaction } from '../../db/transaction.js';
import { newId, nowIso, toJson } from '../../db/values.js';
import type { Lang } from '../../i18n/types.js';
import type { Kernel } from '../../kernel.js';
import { normalizeEmail } from '../accounts.js';
import { audit } from '../audit.js';
import { LEVEL, recordAttributes } from '../citizens/attributes.js';
import { closeAllSessions } from '../sessions.js';

/** The claims FranceConnect gives for the scopes `openid profile email birth`. */
export const IDENTITY_CLAIMS = ['given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry'] as const;

export interface OidcIdentity {
  issuer: string;
  subject: string;
  acr: string | null;
  /** ID token and userinfo claims, merged. */
  claims: Record<string, unknown>;
}

/**
 * - returning: the provider's account was linked before;
 * - linked: first login, linked to the resident's account with the same, verified, e-mail;
 * - reclaimed: first login, an account with that e-mail existed but its owner never proved the
 *   address; it may have been opened by someone else to wait for the real owner, so it is handed to
 *   the provider's identity with its password, pending links and self-declared data wiped;
 * - created: first login, a new account.
 */
export type OidcOutcome = 'returning' | 'linked' | 'reclaimed' | 'created';
export type OidcRefusal = 'no-email' | 'email-conflict' | 'disabled';

function claim(claims: Record<string, unknown>, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' && value.trim() && value.length <= 300 ? value.trim() : undefined;
}

async function createAccount(db: Executor, email: string, verified: boolean, claims: Record<string, unknown>, lang: Lang): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('accounts')
    .values({
      id,
      kind: 'citizen',
      email,
      password_hash: null,
      display_name: [claim(claims, 'given_name'), claim(claims, 'family_name')].filter(Boolean).join(' ') || email,
      email_verified_at: verified ? now : null,
      preferred_lang: lang,
      notify_channels: toJson(['email', 'dashboard']),
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** Wipes what the unproven owner of an account set, before the provider's identity takes it. */
async function reclaim(db: Executor, accountId: string, lang: Lang): Promise<void> {
  const now = nowIso();
  await db
    .updateTable('accounts')
    .set({
      password_hash: null,
      email_verified_at: now,
      preferred_lang: lang,
      notify_channels: toJson(['email', 'dashboard']),
      updated_at: now,
    })
    .where('id', '=', accountId)
    .execute();
  await db.deleteFrom('identity_attributes').where('account_id', '=', accountId).execute();
  await db.deleteFrom('account_tokens').where('account_id', '=', accountId).execute();
  await closeAllSessions(db, accountId);
}

/** Finds or makes the account of a provider's identity (see `OidcOutcome`), links it, and records its attributes. */
async function resolveAccount(
  db: Executor,
  identity: OidcIdentity,
  lang: Lang,
): Promise<{ accountId: string; outcome: OidcOutcome } | { problem: OidcRefusal }> {
  const link = await db
    .selectFrom('oidc_links')
    .innerJoin('accounts', 'accounts.id', 'oidc_links.account_id')
    .select(['accounts.id', 'accounts.status'])
    .where('oidc_links.issuer', '=', identity.issuer)
    .where('oidc_links.subject', '=', identity.subject)
    .executeTakeFirst();
  if (link) return link.status === 'active' ? { accountId: link.id, outcome: 'returning' } : { problem: 'disabled' };

  const email = normalizeEmail(claim(identity.claims, 'email') ?? '');
  if (!email) return { problem: 'no-email' };
  const emailVerified = identity.claims.email_verified !== false;
  const existing = await db
    .selectFrom('accounts')
    .select(['id', 'status', 'email_verified_at'])
    .where('kind', '=', 'citizen')
    .where('email', '=', email)
    .executeTakeFirst();
  if (existing && existing.status !== 'active') return { problem: 'disabled' };
  if (existing && !emailVerified) return { problem: 'email-conflict' };
  // Another identity of this provider already owns the account: a second one with the same e-mail is someone else.
  const owned = existing
    ? await db
        .selectFrom('oidc_links')
        .select('subject')
        .where('account_id', '=', existing.id)
        .where('issuer', '=', identity.issuer)
        .executeTakeFirst()
    : undefined;
  if (owned) return { problem: 'email-conflict' };
  let accountId: string;
  let outcome: OidcOutcome;
  if (existing?.email_verified_at) {
    accountId = existing.id;
    outcome = 'linked';
  } else if (existing) {
    await reclaim(db, existing.id, lang);
    accountId = existing.id;
    outcome = 'reclaimed';
  } else {
    accountId = await createAccount(db, email, emailVerified, identity.claims, lang);
    outcome = 'created';
  }
  const now = nowIso();
  await db
    .insertInto('oidc_links')
    .values({
      issuer: identity.issuer,
      subject: identity.subject,
      account_id: accountId,
      acr: identity.acr,
      created_at: now,
      last_login_at: now,
    })
    .execute();
  return { accountId, outcome };
}

/**
 * Signs a resident in with a provider's identity: the account, its link, and the attributes the
 * provider asserted (source `oidc:<issuer>`, level 600), refreshed at each login.
 */
export async function oidcSignIn(
  kernel: Kernel,
  identity: OidcIdentity,
  context: { lang: Lang; ip: string | null },
): Promise<{ accountId: string; outcome: OidcOutcome } | { problem: OidcRefusal }> {
  return inTransaction(kernel.db, async (trx) => {
    const resolved = await resolveAccount(trx, identity, context.lang);
    if ('problem' in resolved) {
      await audit(trx, {
        actor: { kind: 'anonymous' },
        action: 'login.failed',
        ip: context.ip,
        details: { method: 'oidc', issuer: identity.issuer, reason: resolved.problem },
      });
      return resolved;
    }
    const now = nowIso();
    await trx
      .updateTable('oidc_links')
      .set({ acr: identity.acr, last_login_at: now })
      .where('issuer', '=', identity.issuer)
      .where('subject', '=', identity.subject)
      .execute();
    const account = await trx.selectFrom('accounts').select('email').where('id', '=', resolved.accountId).executeTakeFirstOrThrow();
    const values: Record<string, string | undefined> = Object.fromEntries(
      IDENTITY_CLAIMS.map((name) => [name, claim(identity.claims, name)]),
    );
    // The provider vouches for the account's address only if it is the same one.
    if (normalizeEmail(claim(identity.claims, 'email') ?? '') === account.email && identity.claims.email_verified !== false)
      values.email = account.email;
    await recordAttributes(trx, resolved.accountId, values, { source: `oidc:${identity.issuer}`, level: LEVEL.identityProvider });
    const name = [values.given_name, values.family_name].filter(Boolean).join(' ');
    if (name) await trx.updateTable('accounts').set({ display_name: name, updated_at: now }).where('id', '=', resolved.accountId).execute();
    return resolved;
  });
}
