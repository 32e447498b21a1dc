import { type FieldProblem, HttpError } from '../../../kernel/http/errors.js';

/** The refusals of execution tracking; each has a message "participatory-budget.tracking.errors.<code>". */
const STATUS = {
  'invalid-change': 400,
  'project-unknown': 404,
  'not-tracked': 404,
  forbidden: 403,
} as const;
export type TrackingErrorCode = keyof typeof STATUS;

/** A refusal in the kernel's problem style: code "participatory-budget.tracking.<code>", the offending fields. */
export function trackingError(code: TrackingErrorCode, message: string, fields: FieldProblem[] = []): HttpError {
  return new HttpError(STATUS[code], `participatory-budget.tracking.${code}`, message, fields);
}
