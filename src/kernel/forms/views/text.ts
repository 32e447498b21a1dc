import { formatDate } from '../../i18n/format.js';
import type { Lang } from '../../i18n/types.js';
import type { ViewContext } from '../../ui/context.js';
import type { AddressAnswer, Answer, FileAnswer, FormError } from '../answers.js';
import type { Condition, ConditionValue, FormDefinition, LeafFieldDef, ValueFieldDef } from '../definition.js';
import { formatIban } from '../iban.js';

/** Words shown to people for values held in the data: dates in full, decimal commas in French. */
export function formatDay(ctx: ViewContext, isoDate: string): string {
  return formatDate(ctx.lang, `${isoDate}T12:00:00Z`, 'UTC');
}

function formatDecimal(lang: Lang, value: string): string {
  return lang === 'fr' ? value.replace('.', ',') : value;
}

/** A problem as a sentence in the page's language (a pattern's own message, or the code's). */
export function errorText(ctx: ViewContext, error: FormError): string {
  if (error.message) return error.message[ctx.lang];
  const params = { ...error.params };
  if (error.code.startsWith('date-')) {
    for (const key of ['min', 'max'] as const) if (typeof params[key] === 'string') params[key] = formatDay(ctx, params[key]);
  }
  return ctx.t(`forms.error.${error.code}`, params);
}

function conditionValue(ctx: ViewContext, field: ValueFieldDef, value: ConditionValue | undefined): string {
  if (value === undefined) return '';
  if (field.type === 'choice' || field.type === 'choices')
    return field.options.find((o) => o.value === value)?.label[ctx.lang] ?? String(value);
  if (field.type === 'yesno') return ctx.t(value ? 'forms.yes' : 'forms.no');
  if (field.type === 'date' && typeof value === 'string') return formatDay(ctx, value);
  return typeof value === 'number' ? formatDecimal(ctx.lang, String(value)) : String(value);
}

/** Finds the field a condition names: a sibling in the same group's row first, then the form's. */
export type FieldFinder = (code: string) => ValueFieldDef | undefined;

export function fieldFinder(definition: FormDefinition, siblings: readonly LeafFieldDef[] = []): FieldFinder {
  const all = new Map<string, ValueFieldDef>();
  for (const step of definition.steps) {
    for (const field of step.fields) {
      if (field.type === 'section') for (const inner of field.fields) if (inner.type !== 'explanation') all.set(inner.code, inner);
      if (field.type !== 'section' && field.type !== 'explanation') all.set(field.code, field);
    }
  }
  return (code) => siblings.find((s) => s.code === code) ?? all.get(code);
}

/** "the answer to “Do you have children?” is “Yes”": a condition read out, for pages that work without JavaScript. */
export function describeCondition(ctx: ViewContext, condition: Condition, find: FieldFinder, nested = false): string {
  if ('all' in condition || 'any' in condition) {
    const parts = 'all' in condition ? condition.all : condition.any;
    const joined = parts
      .map((c) => describeCondition(ctx, c, find, true))
      .join(ctx.t('all' in condition ? 'forms.condition.and' : 'forms.condition.or'));
    return nested && parts.length > 1 ? `(${joined})` : joined;
  }
  const field = find(condition.field);
  if (!field) return '';
  return ctx.t(`forms.condition.${condition.op}`, { field: field.label[ctx.lang], value: conditionValue(ctx, field, condition.value) });
}

function isAddress(value: Answer): value is AddressAnswer {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'text' in value;
}

/** An answer as text for the summary (files, groups and multiple choices are listed by the caller). */
export function answerText(ctx: ViewContext, field: LeafFieldDef, value: Answer | undefined): string {
  if (value === undefined) return ctx.t('forms.summary.notAnswered');
  switch (field.type) {
    case 'choice':
      return field.options.find((o) => o.value === value)?.label[ctx.lang] ?? String(value);
    case 'choices':
      return field.options
        .filter((o) => (value as string[]).includes(o.value))
        .map((o) => o.label[ctx.lang])
        .join(', ');
    case 'yesno':
      return ctx.t(value ? 'forms.yes' : 'forms.no');
    case 'date':
      return formatDay(ctx, String(value));
    case 'decimal':
      return formatDecimal(ctx.lang, String(value));
    case 'iban':
      return formatIban(String(value));
    case 'address': {
      if (!isAddress(value)) return '';
      const { text, point } = value;
      return point ? ctx.t('forms.summary.addressWithPoint', { address: text, lat: point.lat, lng: point.lng }) : text;
    }
    case 'file':
    case 'photo':
      return (value as FileAnswer[]).map((f) => f.name).join(', ');
    default:
      return String(value);
  }
}
