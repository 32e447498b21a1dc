/**
 * Parsing of single typed answers from what a person typed. Each returns the normalised value or
 * the code of the problem (a key under `forms.error.`).
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; code: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (code: string): Parsed<never> => ({ ok: false, code });

/** Spaces people put in numbers ("1 234", "1 234" with a no-break space). */
const NUMBER_SPACES = /[\s\u00a0\u202f]/g;

export function parseInteger(input: string): Parsed<number> {
  const text = input.replace(NUMBER_SPACES, '');
  if (!/^[-+]?\d+$/.test(text)) return fail('integer');
  const value = Number(text);
  return Number.isSafeInteger(value) ? ok(value === 0 ? 0 : value) : fail('integer');
}

/** An exact decimal as integer units of 10^-scale: 12.5 with scale 2 is 1250n. */
export function decimalUnits(text: string, scale: number): bigint | undefined {
  const match = /^([-+]?)(\d+)(?:[.,](\d+))?$/.exec(text);
  if (!match) return undefined;
  const [, sign = '', whole = '0', fraction = ''] = match;
  // Extra digits are accepted only when they are zeros ("12.500" for 2 decimals).
  if (fraction.length > scale && /[1-9]/.test(fraction.slice(scale))) return undefined;
  const units = BigInt(whole + fraction.slice(0, scale).padEnd(scale, '0'));
  return sign === '-' ? -units : units;
}

export function formatUnits(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const text = scale > 0 ? `${whole}.${digits.slice(digits.length - scale)}` : whole;
  return negative && units !== 0n ? `-${text}` : text;
}

/** A decimal number with a point or a comma; the answer is the exact string with `scale` decimals ("12.50"). */
export function parseDecimal(input: string, scale: number): Parsed<string> {
  const text = input.replace(NUMBER_SPACES, '');
  if (!/^[-+]?\d+(?:[.,]\d+)?$/.test(text)) return fail('decimal');
  const units = decimalUnits(text, scale);
  return units === undefined ? fail('decimal-scale') : ok(formatUnits(units, scale));
}

/** A bound or condition value written as a JSON number, in units of the field's scale. */
export function numberUnits(value: number, scale: number): bigint | undefined {
  if (!Number.isFinite(value)) return undefined;
  const text = String(value);
  return /e/i.test(text) ? undefined : decimalUnits(text, scale);
}

function realDate(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `YYYY-MM-DD` (date pickers) or `DD/MM/YYYY` (typed where the browser has no picker). */
export function parseDate(input: string): Parsed<string> {
  const text = input.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const french = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  const parts = iso ? [iso[1], iso[2], iso[3]] : french ? [french[3], french[2], french[1]] : undefined;
  if (!parts) return fail('date');
  const [year, month, day] = parts.map(Number) as [number, number, number];
  if (year < 1800 || year > 2999) return fail('date');
  const value = realDate(year, month, day);
  return value ? ok(value) : fail('date');
}

/** Digits with the usual separators, an optional leading +; kept as typed without the separators. */
export function parsePhone(input: string): Parsed<string> {
  const text = input.trim();
  if (!/^\+?[\d\s().-]+$/.test(text)) return fail('phone');
  const compact = text.replace(/[\s().-]/g, '');
  const digits = compact.replace('+', '').length;
  return digits >= 6 && digits <= 15 ? ok(compact) : fail('phone');
}

/** A latitude or longitude typed as a decimal number (a point or a comma) within ±limit. */
export function parseCoordinate(input: string, limit: number): number | undefined {
  const text = input.trim().replace(',', '.');
  if (!/^[-+]?\d{1,3}(?:\.\d{1,10})?$/.test(text)) return undefined;
  const value = Number(text);
  return Math.abs(value) <= limit ? value : undefined;
}
