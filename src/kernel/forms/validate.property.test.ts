import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Answer, RawValues } from './answers.js';
import { defineForm, type LeafFieldDef } from './definition.js';
import { IBAN_LENGTHS, ibanRemainder } from './iban.js';
import { formatUnits } from './scalars.js';
import { validateForm } from './validate.js';

/**
 * Generated fields with rules, and answers inside or outside those rules, each with what the server
 * must decide, computed here independently of the validator: accepted or not, and the typed value.
 */
interface Case {
  field: Omit<LeafFieldDef, 'code'>;
  raw: string | string[];
  valid: boolean;
  typed?: Answer;
}

const label = { fr: 'Question', en: 'Question' };
const optionalPair = (arb: fc.Arbitrary<number>) =>
  fc
    .tuple(fc.option(arb, { nil: undefined }), fc.option(arb, { nil: undefined }))
    .map(([a, b]) => (a !== undefined && b !== undefined && a > b ? ([b, a] as const) : ([a, b] as const)));
const within = (v: number | bigint | string, min: number | bigint | string | undefined, max: number | bigint | string | undefined) =>
  (min === undefined || v >= min) && (max === undefined || v <= max);
const blank = fc.constantFrom('', '  ');

const integerCase: fc.Arbitrary<Case> = fc
  .record({
    bounds: optionalPair(fc.integer({ min: -50, max: 50 })),
    value: fc.integer({ min: -60, max: 60 }),
    required: fc.boolean(),
    answered: fc.boolean(),
    spaced: fc.boolean(),
    empty: blank,
  })
  .map(({ bounds: [min, max], value, required, answered, spaced, empty }) => {
    const ok = answered && within(value, min, max);
    return {
      field: { type: 'integer', label, required, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) },
      raw: answered ? (spaced ? ` ${value} ` : String(value)) : empty,
      valid: answered ? ok : !required,
      ...(ok ? { typed: value } : {}),
    };
  });

const textCase: fc.Arbitrary<Case> = fc
  .record({
    bounds: optionalPair(fc.integer({ min: 1, max: 12 })),
    value: fc.string({ unit: fc.constantFrom(...'abcXYZ019'), maxLength: 16 }),
    lettersOnly: fc.boolean(),
    required: fc.boolean(),
  })
  .map(({ bounds: [minLength, maxLength], value, lettersOnly, required }) => {
    const rules = within(value.length, minLength, maxLength) && (!lettersOnly || /^[a-zA-Z]+$/.test(value));
    const answered = value !== '';
    return {
      field: {
        type: 'text',
        label,
        required,
        ...(minLength !== undefined ? { minLength } : {}),
        ...(maxLength !== undefined ? { maxLength } : {}),
        ...(lettersOnly ? { pattern: { regex: '[a-zA-Z]+', message: label } } : {}),
      },
      raw: value,
      valid: answered ? rules : !required,
      ...(answered && rules ? { typed: value } : {}),
    };
  });

const decimalCase: fc.Arbitrary<Case> = fc
  .record({
    scale: fc.integer({ min: 0, max: 3 }),
    units: fc.bigInt({ min: -100_000n, max: 100_000n }),
    bounds: optionalPair(fc.integer({ min: -80_000, max: 80_000 })),
    comma: fc.boolean(),
    tooPrecise: fc.boolean(),
  })
  .map(({ scale, units, bounds: [minUnits, maxUnits], comma, tooPrecise }) => {
    const exact = formatUnits(units, scale);
    const typed = comma ? exact.replace('.', ',') : exact;
    const raw = tooPrecise ? `${typed}${scale === 0 ? '.' : ''}7` : typed;
    const inBounds = within(
      units,
      minUnits === undefined ? undefined : BigInt(minUnits),
      maxUnits === undefined ? undefined : BigInt(maxUnits),
    );
    const ok = !tooPrecise && inBounds;
    const toNumber = (u: number | undefined) => (u === undefined ? undefined : u / 10 ** scale);
    const min = toNumber(minUnits);
    const max = toNumber(maxUnits);
    return {
      field: { type: 'decimal', label, scale, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) },
      raw,
      valid: ok,
      ...(ok ? { typed: exact } : {}),
    };
  });

const DAY = 24 * 3600 * 1000;
const isoDay = (n: number) => new Date(Date.UTC(2000, 0, 1) + n * DAY).toISOString().slice(0, 10);
const dateCase: fc.Arbitrary<Case> = fc
  .record({
    day: fc.integer({ min: 0, max: 12_000 }),
    bounds: optionalPair(fc.integer({ min: 0, max: 12_000 })),
    french: fc.boolean(),
    impossible: fc.boolean(),
  })
  .map(({ day, bounds: [minDay, maxDay], french, impossible }) => {
    const iso = isoDay(day);
    const [y, m, d] = iso.split('-');
    const raw = impossible ? `${y}-02-30` : french ? `${d}/${m}/${y}` : iso;
    const min = minDay === undefined ? undefined : isoDay(minDay);
    const max = maxDay === undefined ? undefined : isoDay(maxDay);
    const ok = !impossible && within(iso, min, max);
    return {
      field: { type: 'date', label, ...(min ? { min } : {}), ...(max ? { max } : {}) },
      raw,
      valid: ok,
      ...(ok ? { typed: iso } : {}),
    };
  });

const choicesCase: fc.Arbitrary<Case> = fc.integer({ min: 1, max: 5 }).chain((n) =>
  fc
    .record({
      ticked: fc.subarray(Array.from({ length: n }, (_, i) => `o${i}`)),
      bounds: optionalPair(fc.integer({ min: 1, max: n })),
      required: fc.boolean(),
      stranger: fc.boolean(),
    })
    .map(({ ticked, bounds: [min, max], required, stranger }) => {
      const posted = stranger ? [...ticked, 'intruder'] : ticked;
      const counted = within(ticked.length, min ?? 1, max ?? n);
      const valid = stranger ? false : ticked.length === 0 ? !required : counted;
      return {
        field: {
          type: 'choices',
          label,
          required,
          options: Array.from({ length: n }, (_, i) => ({ value: `o${i}`, label })),
          ...(min !== undefined ? { min } : {}),
          ...(max !== undefined ? { max } : {}),
        },
        raw: [...posted].reverse(),
        valid,
        ...(valid && ticked.length > 0 ? { typed: ticked } : {}),
      };
    }),
);

const yesnoCase: fc.Arbitrary<Case> = fc
  .record({ raw: fc.constantFrom('yes', 'no', '', 'maybe'), required: fc.boolean() })
  .map(({ raw, required }) => ({
    field: { type: 'yesno', label, required },
    raw,
    valid: raw === 'maybe' ? false : raw === '' ? !required : true,
    ...(raw === 'yes' || raw === 'no' ? { typed: raw === 'yes' } : {}),
  }));

const ibanCase: fc.Arbitrary<Case> = fc
  .record({
    country: fc.constantFrom('FR', 'DE', 'BE', 'NL', 'ES'),
    digits: fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 30, maxLength: 30 }),
    typo: fc.boolean(),
  })
  .map(({ country, digits, typo }) => {
    const bban = digits.slice(0, IBAN_LENGTHS[country]! - 4);
    const iban = `${country}${String(98 - ibanRemainder(`${country}00${bban}`)).padStart(2, '0')}${bban}`;
    const last = iban.at(-1)!;
    const posted = typo ? iban.slice(0, -1) + String((Number(last) + 1) % 10) : iban;
    const spaced = posted.toLowerCase().replace(/(.{4})/g, '$1 ');
    return { field: { type: 'iban', label, required: true }, raw: spaced, valid: !typo, ...(typo ? {} : { typed: iban }) };
  });

const anyCase = fc.oneof(integerCase, textCase, decimalCase, dateCase, choicesCase, yesnoCase, ibanCase);

describe('server validation of generated forms', () => {
  it('accepts exactly the valid answers and yields their typed values, dropping unknown fields', () => {
    fc.assert(
      fc.property(
        fc.array(anyCase, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.dictionary(fc.constantFrom('zz', 'extra', '_x', 'f0x'), fc.string()),
        (cases, stepCount, strangers) => {
          const fields = cases.map((c, i) => ({ ...c.field, code: `f${i}` }));
          const steps = Array.from({ length: stepCount }, (_, s) => ({
            code: `s${s}`,
            title: label,
            fields: fields.filter((_, i) => i % stepCount === s),
          })).filter((s) => s.fields.length > 0);
          const definition = defineForm({ code: 'test:generated', version: 1, title: label, steps });
          const raw: RawValues = { ...strangers };
          cases.forEach((c, i) => {
            raw[`f${i}`] = c.raw;
          });
          const result = validateForm(definition, raw);
          expect(result.ok).toBe(cases.every((c) => c.valid));
          const refused = new Set(result.errors.map((e) => e.field));
          cases.forEach((c, i) => {
            expect(refused.has(`f${i}`), `f${i} ${JSON.stringify(c)}`).toBe(!c.valid);
            if (c.typed === undefined) expect(result.data).not.toHaveProperty(`f${i}`);
            else expect(result.data[`f${i}`]).toEqual(c.typed);
          });
          expect(Object.keys(result.data).every((k) => /^f\d+$/.test(k))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never requires nor keeps a field whose condition does not hold', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('yes', 'no', ''),
        fc.string({ unit: fc.constantFrom('a', 'b', ' '), maxLength: 5 }),
        fc.boolean(),
        (kids, note, inSection) => {
          const dependent = { type: 'text', code: 'note', label, required: true };
          const when = { field: 'kids', op: 'eq', value: true } as const;
          const fields = inSection
            ? [
                { type: 'yesno', code: 'kids', label },
                { type: 'section', code: 'more', title: label, when, fields: [dependent] },
              ]
            : [
                { type: 'yesno', code: 'kids', label },
                { ...dependent, when },
              ];
          const definition = defineForm({
            code: 'test:conditional',
            version: 1,
            title: label,
            steps: [{ code: 'one', title: label, fields }],
          });
          const result = validateForm(definition, { kids, note });
          const shown = kids === 'yes';
          const typed = note.replace(/\s+/g, ' ').trim();
          expect(result.ok).toBe(!shown || typed !== '');
          if (shown && typed) expect(result.data.note).toBe(typed);
          else expect(result.data).not.toHaveProperty('note');
          expect(result.fields.includes('note')).toBe(shown);
        },
      ),
    );
  });

  it('counts only the rows of a group that are filled, within its bounds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }), { maxLength: 6 }),
        fc.integer({ min: 0, max: 3 }),
        (ages, min) => {
          const definition = defineForm({
            code: 'test:group',
            version: 1,
            title: label,
            steps: [
              {
                code: 'one',
                title: label,
                fields: [
                  {
                    type: 'group',
                    code: 'kids',
                    label,
                    rowLabel: label,
                    min,
                    max: 4,
                    fields: [{ type: 'integer', code: 'age', label, required: true, max: 11 }],
                  },
                ],
              },
            ],
          });
          const raw: RawValues = { 'kids.rows': String(ages.length) };
          ages.forEach((age, i) => {
            raw[`kids.${i}.age`] = age === undefined ? '' : String(age);
          });
          const shown = ages.slice(0, 4);
          const filled = shown.filter((a) => a !== undefined) as number[];
          const valid = filled.every((a) => a <= 11) && filled.length >= min;
          const result = validateForm(definition, raw);
          expect(result.ok).toBe(valid);
          if (valid && filled.length) expect(result.data.kids).toEqual(filled.map((age) => ({ age })));
          else expect(result.data).not.toHaveProperty('kids');
        },
      ),
    );
  });
});

describe('validation of single answers', () => {
  const one = (field: Record<string, unknown>, raw: RawValues, options = {}) =>
    validateForm(
      defineForm({
        code: 'test:one',
        version: 1,
        title: label,
        steps: [{ code: 'one', title: label, fields: [{ code: 'q', label, ...field }] }],
      }),
      raw,
      options,
    );

  it('reads e-mails, phones, addresses and dates relative to today', () => {
    expect(one({ type: 'email' }, { q: ' Ada@Example.FR ' }).data.q).toBe('ada@example.fr');
    expect(one({ type: 'email' }, { q: 'ada@' }).errors[0]?.code).toBe('email');
    expect(one({ type: 'phone' }, { q: '+33 1 23 45 67 89' }).data.q).toBe('+33123456789');
    expect(one({ type: 'phone' }, { q: 'call me' }).errors[0]?.code).toBe('phone');
    expect(one({ type: 'address' }, { 'q.text': '5 rue Lobau', 'q.lat': '48,8566', 'q.lng': '2.3522' }).data.q).toEqual({
      text: '5 rue Lobau',
      point: { lat: 48.8566, lng: 2.3522 },
    });
    expect(one({ type: 'address', point: 'required' }, { 'q.text': '5 rue Lobau' }).errors[0]).toMatchObject({
      field: 'q.lat',
      code: 'point-required',
    });
    expect(one({ type: 'address' }, { 'q.text': 'x', 'q.lat': '95', 'q.lng': '2' }).errors[0]).toMatchObject({
      field: 'q.lat',
      code: 'latitude',
    });
    expect(one({ type: 'date', max: 'today' }, { q: '2026-05-02' }, { today: '2026-05-01' }).errors[0]).toMatchObject({
      code: 'date-max',
      params: { max: '2026-05-01' },
    });
    expect(one({ type: 'date', max: 'today' }, { q: '2026-05-01' }, { today: '2026-05-01' }).ok).toBe(true);
  });

  it('accepts only the uploads it is given, of the accepted types, sizes and count', () => {
    const files = new Map([
      ['a', { id: 'a', name: 'a.pdf', mime: 'application/pdf', size: 1000 }],
      ['b', { id: 'b', name: 'b.jpg', mime: 'image/jpeg', size: 5_000_000 }],
    ]);
    expect(one({ type: 'file' }, { q: 'a' }, { files }).data.q).toEqual([files.get('a')]);
    expect(one({ type: 'file' }, { q: 'someone-elses' }, { files }).errors[0]?.code).toBe('file-unknown');
    expect(one({ type: 'photo' }, { q: 'a' }, { files }).errors[0]?.code).toBe('file-type');
    expect(one({ type: 'file', maxBytes: 1_000_000 }, { q: 'b' }, { files }).errors[0]?.code).toBe('file-size');
    expect(one({ type: 'file' }, { q: ['a', 'b'] }, { files }).errors[0]?.code).toBe('files-max');
    expect(one({ type: 'file', max: 2 }, { q: ['a', 'b'] }, { files }).ok).toBe(true);
    expect(one({ type: 'file', required: true }, {}, { files }).errors[0]?.code).toBe('required');
  });

  it('checks only the asked step, with conditions still seeing earlier steps', () => {
    const definition = defineForm({
      code: 'test:steps',
      version: 1,
      title: label,
      steps: [
        { code: 'a', title: label, fields: [{ type: 'integer', code: 'age', label, required: true }] },
        {
          code: 'b',
          title: label,
          when: { field: 'age', op: 'ge', value: 18 },
          fields: [{ type: 'text', code: 'job', label, required: true }],
        },
      ],
    });
    expect(validateForm(definition, {}, { step: 'b' }).errors).toEqual([]);
    expect(validateForm(definition, { age: '20' }, { step: 'b' }).errors.map((e) => e.field)).toEqual(['job']);
    expect(validateForm(definition, { age: '12' }).steps).toEqual(['a']);
    expect(validateForm(definition, { age: '12', job: 'ignored' }).data).toEqual({ age: 12 });
  });
});
