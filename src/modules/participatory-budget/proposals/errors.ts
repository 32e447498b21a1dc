import { type FieldProblem, HttpError } from '../../../kernel/http/errors.js';

/**
 * The refusals of proposals and projects (problem+json `code` "participatory-budget.<code>"); each
 * has a message "error.code.participatory-budget.<code>" (what the error page shows). Field problems carry message keys too.
 */
const STATUS = {
  'invalid-proposal': 400,
  'not-proposals-phase': 409,
  'proposal-unknown': 404,
  'proposal-not-published': 409,
  'proposal-not-pending': 409,
  'reason-required': 400,
  'already-supported': 409,
  'own-proposal': 409,
  'invalid-project': 400,
  'project-unknown': 404,
  'proposals-not-mergeable': 409,
  'invalid-evaluation': 400,
  'not-feasible-for-ballot': 409,
  'invalid-csv': 400,
  'vote-opened': 409,
  'not-allowed': 403,
} as const;
export type ProposalErrorCode = keyof typeof STATUS;
export const PROPOSAL_ERROR_CODES = Object.keys(STATUS) as ProposalErrorCode[];

export function proposalError(code: ProposalErrorCode, message: string, fields: FieldProblem[] = []): HttpError {
  return new HttpError(STATUS[code], `participatory-budget.${code}`, message, fields);
}
