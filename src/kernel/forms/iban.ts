/**
 * IBAN (ISO 13616): country code, two check digits, then the national account number (BBAN) of a
 * length fixed per country. The check digits make the number, read as a base-36 integer with the
 * first four characters moved to the end, equal to 1 modulo 97.
 */

/** Length of a whole IBAN per country (SWIFT IBAN registry), as country code then length. */
const REGISTRY = [
  'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 DO28 EE20 EG29',
  'ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28',
  'LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25',
  'QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30',
].join(' ');

export const IBAN_LENGTHS: Readonly<Record<string, number>> = Object.fromEntries(
  REGISTRY.split(' ').map((entry) => [entry.slice(0, 2), Number(entry.slice(2))]),
);

export type IbanProblem = 'iban-format' | 'iban-country' | 'iban-length' | 'iban-checksum';

/** Without spaces, dashes or dots, in capitals: how an IBAN is stored. */
export function normalizeIban(input: string): string {
  return input.replace(/[\s.\u00a0-]/g, '').toUpperCase();
}

/** The remainder modulo 97 of the number the IBAN stands for (1 for a valid one). */
export function ibanRemainder(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = Number.parseInt(char, 36);
    // Letters stand for two digits (A = 10 … Z = 35).
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder;
}

export function ibanProblem(input: string): IbanProblem | undefined {
  const iban = normalizeIban(input);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return 'iban-format';
  const length = IBAN_LENGTHS[iban.slice(0, 2)];
  if (length === undefined) return 'iban-country';
  if (iban.length !== length) return 'iban-length';
  return ibanRemainder(iban) === 1 ? undefined : 'iban-checksum';
}

/** Groups of four characters, as printed on a bank statement (RIB). */
export function formatIban(iban: string): string {
  return normalizeIban(iban).replace(/(.{4})(?=.)/g, '$1 ');
}
