import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { issueItemToken, verifyItemToken } from './incoming.js';
import { newWebhookSecret, signatureHeader, verifyIncomingSignature } from './sign.js';

const NOW = new Date('2025-06-01T10:00:00Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const secret = fc.string({ minLength: 1, maxLength: 80 });
// Valid Unicode only: distinct strings with lone surrogates can encode to the same UTF-8 bytes.
const body = fc.string({ maxLength: 500, unit: 'grapheme' });
const timestamp = fc.integer({ min: NOW_S - 300, max: NOW_S + 300 });

function verify(input: { secret: string; timestamp: number | string; signature: string; rawBody: string }) {
  return verifyIncomingSignature({ ...input, timestamp: String(input.timestamp), now: NOW });
}

describe('webhook signatures', () => {
  it('accept what was signed with the same secret, timestamp and body', () => {
    fc.assert(
      fc.property(secret, timestamp, body, (s, ts, b) => {
        expect(verify({ secret: s, timestamp: ts, signature: signatureHeader(s, ts, b), rawBody: b })).toEqual({ ok: true, timestamp: ts });
      }),
    );
  });

  it('refuse any other body', () => {
    fc.assert(
      fc.property(secret, timestamp, body, body, (s, ts, signed, sent) => {
        fc.pre(signed !== sent);
        expect(verify({ secret: s, timestamp: ts, signature: signatureHeader(s, ts, signed), rawBody: sent })).toEqual({
          ok: false,
          reason: 'signature-mismatch',
        });
      }),
    );
  });

  it('refuse any other timestamp, even a fresh one', () => {
    fc.assert(
      fc.property(secret, timestamp, timestamp, body, (s, signedAt, sentAt, b) => {
        fc.pre(signedAt !== sentAt);
        expect(verify({ secret: s, timestamp: sentAt, signature: signatureHeader(s, signedAt, b), rawBody: b })).toEqual({
          ok: false,
          reason: 'signature-mismatch',
        });
      }),
    );
  });

  it('refuse any other secret', () => {
    fc.assert(
      fc.property(secret, secret, timestamp, body, (signer, checker, ts, b) => {
        fc.pre(signer !== checker);
        expect(verify({ secret: checker, timestamp: ts, signature: signatureHeader(signer, ts, b), rawBody: b }).ok).toBe(false);
      }),
    );
  });

  it('refuse a correctly signed request whose timestamp is outside the tolerance, either way', () => {
    fc.assert(
      fc.property(fc.integer({ min: 301, max: 10 ** 8 }), fc.boolean(), body, (offset, past, b) => {
        const ts = past ? NOW_S - offset : NOW_S + offset;
        const s = newWebhookSecret();
        expect(verify({ secret: s, timestamp: ts, signature: signatureHeader(s, ts, b), rawBody: b })).toEqual({
          ok: false,
          reason: 'timestamp-stale',
        });
      }),
    );
    const s = newWebhookSecret();
    const old = NOW_S - 3600;
    const check = verifyIncomingSignature({
      secret: s,
      timestamp: String(old),
      signature: signatureHeader(s, old, '{}'),
      rawBody: '{}',
      toleranceSeconds: 7200,
      now: NOW,
    });
    expect(check.ok).toBe(true);
  });

  it('never accept a forged or malformed header', () => {
    const s = newWebhookSecret();
    fc.assert(
      fc.property(fc.string(), body, (forged, b) => {
        expect(verify({ secret: s, timestamp: NOW_S, signature: forged, rawBody: b }).ok).toBe(false);
      }),
    );
    const hex = randomBytes(32).toString('hex');
    expect(verify({ secret: s, timestamp: NOW_S, signature: `v1=${hex}`, rawBody: '{}' }).ok).toBe(false);
    expect(verify({ secret: s, timestamp: NOW_S, signature: `v0=${signatureHeader(s, NOW_S, '{}').slice(3)}`, rawBody: '{}' }).ok).toBe(
      false,
    );
  });

  it('name what is missing or malformed', () => {
    const s = newWebhookSecret();
    const good = signatureHeader(s, NOW_S, '{}');
    expect(verifyIncomingSignature({ secret: s, timestamp: undefined, signature: good, rawBody: '{}', now: NOW })).toEqual({
      ok: false,
      reason: 'missing',
    });
    expect(verifyIncomingSignature({ secret: s, timestamp: String(NOW_S), signature: undefined, rawBody: '{}', now: NOW })).toEqual({
      ok: false,
      reason: 'missing',
    });
    for (const ts of ['1.5', '-1', 'abc', '1e9', `${NOW_S} `]) {
      expect(verify({ secret: s, timestamp: ts, signature: good, rawBody: '{}' })).toEqual({ ok: false, reason: 'timestamp-invalid' });
    }
  });

  it('accept one matching signature among several (a sender rotating its secret)', () => {
    const [oldSecret, newSecret] = [newWebhookSecret(), newWebhookSecret()];
    const header = `${signatureHeader(oldSecret, NOW_S, '{"a":1}')} ${signatureHeader(newSecret, NOW_S, '{"a":1}')}`;
    expect(verify({ secret: newSecret, timestamp: NOW_S, signature: header, rawBody: '{"a":1}' }).ok).toBe(true);
    expect(verify({ secret: oldSecret, timestamp: NOW_S, signature: header.replace(' ', ','), rawBody: '{"a":1}' }).ok).toBe(true);
  });

  it('follow the documented format: v1= and the hex HMAC-SHA256 of "<timestamp>.<body>"', () => {
    // Computed independently: printf '1700000000.{"id":"x"}' | openssl dgst -sha256 -hmac whsec_test
    expect(signatureHeader('whsec_test', 1700000000, '{"id":"x"}')).toBe(
      'v1=80e8d098018f757aa814ab1abb924f35d304affa1d93d29611a54696207eb7c3',
    );
  });
});

describe('item tokens', () => {
  const kernel = { secret: randomBytes(32) };
  const other = { secret: randomBytes(32) };

  it('are valid for their item only, under the kernel’s secret only', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (subject, otherSubject) => {
        const token = issueItemToken(kernel, subject);
        expect(verifyItemToken(kernel, subject, token)).toBe(true);
        expect(verifyItemToken(other, subject, token)).toBe(false);
        if (otherSubject !== subject) expect(verifyItemToken(kernel, otherSubject, token)).toBe(false);
      }),
    );
  });

  it('refuse a token changed in any character', () => {
    const token = issueItemToken(kernel, 'street-reports:work-order:42');
    fc.assert(
      fc.property(
        fc.nat({ max: token.length - 1 }),
        fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_'),
        (i, c) => {
          const changed = token.slice(0, i) + c + token.slice(i + 1);
          expect(verifyItemToken(kernel, 'street-reports:work-order:42', changed)).toBe(changed === token);
        },
      ),
    );
    expect(verifyItemToken(kernel, 'street-reports:work-order:42', '')).toBe(false);
    expect(verifyItemToken(kernel, 'street-reports:work-order:42', `${token}x`)).toBe(false);
  });
});
