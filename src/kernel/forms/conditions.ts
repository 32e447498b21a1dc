import type { Condition, ConditionOp, ConditionValue, ValueFieldDef } from './definition.js';
import { decimalUnits, numberUnits } from './scalars.js';

/** Which operators make sense on each type of answer (checked when a definition is loaded). */
export function operatorsFor(field: ValueFieldDef): readonly ConditionOp[] {
  switch (field.type) {
    case 'integer':
    case 'decimal':
    case 'date':
      return ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'empty', 'notEmpty'];
    case 'choices':
      return ['includes', 'empty', 'notEmpty'];
    case 'address':
    case 'file':
    case 'photo':
    case 'group':
      return ['empty', 'notEmpty'];
    default:
      return ['eq', 'ne', 'empty', 'notEmpty'];
  }
}

/** The answer a condition on a field looks at: its definition and its typed value (undefined when unanswered or hidden). */
export type ConditionLookup = (code: string) => { field: ValueFieldDef; value: unknown } | undefined;

export function isEmptyAnswer(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

/** Negative, zero or positive as `answer` is below, equal to or above `expected`; undefined when they do not compare. */
function compare(field: ValueFieldDef, answer: unknown, expected: ConditionValue): number | undefined {
  if (field.type === 'decimal' && typeof answer === 'string') {
    const a = decimalUnits(answer, field.scale);
    const b = typeof expected === 'number' ? numberUnits(expected, field.scale) : decimalUnits(String(expected), field.scale);
    return a === undefined || b === undefined ? undefined : a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof answer === 'number' && typeof expected === 'number') return answer - expected;
  if (typeof answer === 'string' && typeof expected === 'string') return answer < expected ? -1 : answer > expected ? 1 : 0;
  return undefined;
}

function test(field: ValueFieldDef, answer: unknown, op: ConditionOp, expected: ConditionValue | undefined): boolean {
  if (op === 'empty') return isEmptyAnswer(answer);
  if (op === 'notEmpty') return !isEmptyAnswer(answer);
  if (expected === undefined) return false;
  if (op === 'includes') return Array.isArray(answer) && answer.includes(expected);
  if (isEmptyAnswer(answer)) return op === 'ne';
  if (op === 'eq' || op === 'ne') {
    const equal = typeof answer === 'boolean' ? answer === expected : compare(field, answer, expected) === 0;
    return op === 'eq' ? equal : !equal;
  }
  const order = compare(field, answer, expected);
  if (order === undefined) return false;
  return op === 'lt' ? order < 0 : op === 'le' ? order <= 0 : op === 'gt' ? order > 0 : order >= 0;
}

/**
 * Whether a condition holds. A field that is unanswered (or itself hidden) is empty: it equals
 * nothing, differs from everything, and is neither below nor above any value.
 */
export function holds(condition: Condition | undefined, lookup: ConditionLookup): boolean {
  if (!condition) return true;
  if ('all' in condition) return condition.all.every((c) => holds(c, lookup));
  if ('any' in condition) return condition.any.some((c) => holds(c, lookup));
  const target = lookup(condition.field);
  if (!target) return condition.op === 'empty' || condition.op === 'ne';
  return test(target.field, target.value, condition.op, condition.value);
}

/** Codes of the fields a condition looks at. */
export function referencedFields(condition: Condition | undefined): string[] {
  if (!condition) return [];
  if ('all' in condition) return condition.all.flatMap(referencedFields);
  if ('any' in condition) return condition.any.flatMap(referencedFields);
  return [condition.field];
}
