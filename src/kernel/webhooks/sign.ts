import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Headers of a signed webhook, ours and those partners send back (the same scheme both ways). */
export const WEBHOOK_ID_HEADER = 'civitas-webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'civitas-webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'civitas-webhook-signature';

/** How far a signed request's timestamp may be from our clock (Stripe's default too). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** A new endpoint secret; the whole string, prefix included, is the HMAC key. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** `v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`: binding the timestamp stops replays of old bodies. */
export function signatureHeader(secret: string, timestamp: number | string, rawBody: string): string {
  return `v1=${hexSignature(secret, String(timestamp), rawBody)}`;
}

function hexSignature(secret: string, timestamp: string, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex');
}

export type SignatureCheck =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'missing' | 'timestamp-invalid' | 'timestamp-stale' | 'signature-mismatch' };

export interface SignedRequest {
  secret: string;
  /** The `Civitas-Webhook-Timestamp` header: unix seconds. */
  timestamp: string | undefined;
  /** The `Civitas-Webhook-Signature` header: one or more `v1=<hex>` separated by spaces or commas. */
  signature: string | undefined;
  /** The body exactly as received, before any JSON parsing. */
  rawBody: string;
  toleranceSeconds?: number;
  now?: Date;
}

const TIMESTAMP = /^\d{1,12}$/;
const V1 = /^v1=([0-9a-f]{64})$/;

/**
 * Checks a signed request: the timestamp must be within the tolerance of our clock (either way),
 * and one of the `v1` signatures must match, compared in constant time. Several signatures are
 * accepted so a sender can sign with an old and a new secret while rotating.
 */
export function verifyIncomingSignature(input: SignedRequest): SignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return { ok: false, reason: 'missing' };
  if (!TIMESTAMP.test(timestamp)) return { ok: false, reason: 'timestamp-invalid' };
  const seconds = Number(timestamp);
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - seconds) > (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return { ok: false, reason: 'timestamp-stale' };
  const expected = Buffer.from(hexSignature(input.secret, timestamp, input.rawBody), 'hex');
  const matches = signature
    .split(/[\s,]+/)
    .map((part) => V1.exec(part)?.[1])
    .filter((hex): hex is string => hex !== undefined)
    .some((hex) => timingSafeEqual(Buffer.from(hex, 'hex'), expected));
  return matches ? { ok: true, timestamp: seconds } : { ok: false, reason: 'signature-mismatch' };
}
