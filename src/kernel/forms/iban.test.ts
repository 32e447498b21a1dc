import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIban, IBAN_LENGTHS, ibanProblem, ibanRemainder, normalizeIban } from './iban.js';

/** Published example IBANs of banks and registries, valid. */
const VALID = [
  'FR76 3000 6000 0112 3456 7890 189',
  'DE89 3704 0044 0532 0130 00',
  'GB82 WEST 1234 5698 7654 32',
  'NL91 ABNA 0417 1643 00',
  'BE68 5390 0754 7034',
  'CH93 0076 2011 6238 5295 7',
  'IT60 X054 2811 1010 0000 0123 456',
  'ES91 2100 0418 4502 0005 1332',
  'fr1420041010050500013m02606',
];

/** A valid IBAN of a country, with the national part given: the check digits computed as ISO 13616 says. */
function withCheckDigits(country: string, bban: string): string {
  const check = 98 - ibanRemainder(`${country}00${bban}`);
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

const validIban = fc
  .constantFrom(...Object.keys(IBAN_LENGTHS))
  .chain((country) =>
    fc
      .array(fc.constantFrom(...'0123456789'), { minLength: IBAN_LENGTHS[country]! - 4, maxLength: IBAN_LENGTHS[country]! - 4 })
      .map((digits) => withCheckDigits(country, digits.join(''))),
  );

describe('IBAN', () => {
  it('accepts real IBANs, with spaces and in any case', () => {
    for (const iban of VALID) expect(ibanProblem(iban), iban).toBeUndefined();
    expect(normalizeIban(' fr76 3000-6000 0112 3456 7890 189 ')).toBe('FR7630006000011234567890189');
    expect(formatIban('FR7630006000011234567890189')).toBe('FR76 3000 6000 0112 3456 7890 189');
  });

  it('says what is wrong with a bad one', () => {
    expect(ibanProblem('GB82 WEST 1234 5698 7654 33')).toBe('iban-checksum');
    expect(ibanProblem('FR76 3000 6000 0112 3456 7890 18')).toBe('iban-length');
    expect(ibanProblem('XX82 3000 6000 0112 3456 7890 189')).toBe('iban-country');
    expect(ibanProblem('not an iban')).toBe('iban-format');
    expect(ibanProblem('')).toBe('iban-format');
  });

  it('accepts every IBAN built with correct check digits', () => {
    fc.assert(
      fc.property(validIban, (iban) => {
        expect(ibanProblem(iban)).toBeUndefined();
      }),
    );
  });

  it('refuses any valid IBAN with one digit changed (mod 97 catches every single substitution)', () => {
    fc.assert(
      fc.property(validIban, fc.nat(), fc.integer({ min: 1, max: 9 }), (iban, at, shift) => {
        const positions = [...iban].map((c, i) => (i >= 2 && /\d/.test(c) ? i : -1)).filter((i) => i >= 0);
        const position = positions[at % positions.length]!;
        const changed = String((Number(iban[position]) + shift) % 10);
        const typo = iban.slice(0, position) + changed + iban.slice(position + 1);
        expect(ibanProblem(typo)).toBe('iban-checksum');
      }),
    );
  });
});
