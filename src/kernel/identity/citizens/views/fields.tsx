import type { FieldProblem } from '../../../http/errors.js';
import type { FieldError } from '../../../ui/components.js';
import type { ViewContext } from '../../../ui/context.js';
import { problemMessage } from '../validation.js';

/** The error summary's entries: each links to the field (its id is the field's name). */
export function summaryOf(ctx: ViewContext, problems: FieldProblem[]): FieldError[] {
  return problems.map((p) => ({ field: p.field, message: problemMessage(ctx.t, p) }));
}

export function errorOf(ctx: ViewContext, problems: FieldProblem[], name: string): string | undefined {
  const problem = problems.find((p) => p.field === name);
  return problem ? problemMessage(ctx.t, problem) : undefined;
}
