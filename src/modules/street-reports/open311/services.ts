import type { FieldDef, LeafFieldDef, RawValues } from '../../../kernel/forms/index.js';
import type { Translate } from '../../../kernel/i18n/i18n.js';
import type { Lang } from '../../../kernel/i18n/types.js';
import type { Category, CategoryTree } from '../domain/categories.js';
import { checkAnswers } from '../domain/questions.js';
import type { Value } from './format.js';

export type Open311Datatype = 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';

/** The category's questions, sections opened out (groups of rows have no Open311 equivalent). */
export function questionsOf(category: Category): (LeafFieldDef | Extract<FieldDef, { type: 'explanation' }>)[] {
  const out: (LeafFieldDef | Extract<FieldDef, { type: 'explanation' }>)[] = [];
  const walk = (fields: readonly FieldDef[]) => {
    for (const f of fields) {
      if (f.type === 'section') walk(f.fields);
      else if (f.type !== 'group' && f.type !== 'file' && f.type !== 'photo') out.push(f);
    }
  };
  walk(category.questions ?? []);
  return out;
}

/** The forms engine's field types in Open311's terms. Files are not attributes: photos come as `media`. */
export function datatypeOf(type: LeafFieldDef['type']): Open311Datatype {
  switch (type) {
    case 'textarea':
      return 'text';
    case 'integer':
    case 'decimal':
      return 'number';
    case 'date':
      return 'datetime';
    case 'choice':
    case 'yesno':
      return 'singlevaluelist';
    case 'choices':
      return 'multivaluelist';
    default:
      return 'string';
  }
}

/** What a service offers residents: leaves they may choose, not sent elsewhere. */
export function residentServices(tree: CategoryTree): Category[] {
  return tree.leaves.filter((leaf) => !leaf.agentOnly && !leaf.elsewhere);
}

export function serviceOf(tree: CategoryTree, code: string): Category | undefined {
  const leaf = tree.byCode.get(code);
  return leaf && leaf.children.length === 0 && !leaf.agentOnly && !leaf.elsewhere ? leaf : undefined;
}

/** One entry of `services.{fmt}`: group is the top-level label, keywords the labels above the leaf. */
export function serviceEntry(tree: CategoryTree, leaf: Category, lang: Lang): Record<string, Value> {
  const parents = leaf.parents.map((code) => tree.byCode.get(code)).filter((c): c is Category => !!c);
  return {
    service_code: leaf.code,
    service_name: leaf.label[lang],
    description: [...parents.map((p) => p.label[lang]), leaf.label[lang]].join(' › '),
    metadata: questionsOf(leaf).length > 0,
    type: 'realtime',
    // Both languages, so a client searching in either finds it.
    keywords: [...new Set([...parents, leaf].flatMap((c) => [c.label.fr, c.label.en]))].join(', '),
    group: parents[0]?.label[lang] ?? leaf.label[lang],
  };
}

/** `services/{code}.{fmt}`: the category's questions as attributes, in their order. */
export function serviceDefinition(leaf: Category, lang: Lang, t: Translate): Record<string, Value> {
  const attributes = questionsOf(leaf).map((q, index): Record<string, Value> => {
    if (q.type === 'explanation') {
      // Information for the reporter, not a question: the standard's `variable: false`.
      return {
        variable: false,
        code: q.code,
        datatype: 'string',
        required: false,
        datatype_description: null,
        order: index + 1,
        description: q.title ? `${q.title[lang]}: ${q.text[lang]}` : q.text[lang],
        values: [],
      };
    }
    const values =
      q.type === 'choice' || q.type === 'choices'
        ? q.options.map((o) => ({ key: o.value, name: o.label[lang] }))
        : q.type === 'yesno'
          ? [
              { key: 'yes', name: t('street-reports.open311.yes') },
              { key: 'no', name: t('street-reports.open311.no') },
            ]
          : [];
    return {
      variable: true,
      code: q.code,
      datatype: datatypeOf(q.type),
      required: q.required === true,
      datatype_description: describeType(q, lang, t),
      order: index + 1,
      description: q.label[lang],
      values,
    };
  });
  return { service_code: leaf.code, attributes };
}

function describeType(q: LeafFieldDef, lang: Lang, t: Translate): string | null {
  const hint = q.hint?.[lang];
  const format =
    q.type === 'date'
      ? t('street-reports.open311.type.date')
      : q.type === 'integer'
        ? t('street-reports.open311.type.integer')
        : q.type === 'decimal'
          ? t('street-reports.open311.type.decimal', { scale: q.scale })
          : q.type === 'email'
            ? t('street-reports.open311.type.email')
            : q.type === 'phone'
              ? t('street-reports.open311.type.phone')
              : null;
  return [hint, format].filter(Boolean).join(' ') || null;
}

/**
 * Checks the posted `attribute[code]` values against the category's questions with the forms engine
 * (the same rules as the web form) and returns the typed answers, or the problems by attribute.
 */
export function answersFor(
  leaf: Category,
  posted: Record<string, string[]>,
): { answers: Record<string, unknown>; problems: { field: string; code: string; params?: Record<string, string | number> }[] } {
  const questions = questionsOf(leaf).filter((q): q is LeafFieldDef => q.type !== 'explanation');
  const known = new Set(questions.map((q) => q.code));
  const unknown = Object.keys(posted).filter((code) => !known.has(code));
  if (!questions.length) return { answers: {}, problems: unknown.map((code) => ({ field: `attribute[${code}]`, code: 'unknown' })) };
  const raw: RawValues = {};
  for (const q of questions) {
    const values = posted[q.code];
    if (!values?.length) continue;
    if (q.type === 'address') raw[`${q.code}.text`] = values[0]!;
    // Open311's datetime may carry a time: the question asks for a day.
    else if (q.type === 'date') raw[q.code] = values[0]!.slice(0, 10);
    else raw[q.code] = q.type === 'choices' ? values : values[0]!;
  }
  const result = checkAnswers(leaf, raw);
  const problems = [
    ...result.errors.map((e) => ({
      field: `attribute[${e.field.split('.')[0]}]`,
      code: e.code,
      ...(e.params ? { params: e.params } : {}),
    })),
    ...unknown.map((code) => ({ field: `attribute[${code}]`, code: 'unknown' })),
  ];
  return { answers: result.answers, problems };
}
