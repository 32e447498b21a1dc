import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Receipt codes: when a voter confirms a ballot, they get a short code ("7KQ2-M0XD-9F3R-TW5A") that
 * they can type on a public page to see that a confirmed ballot with that code was recorded and
 * counted in the campaign — the answer to the design's "people are unsure whether their vote
 * counted".
 *
 * The code is HMAC-SHA256(key, campaign, ballot id, salt), its first 80 bits written as 16
 * Crockford base32 characters in 4 groups. The salt is 128 random bits drawn when the ballot is
 * confirmed and stored with it; the key is a server secret (derive it from the kernel's secret).
 *
 * Why it reveals nothing about the choices:
 *   - the vote is not an input: the code is a function of the campaign, the ballot's id and the
 *     salt only — the same three give the same code whatever the choices, and two voters with the
 *     same choices get unrelated codes —, so it carries no information about what was chosen,
 *     whatever an observer knows or guesses about the vote;
 *   - it cannot be linked back to the ballot (and so to its row, its voter or its choices) by
 *     anyone without the key and the stored salt: HMAC output looks random, and 128 random bits
 *     of salt rule out recomputing codes from guessed ballot ids even if the key leaked;
 *   - the public page only answers "this code belongs to a confirmed, counted ballot of this
 *     campaign" (and may show when it was confirmed), never what the ballot contains.
 * It follows that the receipt proves the ballot was recorded, not what it says: it is not
 * end-to-end verifiability (which would need the published, encrypted ballots of a cryptographic
 * voting scheme). A coerced voter can show the code, but it says nothing about how they voted.
 * 80 bits make a forged code guessable with probability 2⁻⁸⁰ per try, and the page is rate-limited.
 *
 * Looking a code up: the code cannot be inverted, so the ballot row stores it (canonical form, see
 * `normalizeReceiptCode`, in a unique indexed column) when the ballot is confirmed; the public page
 * normalizes what was typed, finds the row, and `verifyReceiptCode` re-derives it from the row as a
 * check. The key comes from the kernel's secret (kept in the database): rotating that secret would
 * make every stored code fail verification, so the row's stored code is what the page trusts.
 */

/** Crockford's base32 alphabet: no I, L, O, U (read as 1, 1, 0 and refused). */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 4;
const GROUP_LENGTH = 4;
const LENGTH = GROUPS * GROUP_LENGTH; // 16 characters × 5 bits = 80 bits
const DOMAIN = 'participatory-budget:receipt:v1';

export interface ReceiptInput {
  /** The campaign's stable code (e.g. "paris-2025"). */
  campaign: string;
  ballotId: string;
  /** `newReceiptSalt()`, stored with the ballot when it is confirmed. */
  salt: string;
}

/** 128 random bits, base64url: drawn once per confirmed ballot and stored with it. */
export function newReceiptSalt(): string {
  return randomBytes(16).toString('base64url');
}

/** The receipt key, derived from the server's secret so that no other signature can be reused as a code. */
export function receiptKey(secret: Buffer): Buffer {
  return createHmac('sha256', secret).update(`${DOMAIN}:key`).digest();
}

/** The voter's receipt code, "XXXX-XXXX-XXXX-XXXX". */
export function receiptCode(key: Buffer, input: ReceiptInput): string {
  const canonical = digest(key, input);
  const groups: string[] = [];
  for (let i = 0; i < LENGTH; i += GROUP_LENGTH) groups.push(canonical.slice(i, i + GROUP_LENGTH));
  return groups.join('-');
}

/**
 * The code as typed, in canonical form (16 characters, no separators), or undefined when it cannot
 * be one: case, spaces and hyphens are ignored and I/L read as 1, O as 0 (Crockford's rule for
 * what people copy by hand); U and other characters are refused.
 */
export function normalizeReceiptCode(text: string): string | undefined {
  const compact = text.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (compact.length !== LENGTH) return undefined;
  for (const ch of compact) if (!ALPHABET.includes(ch)) return undefined;
  return compact;
}

/** True when `code` (as typed) is this ballot's receipt code (comparison in constant time). */
export function verifyReceiptCode(key: Buffer, input: ReceiptInput, code: string): boolean {
  const typed = normalizeReceiptCode(code);
  if (typed === undefined) return false;
  return timingSafeEqual(Buffer.from(typed), Buffer.from(digest(key, input)));
}

/** The 16 canonical characters: the HMAC's first 80 bits, 5 bits per character. */
function digest(key: Buffer, input: ReceiptInput): string {
  // A JSON array separates the fields unambiguously ("a","bc" never reads as "ab","c").
  const mac = createHmac('sha256', key)
    .update(`${DOMAIN}:${JSON.stringify([input.campaign, input.ballotId, input.salt])}`, 'utf8')
    .digest();
  let bits = 0n;
  for (const byte of mac.subarray(0, (LENGTH * 5) / 8)) bits = (bits << 8n) | BigInt(byte);
  let out = '';
  for (let i = LENGTH - 1; i >= 0; i--) out += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return out;
}
