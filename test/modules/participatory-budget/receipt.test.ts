import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  newReceiptSalt,
  normalizeReceiptCode,
  type ReceiptInput,
  receiptCode,
  receiptKey,
  verifyReceiptCode,
} from '../../../src/modules/participatory-budget/ballots/receipt.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const key = receiptKey(Buffer.alloc(32, 7));
const ballot: ReceiptInput = { campaign: 'paris-2025', ballotId: '01J9ZQ3K8M', salt: 'c2FsdC1vZi10aGUtYmFsbG90' };

describe('receipt codes', () => {
  it('are 4 groups of 4 Crockford base32 characters: the first 80 bits of the HMAC', () => {
    const code = receiptCode(key, ballot);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    // Recomputed independently: HMAC-SHA256 → 10 bytes → a base-32 number → Crockford digits.
    const mac = createHmac('sha256', key)
      .update(`participatory-budget:receipt:v1:${JSON.stringify([ballot.campaign, ballot.ballotId, ballot.salt])}`)
      .digest();
    const digits = BigInt(`0x${mac.subarray(0, 10).toString('hex')}`)
      .toString(32)
      .padStart(16, '0');
    const expected = [...digits].map((d) => CROCKFORD[Number.parseInt(d, 32)]).join('');
    expect(code.replaceAll('-', '')).toBe(expected);
  });

  it('verify, also as people type them: lower case, spaces, no hyphens, O for 0 and I or L for 1', () => {
    const code = receiptCode(key, ballot);
    expect(verifyReceiptCode(key, ballot, code)).toBe(true);
    const sloppy = ` ${code.toLowerCase().replaceAll('-', ' ').replaceAll('0', 'o').replaceAll('1', 'l')} `;
    expect(verifyReceiptCode(key, ballot, sloppy)).toBe(true);
    expect(normalizeReceiptCode(sloppy)).toBe(code.replaceAll('-', ''));
  });

  it('fail for another ballot, another salt, another campaign or another key; malformed input is refused', () => {
    const code = receiptCode(key, ballot);
    expect(verifyReceiptCode(key, { ...ballot, ballotId: '01J9ZQ3K8N' }, code)).toBe(false);
    expect(verifyReceiptCode(key, { ...ballot, salt: newReceiptSalt() }, code)).toBe(false);
    expect(verifyReceiptCode(key, { ...ballot, campaign: 'paris-2026' }, code)).toBe(false);
    expect(verifyReceiptCode(receiptKey(Buffer.alloc(32, 8)), ballot, code)).toBe(false);
    expect(verifyReceiptCode(key, ballot, code.slice(0, -1))).toBe(false);
    expect(verifyReceiptCode(key, ballot, `${code}0`)).toBe(false);
    expect(normalizeReceiptCode('UUUU-UUUU-UUUU-UUUU')).toBeUndefined(); // U is not a Crockford symbol
    expect(normalizeReceiptCode('')).toBeUndefined();
  });

  it('do not depend on field boundaries: ("a", "bc") and ("ab", "c") give different codes', () => {
    expect(receiptCode(key, { campaign: 'a', ballotId: 'bc', salt: 's' })).not.toBe(
      receiptCode(key, { campaign: 'ab', ballotId: 'c', salt: 's' }),
    );
  });

  it('salts are 128 random bits', () => {
    const salts = new Set(Array.from({ length: 100 }, newReceiptSalt));
    expect(salts.size).toBe(100);
    expect(Buffer.from([...salts][0]!, 'base64url')).toHaveLength(16);
  });

  it('property: every code verifies, and changing any one character to another symbol makes it fail', () => {
    fc.assert(
      fc.property(
        fc.record({
          campaign: fc.string({ minLength: 1 }),
          ballotId: fc.string({ minLength: 1 }),
          salt: fc.base64String({ minLength: 4 }),
        }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.nat({ max: 15 }),
        fc.integer({ min: 1, max: 31 }),
        (input, secret, position, shift) => {
          const k = receiptKey(Buffer.from(secret));
          const code = receiptCode(k, input);
          expect(verifyReceiptCode(k, input, code)).toBe(true);
          const chars = code.replaceAll('-', '').split('');
          chars[position] = CROCKFORD[(CROCKFORD.indexOf(chars[position]!) + shift) % 32]!;
          const changed = chars.join('');
          expect(verifyReceiptCode(k, input, changed)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
