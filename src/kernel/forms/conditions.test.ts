import { describe, expect, it } from 'vitest';
import { type ConditionLookup, holds, referencedFields } from './conditions.js';
import type { Condition, ValueFieldDef } from './definition.js';

const label = { fr: 'x', en: 'x' };
const fields: Record<string, ValueFieldDef> = {
  age: { type: 'integer', code: 'age', label },
  price: { type: 'decimal', code: 'price', label, scale: 2 },
  born: { type: 'date', code: 'born', label },
  kids: { type: 'yesno', code: 'kids', label },
  pass: { type: 'choice', code: 'pass', label, options: [{ value: 'navigo', label }] },
  tags: { type: 'choices', code: 'tags', label, options: [{ value: 'a', label }] },
  note: { type: 'text', code: 'note', label },
};

function lookup(answers: Record<string, unknown>): ConditionLookup {
  return (code) => (fields[code] ? { field: fields[code]!, value: answers[code] } : undefined);
}

const check = (condition: Condition, answers: Record<string, unknown>) => holds(condition, lookup(answers));

describe('conditions', () => {
  it('compare numbers, exact decimals and dates', () => {
    expect(check({ field: 'age', op: 'ge', value: 4 }, { age: 4 })).toBe(true);
    expect(check({ field: 'age', op: 'lt', value: 4 }, { age: 4 })).toBe(false);
    expect(check({ field: 'age', op: 'le', value: 11 }, { age: 11 })).toBe(true);
    expect(check({ field: 'age', op: 'gt', value: 11 }, { age: 12 })).toBe(true);
    expect(check({ field: 'price', op: 'eq', value: 0.3 }, { price: '0.30' })).toBe(true);
    expect(check({ field: 'price', op: 'gt', value: 0.1 }, { price: '0.11' })).toBe(true);
    expect(check({ field: 'born', op: 'lt', value: '2015-09-01' }, { born: '2015-08-31' })).toBe(true);
    expect(check({ field: 'born', op: 'ge', value: '2015-09-01' }, { born: '2015-08-31' })).toBe(false);
  });

  it('test equality, inclusion and emptiness', () => {
    expect(check({ field: 'kids', op: 'eq', value: true }, { kids: true })).toBe(true);
    expect(check({ field: 'kids', op: 'eq', value: true }, { kids: false })).toBe(false);
    expect(check({ field: 'pass', op: 'ne', value: 'navigo' }, { pass: 'navigo' })).toBe(false);
    expect(check({ field: 'tags', op: 'includes', value: 'a' }, { tags: ['a'] })).toBe(true);
    expect(check({ field: 'tags', op: 'includes', value: 'a' }, { tags: [] })).toBe(false);
    expect(check({ field: 'tags', op: 'empty' }, { tags: [] })).toBe(true);
    expect(check({ field: 'note', op: 'notEmpty' }, { note: 'hi' })).toBe(true);
  });

  it('treat an unanswered field as empty: equal to nothing, different from everything, never ordered', () => {
    expect(check({ field: 'age', op: 'eq', value: 4 }, {})).toBe(false);
    expect(check({ field: 'age', op: 'ne', value: 4 }, {})).toBe(true);
    expect(check({ field: 'age', op: 'lt', value: 4 }, {})).toBe(false);
    expect(check({ field: 'age', op: 'ge', value: 4 }, {})).toBe(false);
    expect(check({ field: 'age', op: 'empty' }, {})).toBe(true);
  });

  it('combine with all and any, nested', () => {
    const eligible: Condition = {
      all: [
        { field: 'age', op: 'ge', value: 4 },
        { field: 'age', op: 'le', value: 11 },
        {
          any: [
            { field: 'pass', op: 'eq', value: 'navigo' },
            { field: 'kids', op: 'eq', value: true },
          ],
        },
      ],
    };
    expect(check(eligible, { age: 7, pass: 'navigo' })).toBe(true);
    expect(check(eligible, { age: 7, kids: true })).toBe(true);
    expect(check(eligible, { age: 7 })).toBe(false);
    expect(check(eligible, { age: 12, kids: true })).toBe(false);
    expect(referencedFields(eligible)).toEqual(['age', 'age', 'pass', 'kids']);
    expect(holds(undefined, lookup({}))).toBe(true);
  });
});
