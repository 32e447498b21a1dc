import { describe, expect, it } from 'vitest';
import { defineForm, InvalidFormDefinition } from './definition.js';

const label = { fr: 'Question', en: 'Question' };
const form = (fields: unknown[], more: unknown[] = []) => ({
  code: 'test:form',
  version: 1,
  title: label,
  steps: [{ code: 'one', title: label, fields }, ...more],
});

function problems(input: unknown): string {
  try {
    defineForm(input);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidFormDefinition);
    return (err as Error).message;
  }
  throw new Error('the definition was accepted');
}

describe('form definitions', () => {
  it('accept a valid definition as it is', () => {
    const input = form([
      { type: 'yesno', code: 'kids', label },
      { type: 'integer', code: 'count', label, min: 1, max: 9, when: { field: 'kids', op: 'eq', value: true } },
    ]);
    expect(defineForm(input)).toEqual(input);
  });

  it('name the path of every problem', () => {
    const message = problems(
      form([
        { type: 'text', code: 'Bad Code', label },
        { type: 'integer', code: 'n', label: { fr: 'Nombre' } },
        { type: 'choice', code: 'c', label, options: [] },
        { type: 'date', code: 'd', label, min: 'tomorrow' },
      ]),
    );
    expect(message).toContain('Invalid form definition "test:form":');
    expect(message).toContain('steps.0.fields.0.code: must be lowercase letters');
    expect(message).toContain('steps.0.fields.1.label.en');
    expect(message).toContain('steps.0.fields.2.options');
    expect(message).toContain('steps.0.fields.3.min');
  });

  it('refuse conditions on later or unknown fields, and operators or values that do not fit', () => {
    const message = problems(
      form([
        { type: 'text', code: 'a', label, when: { field: 'b', op: 'eq', value: 'x' } },
        { type: 'text', code: 'b', label },
        { type: 'yesno', code: 'y', label },
        { type: 'text', code: 'c', label, when: { field: 'y', op: 'lt', value: 3 } },
        { type: 'text', code: 'd', label, when: { field: 'y', op: 'eq', value: 'yes' } },
        { type: 'text', code: 'e', label, when: { all: [{ field: 'y', op: 'empty', value: true }] } },
      ]),
    );
    expect(message).toContain('steps.0.fields.0.when.field: "b" is not a field asked before this one');
    expect(message).toContain('steps.0.fields.3.when.op: "lt" does not apply to a yesno field');
    expect(message).toContain('steps.0.fields.4.when.value: needs a true or false "value"');
    expect(message).toContain('steps.0.fields.5.when.all.0.value: "empty" takes no value');
  });

  it('refuse duplicate codes, reversed bounds and bad patterns', () => {
    const message = problems(
      form([
        { type: 'text', code: 'a', label, minLength: 5, maxLength: 2, pattern: { regex: '(', message: label } },
        { type: 'integer', code: 'a', label, min: 5, max: 1 },
        { type: 'decimal', code: 'p', label, scale: 1, min: 0.25 },
        {
          type: 'choices',
          code: 'c',
          label,
          max: 3,
          options: [
            { value: 'x', label },
            { value: 'x', label },
          ],
        },
      ]),
    );
    expect(message).toContain('steps.0.fields.0.pattern.regex: is not a valid regular expression');
    expect(message).toContain('steps.0.fields.0.minLength: "minLength" is above "maxLength"');
    expect(message).toContain('steps.0.fields.1.code: "a" is used twice in this form');
    expect(message).toContain('steps.0.fields.1.min: "min" is above "max"');
    expect(message).toContain('steps.0.fields.2.min: has more than 1 decimals');
    expect(message).toContain('steps.0.fields.3.options: two options have the same value');
    expect(message).toContain('steps.0.fields.3.max: "max" is above the number of options');
  });

  it('let a group row look at its own earlier fields, and a step only at earlier steps', () => {
    const group = {
      type: 'group',
      code: 'kids',
      label,
      rowLabel: label,
      fields: [
        { type: 'yesno', code: 'pass', label },
        { type: 'text', code: 'number', label, when: { field: 'pass', op: 'eq', value: true } },
      ],
    };
    expect(() => defineForm(form([group]))).not.toThrow();
    const message = problems(
      form(
        [{ type: 'yesno', code: 'y', label }],
        [{ code: 'two', title: label, when: { field: 'z', op: 'empty' }, fields: [{ type: 'yesno', code: 'z', label }] }],
      ),
    );
    expect(message).toContain('steps.1.when.field: "z" is not a field asked before this one');
  });
});
