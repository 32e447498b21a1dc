import type { Lang } from '../../i18n/types.js';
import type { FormDefinition } from '../definition.js';
import { groupValueFields } from '../walk.js';
import { fieldFinder } from './text.js';

/** The question an input belongs to, for the error summary: "Child 2 – Date of birth" inside a group's row. */
export function inputLabel(definition: FormDefinition, lang: Lang, name: string): string | undefined {
  const [code = '', row, child] = name.split('.');
  const field = fieldFinder(definition)(code);
  if (!field) return undefined;
  if (field.type === 'group' && row !== undefined && /^\d+$/.test(row) && child) {
    const inner = groupValueFields(field).find((f) => f.code === child);
    const rowLabel = field.rowLabel[lang].replace('{n}', String(Number(row) + 1));
    return inner ? `${rowLabel} – ${inner.label[lang]}` : rowLabel;
  }
  return field.label[lang];
}
