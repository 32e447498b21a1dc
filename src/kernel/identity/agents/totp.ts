import { Secret, TOTP } from 'otpauth';
import type { Executor } from '../../db/transaction.js';
import { nowIso } from '../../db/values.js';

/** RFC 6238 as every authenticator app reads it: SHA-1, 30-second steps, 6 digits. */
const PARAMS = { algorithm: 'SHA1', period: 30, digits: 6 } as const;

function totp(secret: string, label = '', issuer = ''): TOTP {
  return new TOTP({ ...PARAMS, secret: Secret.fromBase32(secret), label, issuer });
}

/** A new 160-bit secret, in base32 (what the QR code carries and what one types by hand). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI as a QR code, an SVG data URI (the CSP allows data: images, not inline SVG styles). */
export async function totpQrCode(secret: string, issuer: string, label: string): Promise<string> {
  // Loaded for the set-up page only, not at every start.
  const { default: QRCode } = await import('qrcode');
  const svg = await QRCode.toString(totp(secret, label, issuer).toString(), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** The time step a code belongs to, within one step either side of now (clock drift), or null. */
export function matchingStep(secret: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const generator = totp(secret);
  const delta = generator.validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : generator.counter({ timestamp: now }) + delta;
}

const STEP_DIGITS = 12;

/**
 * Records that `step` was used, if it is later than the last step used by this account: a code,
 * once accepted, cannot be replayed, nor can an older one. A compare-and-set in the shared state
 * table (zero-padded so text order is number order), so two processes cannot both accept it.
 */
export async function claimStep(db: Executor, accountId: string, step: number): Promise<boolean> {
  const key = `totp-step:${accountId}`;
  const value = String(step).padStart(STEP_DIGITS, '0');
  await db
    .insertInto('kernel_state')
    .values({ key, value: '0'.repeat(STEP_DIGITS), updated_at: nowIso() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const result = await db
    .updateTable('kernel_state')
    .set({ value, updated_at: nowIso() })
    .where('key', '=', key)
    .where('value', '<', value)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
