import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { nowIso } from '../../db/values.js';
import { audit } from '../audit.js';
import { closeAllSessions, markMfaPassed } from '../sessions.js';
import type { Acting } from './acting.js';
import { confirmPassword } from './own-account.js';
import { consumeRecoveryCode, newRecoveryCodes } from './recovery-codes.js';
import { forgetFailures, isThrottled, recordFailure } from './throttle.js';
import { claimStep, matchingStep, newTotpSecret } from './totp.js';

const counterOf = (who: Acting, max: number) => ({ key: `admin-mfa:acct:${who.actor.account.id}`, max });

/**
 * The secret being set up, or null once TOTP is enabled. It is kept in the account until confirmed,
 * so that reloading the page shows the QR code the app may already have scanned.
 */
export async function pendingTotpSecret(db: Db, accountId: string): Promise<string | null> {
  const row = await db
    .selectFrom('accounts')
    .select(['totp_secret', 'totp_enabled_at'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  if (row.totp_enabled_at) return null;
  if (row.totp_secret) return row.totp_secret;
  // Two tabs loading the page at once must end up with the same secret: only the first write wins.
  await db
    .updateTable('accounts')
    .set({ totp_secret: newTotpSecret() })
    .where('id', '=', accountId)
    .where('totp_secret', 'is', null)
    .execute();
  return pendingTotpSecret(db, accountId);
}

export type MfaOutcome<T> = { ok: true; value: T } | { ok: false; reason: 'invalid' | 'throttled' };

/**
 * Confirms the set-up with a code from the app: enables TOTP, passes the second factor for this
 * session, and returns the recovery codes to show once (only their hashes are kept).
 */
export async function enableTotp(db: Db, who: Acting, code: string, maxFailures: number): Promise<MfaOutcome<string[]>> {
  const counter = counterOf(who, maxFailures);
  if (await isThrottled(db, [counter])) return { ok: false, reason: 'throttled' };
  const accountId = who.actor.account.id;
  const secret = await pendingTotpSecret(db, accountId);
  const step = secret ? matchingStep(secret, code.trim()) : null;
  const codes =
    secret && step !== null
      ? await inTransaction(db, async (trx) => {
          if (!(await claimStep(trx, accountId, step))) return null;
          const { codes, stored } = newRecoveryCodes();
          const enabled = await trx
            .updateTable('accounts')
            .set({ totp_enabled_at: nowIso(), recovery_codes: stored, updated_at: nowIso() })
            .where('id', '=', accountId)
            .where('totp_enabled_at', 'is', null)
            .where('totp_secret', '=', secret)
            .executeTakeFirst();
          if (enabled.numUpdatedRows !== 1n) return null;
          await markMfaPassed(trx, who.actor.session.id);
          await audit(trx, { actor: who.actor, action: 'mfa.enable', resourceType: 'account', resourceId: accountId, ip: who.ip });
          return codes;
        })
      : null;
  if (!codes) {
    await recordFailure(db, [counter]);
    return { ok: false, reason: 'invalid' };
  }
  await forgetFailures(db, counter.key);
  return { ok: true, value: codes };
}

/**
 * The second step of a login: a current TOTP code (each time step accepted once) or one of the
 * recovery codes (each accepted once). Wrong codes are throttled per account.
 */
export async function passSecondFactor(db: Db, who: Acting, input: string, maxFailures: number): Promise<MfaOutcome<'totp' | 'recovery'>> {
  const counter = counterOf(who, maxFailures);
  if (await isThrottled(db, [counter])) return { ok: false, reason: 'throttled' };
  const accountId = who.actor.account.id;
  const row = await db
    .selectFrom('accounts')
    .select(['totp_secret', 'totp_enabled_at'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  const code = input.trim();
  const method = /^\d{6}$/.test(code) ? 'totp' : 'recovery';
  const passed =
    !!row.totp_enabled_at &&
    !!row.totp_secret &&
    (await inTransaction(db, async (trx) => {
      const step = method === 'totp' ? matchingStep(row.totp_secret as string, code) : null;
      const accepted =
        method === 'totp' ? step !== null && (await claimStep(trx, accountId, step)) : await consumeRecoveryCode(trx, accountId, code);
      if (!accepted) return false;
      await markMfaPassed(trx, who.actor.session.id);
      await audit(trx, {
        actor: who.actor,
        action: 'mfa.passed',
        resourceType: 'account',
        resourceId: accountId,
        ip: who.ip,
        details: { method },
      });
      return true;
    }));
  if (!passed) {
    await recordFailure(db, [counter]);
    await audit(db, {
      actor: who.actor,
      action: 'mfa.failed',
      resourceType: 'account',
      resourceId: accountId,
      ip: who.ip,
      details: { method },
    });
    return { ok: false, reason: 'invalid' };
  }
  await forgetFailures(db, counter.key);
  return { ok: true, value: method };
}

/**
 * Turns TOTP off after the password is confirmed, and ends the agent's other sessions. When the
 * city makes it mandatory this is a reset: this session loses its second factor too, so the agent
 * is sent to set up a new device before anything else.
 */
export async function disableTotp(
  db: Db,
  who: Acting,
  password: string,
  options: { mandatory: boolean; maxFailures: number },
): Promise<void> {
  await confirmPassword(db, who, password, options.maxFailures, 'disable_password');
  const { account, session } = who.actor;
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('accounts')
      .set({ totp_secret: null, totp_enabled_at: null, recovery_codes: null, updated_at: nowIso() })
      .where('id', '=', account.id)
      .execute();
    await closeAllSessions(trx, account.id, session.id);
    if (options.mandatory) await trx.updateTable('sessions').set({ mfa_passed: 0 }).where('id', '=', session.id).execute();
    await audit(trx, {
      actor: who.actor,
      action: 'mfa.disable',
      resourceType: 'account',
      resourceId: account.id,
      ip: who.ip,
      details: { reset: options.mandatory },
    });
  });
}
