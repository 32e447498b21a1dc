import { type Executor, inTransaction } from '../../db/transaction.js';
import { newId, nowIso, toJson } from '../../db/values.js';
import type { FieldProblem } from '../../http/errors.js';
import type { Lang } from '../../i18n/types.js';
import type { Kernel } from '../../kernel.js';
import { audit } from '../audit.js';
import { hashPassword } from '../password.js';
import { consumeToken, issueToken, revokeTokens, type TokenProblem } from './account-tokens.js';
import { LEVEL, recordAttributes } from './attributes.js';
import { queueIdentityMail } from './mails.js';
import { asLang, emailProblems, field, nameProblems, newPasswordProblems } from './validation.js';

export interface SignupInput {
  /** Normalized (trimmed, lowercase). */
  email: string;
  password: string;
  givenName: string;
  familyName: string;
}

/** The sign-up form's fields, or what is wrong with them (message keys). */
export function parseSignupForm(body: Record<string, unknown>): { input: SignupInput } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const givenName = field(body, 'givenName');
  const familyName = field(body, 'familyName');
  nameProblems(givenName, 'givenName', problems);
  nameProblems(familyName, 'familyName', problems);
  const email = emailProblems(field(body, 'email'), problems);
  const password = typeof body.password === 'string' ? body.password : '';
  newPasswordProblems(password, problems);
  if (field(body, 'consent') !== 'yes') problems.push({ field: 'consent', message: 'identity.errors.consent' });
  if (problems.length || !email) return { problems };
  return { input: { email, password, givenName, familyName } };
}

/** Issues a verification link (replacing older ones) and queues the mail carrying it. */
export async function sendVerification(kernel: Kernel, db: Executor, account: { id: string; email: string; lang: Lang }): Promise<void> {
  await revokeTokens(db, account.id, 'verify-email');
  const token = await issueToken(db, account.id, 'verify-email');
  await queueIdentityMail(kernel, db, account.email, account.lang, { kind: 'verify-email', token });
}

/**
 * Creates a resident's account, unverified, and mails the verification link. When the address
 * already has an account, its owner gets a mail saying so instead, and the caller answers the same
 * way: the sign-up form does not tell who has an account. Both paths hash the password, so they
 * take the same time.
 */
export async function signUp(kernel: Kernel, input: SignupInput, context: { lang: Lang; ip: string | null }): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  await inTransaction(kernel.db, async (trx) => {
    const now = nowIso();
    const id = newId();
    // ON CONFLICT rather than a lookup first: two simultaneous sign-ups cannot both create the account.
    const created = await trx
      .insertInto('accounts')
      .values({
        id,
        kind: 'citizen',
        email: input.email,
        password_hash: passwordHash,
        display_name: `${input.givenName} ${input.familyName}`,
        email_verified_at: null,
        preferred_lang: context.lang,
        notify_channels: toJson(['email', 'dashboard']),
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(['kind', 'email']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!created) {
      const existing = await trx
        .selectFrom('accounts')
        .select('preferred_lang')
        .where('kind', '=', 'citizen')
        .where('email', '=', input.email)
        .executeTakeFirstOrThrow();
      await queueIdentityMail(kernel, trx, input.email, asLang(existing.preferred_lang, context.lang), { kind: 'already-registered' });
      return;
    }
    await recordAttributes(
      trx,
      id,
      { given_name: input.givenName, family_name: input.familyName, email: input.email },
      { source: 'self', level: LEVEL.self },
    );
    await sendVerification(kernel, trx, { id, email: input.email, lang: context.lang });
    await audit(trx, {
      actor: { kind: 'system', label: 'signup' },
      action: 'signup',
      resourceType: 'account',
      resourceId: id,
      ip: context.ip,
      details: { privacyNotice: 'accepted' },
    });
  });
}

/** Marks the address of a verification link as verified; the link then works no more. */
export async function verifyEmail(
  kernel: Kernel,
  token: string,
  context: { ip: string | null },
): Promise<{ ok: true } | { problem: TokenProblem }> {
  return inTransaction(kernel.db, async (trx) => {
    const used = await consumeToken(trx, token, 'verify-email');
    if ('problem' in used) return used;
    await markEmailVerified(trx, used.accountId);
    await audit(trx, {
      actor: { kind: 'system', label: 'verify-email' },
      action: 'email.verified',
      resourceType: 'account',
      resourceId: used.accountId,
      ip: context.ip,
    });
    return { ok: true as const };
  });
}

/** A link that reached the mailbox proves the address: verification and password reset both say so. */
export async function markEmailVerified(db: Executor, accountId: string): Promise<void> {
  const account = await db
    .selectFrom('accounts')
    .select(['email', 'email_verified_at'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  if (account.email_verified_at) return;
  const now = nowIso();
  await db.updateTable('accounts').set({ email_verified_at: now, updated_at: now }).where('id', '=', accountId).execute();
  await recordAttributes(db, accountId, { email: account.email }, { source: 'email', level: LEVEL.emailVerified });
}
