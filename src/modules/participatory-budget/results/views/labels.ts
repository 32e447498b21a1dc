import { formatMoney, formatNumber } from '../../../../kernel/i18n/format.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';

/** Whole euros, as budgets are published. */
export const euros = (ctx: ViewContext, amount: number) => formatMoney(ctx.lang, amount * 100).replace(/[.,]00(?=\D*$)/, '');

export const count = (ctx: ViewContext, n: number) => formatNumber(ctx.lang, n);

/** A grade's label: the city's message for the code, or the code itself for a scale without messages. */
export function gradeLabel(ctx: ViewContext, grade: string): string {
  const key = `participatory-budget.results.grade.${grade}`;
  const label = ctx.t(key);
  return label === key ? grade : label;
}
