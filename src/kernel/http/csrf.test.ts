import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csrfTokenFor } from './csrf.js';

const hmacOf = (secret: Buffer, cookie: string) => createHmac('sha256', secret).update(`csrf:${cookie}`).digest('base64url');

describe('csrfTokenFor', () => {
  it('is the HMAC of the cookie under the secret, the first time and every time after', () => {
    const secrets = [randomBytes(32), randomBytes(32)];
    fc.assert(
      fc.property(fc.constantFrom(...secrets), fc.string({ minLength: 1, maxLength: 64 }), (secret, cookie) => {
        expect(csrfTokenFor(secret, cookie)).toBe(hmacOf(secret, cookie));
        expect(csrfTokenFor(secret, cookie)).toBe(hmacOf(secret, cookie));
      }),
    );
  });

  it('keeps each secret apart: the same cookie signs differently under another secret', () => {
    const [a, b] = [randomBytes(32), randomBytes(32)];
    expect(csrfTokenFor(a, 'same-cookie-value-0123456789')).toBe(hmacOf(a, 'same-cookie-value-0123456789'));
    expect(csrfTokenFor(b, 'same-cookie-value-0123456789')).toBe(hmacOf(b, 'same-cookie-value-0123456789'));
    expect(csrfTokenFor(a, 'same-cookie-value-0123456789')).not.toBe(csrfTokenFor(b, 'same-cookie-value-0123456789'));
  });

  it('stays right after more made-up cookies than it remembers', () => {
    const secret = randomBytes(32);
    const first = randomBytes(18).toString('base64url');
    expect(csrfTokenFor(secret, first)).toBe(hmacOf(secret, first));
    for (let i = 0; i < 12_000; i++) csrfTokenFor(secret, `made-up-${i}`);
    expect(csrfTokenFor(secret, first)).toBe(hmacOf(secret, first));
    expect(csrfTokenFor(secret, 'made-up-11999')).toBe(hmacOf(secret, 'made-up-11999'));
  });
});
