/**
 * Exact rational numbers (BigInt numerator and denominator, always reduced, denominator > 0).
 *
 * Why not floats: the Method of Equal Shares divides the budget among voters and compares
 * effective vote counts; with floats, two projects that tie exactly can compare either way
 * depending on rounding, and a published result must be reproducible by anyone to the last digit.
 */
export class Fraction {
  /** Numerator and denominator, reduced; `den` is positive. */
  readonly num: bigint;
  readonly den: bigint;

  private constructor(num: bigint, den: bigint) {
    this.num = num;
    this.den = den;
  }

  static readonly ZERO = new Fraction(0n, 1n);
  static readonly ONE = new Fraction(1n, 1n);

  /** n/d, reduced; throws on a zero denominator. */
  static of(num: bigint | number, den: bigint | number = 1n): Fraction {
    let n = BigInt(num);
    let d = BigInt(den);
    if (d === 0n) throw new RangeError('Fraction with a zero denominator');
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    if (d === 1n) return new Fraction(n, 1n);
    const g = gcd(n < 0n ? -n : n, d);
    return g === 1n ? new Fraction(n, d) : new Fraction(n / g, d / g);
  }

  /**
   * The exact value of a decimal written in plain notation ("98600", "-0.25", "1036794.80").
   * Amounts in files and settings are decimals; going through a float would lose exactness.
   */
  static fromDecimal(text: string): Fraction {
    const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
    if (!m) throw new RangeError(`Not a decimal number: "${text}"`);
    const decimals = m[3] ?? '';
    const n = BigInt(`${m[2]}${decimals}`) * (m[1] === '-' ? -1n : 1n);
    return Fraction.of(n, 10n ** BigInt(decimals.length));
  }

  /**
   * The exact value of the decimal a JS number prints as: 0.1 gives 1/10 (what the user wrote),
   * not the binary double nearest to it.
   */
  static fromNumber(value: number): Fraction {
    if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}`);
    if (Number.isInteger(value) && Number.isSafeInteger(value)) return Fraction.of(BigInt(value));
    return Fraction.fromDecimal(plainDecimal(value));
  }

  add(o: Fraction): Fraction {
    if (this.den === o.den) return Fraction.of(this.num + o.num, this.den);
    return Fraction.of(this.num * o.den + o.num * this.den, this.den * o.den);
  }

  sub(o: Fraction): Fraction {
    if (this.den === o.den) return Fraction.of(this.num - o.num, this.den);
    return Fraction.of(this.num * o.den - o.num * this.den, this.den * o.den);
  }

  mul(o: Fraction): Fraction {
    return Fraction.of(this.num * o.num, this.den * o.den);
  }

  div(o: Fraction): Fraction {
    if (o.num === 0n) throw new RangeError('Division by zero');
    return Fraction.of(this.num * o.den, this.den * o.num);
  }

  /** -1, 0 or 1 (cross-multiplication: exact, no division). */
  cmp(o: Fraction): -1 | 0 | 1 {
    const l = this.num * o.den;
    const r = o.num * this.den;
    return l < r ? -1 : l > r ? 1 : 0;
  }

  lt(o: Fraction): boolean {
    return this.cmp(o) < 0;
  }
  lte(o: Fraction): boolean {
    return this.cmp(o) <= 0;
  }
  gt(o: Fraction): boolean {
    return this.cmp(o) > 0;
  }
  gte(o: Fraction): boolean {
    return this.cmp(o) >= 0;
  }
  eq(o: Fraction): boolean {
    return this.num === o.num && this.den === o.den;
  }

  isZero(): boolean {
    return this.num === 0n;
  }

  /** The largest integer ≤ this value. */
  floor(): bigint {
    const q = this.num / this.den;
    return this.num < 0n && q * this.den !== this.num ? q - 1n : q;
  }

  static min(a: Fraction, b: Fraction): Fraction {
    return a.lte(b) ? a : b;
  }

  static sum(values: Iterable<Fraction>): Fraction {
    let total = Fraction.ZERO;
    for (const v of values) total = total.add(v);
    return total;
  }

  /** Decimal text rounded half away from zero to `digits` places (for display only). */
  toDecimal(digits = 2): string {
    const scale = 10n ** BigInt(digits);
    const negative = this.num < 0n;
    const abs = negative ? -this.num : this.num;
    const scaled = (abs * scale * 2n + this.den) / (this.den * 2n);
    const int = scaled / scale;
    const frac = (scaled % scale).toString().padStart(digits, '0');
    const sign = negative && scaled !== 0n ? '-' : '';
    return digits === 0 ? `${sign}${int}` : `${sign}${int}.${frac}`;
  }

  /** Approximate value, for charts and logs; decisions never use it. */
  toNumber(): number {
    return Number(this.num) / Number(this.den);
  }

  /** "n" or "n/d": exact, and what JSON.stringify writes (results are stored and published as-is). */
  toString(): string {
    return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`;
  }

  toJSON(): string {
    return this.toString();
  }

  /** Reads back what `toString` wrote. */
  static parse(text: string): Fraction {
    const m = /^(-?\d+)(?:\/(\d+))?$/.exec(text);
    if (!m) throw new RangeError(`Not a fraction: "${text}"`);
    return Fraction.of(BigInt(m[1]!), BigInt(m[2] ?? '1'));
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** A number in plain decimal notation (no exponent), shortest form that reads back the same. */
export function plainDecimal(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  const [mantissa = '', expText = '0'] = text.toLowerCase().split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const [intPart = '', fracPart = ''] = mantissa.replace('-', '').split('.');
  const digits = intPart + fracPart;
  const point = intPart.length + exp;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? '-' : '') + out;
}
