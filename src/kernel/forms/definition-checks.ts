import { operatorsFor } from './conditions.js';
import type { Condition, ConditionValue, FieldDef, FormDefinition, GroupDef, ValueFieldDef } from './definition.js';
import { numberUnits } from './scalars.js';
import { isValueField } from './walk.js';

export interface DefinitionProblem {
  path: (string | number)[];
  message: string;
}

type Known = ReadonlyMap<string, ValueFieldDef>;

function valueProblem(field: ValueFieldDef, value: ConditionValue | undefined): string | undefined {
  switch (field.type) {
    case 'integer':
      return Number.isInteger(value) ? undefined : 'needs an integer "value"';
    case 'decimal':
      return typeof value === 'number' && numberUnits(value, field.scale) !== undefined
        ? undefined
        : `needs a number "value" with at most ${field.scale} decimals`;
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? undefined : 'needs a "value" written YYYY-MM-DD';
    case 'yesno':
      return typeof value === 'boolean' ? undefined : 'needs a true or false "value"';
    case 'choice':
    case 'choices':
      return field.options.some((o) => o.value === value) ? undefined : `needs a "value" among the options of "${field.code}"`;
    default:
      return typeof value === 'string' ? undefined : 'needs a text "value"';
  }
}

/** Each leaf of a condition must name a field asked before it, with an operator and value that fit that field. */
function conditionProblems(condition: Condition | undefined, known: Known, path: (string | number)[]): DefinitionProblem[] {
  if (!condition) return [];
  if ('all' in condition) return condition.all.flatMap((c, i) => conditionProblems(c, known, [...path, 'all', i]));
  if ('any' in condition) return condition.any.flatMap((c, i) => conditionProblems(c, known, [...path, 'any', i]));
  const field = known.get(condition.field);
  if (!field) return [{ path: [...path, 'field'], message: `"${condition.field}" is not a field asked before this one` }];
  if (!operatorsFor(field).includes(condition.op)) {
    return [
      {
        path: [...path, 'op'],
        message: `"${condition.op}" does not apply to a ${field.type} field (use ${operatorsFor(field).join(', ')})`,
      },
    ];
  }
  if (condition.op === 'empty' || condition.op === 'notEmpty') {
    return condition.value === undefined ? [] : [{ path: [...path, 'value'], message: `"${condition.op}" takes no value` }];
  }
  const problem = valueProblem(field, condition.value);
  return problem ? [{ path: [...path, 'value'], message: problem }] : [];
}

function boundsProblems(field: FieldDef, path: (string | number)[]): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const f = field as { min?: number | string; max?: number | string; minLength?: number; maxLength?: number };
  const fixed = (v: number | string | undefined) => (v === 'today' ? undefined : v);
  const min = fixed(f.min);
  const max = fixed(f.max);
  if (min !== undefined && max !== undefined && min > max) problems.push({ path: [...path, 'min'], message: '"min" is above "max"' });
  if (f.minLength !== undefined && f.maxLength !== undefined && f.minLength > f.maxLength) {
    problems.push({ path: [...path, 'minLength'], message: '"minLength" is above "maxLength"' });
  }
  if (field.type === 'decimal') {
    for (const bound of ['min', 'max'] as const) {
      const value = field[bound];
      if (value !== undefined && numberUnits(value, field.scale) === undefined) {
        problems.push({ path: [...path, bound], message: `has more than ${field.scale} decimals` });
      }
    }
  }
  if ((field.type === 'choice' || field.type === 'choices') && new Set(field.options.map((o) => o.value)).size !== field.options.length) {
    problems.push({ path: [...path, 'options'], message: 'two options have the same value' });
  }
  if (field.type === 'choices' && field.max !== undefined && field.max > field.options.length) {
    problems.push({ path: [...path, 'max'], message: '"max" is above the number of options' });
  }
  return problems;
}

function groupProblems(group: GroupDef, known: Known, path: (string | number)[]): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  // Inside a row, conditions see the row's earlier fields first, then the form's.
  const row = new Map(known);
  const seen = new Set<string>();
  group.fields.forEach((child, i) => {
    const at = [...path, 'fields', i];
    if (seen.has(child.code)) problems.push({ path: [...at, 'code'], message: `"${child.code}" is used twice in this group` });
    seen.add(child.code);
    problems.push(...conditionProblems(child.when, row, [...at, 'when']), ...boundsProblems(child, at));
    if (isValueField(child)) row.set(child.code, child);
  });
  return problems;
}

/** What a JSON schema cannot say: unique codes, conditions on earlier fields, coherent bounds. */
export function checkDefinition(definition: FormDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const known = new Map<string, ValueFieldDef>();
  const codes = new Set<string>();
  const steps = new Set<string>();
  const claim = (code: string, path: (string | number)[]) => {
    if (codes.has(code)) problems.push({ path: [...path, 'code'], message: `"${code}" is used twice in this form` });
    codes.add(code);
  };
  const field = (f: FieldDef, path: (string | number)[]) => {
    claim(f.code, path);
    problems.push(...conditionProblems(f.when, known, [...path, 'when']), ...boundsProblems(f, path));
    if (f.type === 'group') problems.push(...groupProblems(f, known, path));
    if (f.type === 'section') {
      f.fields.forEach((inner, j) => {
        field(inner, [...path, 'fields', j]);
      });
    }
    if (isValueField(f)) known.set(f.code, f);
  };
  definition.steps.forEach((step, s) => {
    if (steps.has(step.code)) problems.push({ path: ['steps', s, 'code'], message: `step "${step.code}" is used twice` });
    steps.add(step.code);
    // A step's own condition may only look at earlier steps: it decides whether the step is asked at all.
    problems.push(...conditionProblems(step.when, known, ['steps', s, 'when']));
    step.fields.forEach((f, i) => {
      field(f, ['steps', s, 'fields', i]);
    });
  });
  return problems;
}
