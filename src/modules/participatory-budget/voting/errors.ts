import { type FieldProblem, HttpError } from '../../../kernel/http/errors.js';
import type { BallotCheck } from '../ballots/validate.js';

/**
 * The vote's refusals (problem+json `code` "participatory-budget.<code>"); each has a message
 * "participatory-budget.errors.<code>" in both languages, which the error page shows too.
 */
const STATUS = {
  'vote-closed': 409,
  ineligible: 403,
  'district-required': 409,
  'district-unknown': 400,
  'district-locked': 409,
  'residence-statement-required': 400,
  'envelope-not-yours': 403,
  'invalid-ballot': 400,
  'no-ballot': 404,
  'ballot-confirmed': 409,
  'already-voted': 409,
  'voter-unknown': 404,
  'invalid-voter': 400,
  'invalid-counts': 400,
  'invalid-eligibility': 400,
} as const;
export type VoteErrorCode = keyof typeof STATUS;
export const VOTE_ERROR_CODES = Object.keys(STATUS) as VoteErrorCode[];

export function voteError(code: VoteErrorCode, message: string, fields: FieldProblem[] = []): HttpError {
  return new HttpError(STATUS[code], `participatory-budget.${code}`, message, fields);
}

/** The refusal's own code ("vote-closed") when it is one of the vote's, for pages that explain it. */
export function voteErrorCode(error: unknown): VoteErrorCode | undefined {
  if (!(error instanceof HttpError) || !error.code.startsWith('participatory-budget.')) return undefined;
  const code = error.code.slice('participatory-budget.'.length);
  return code in STATUS ? (code as VoteErrorCode) : undefined;
}

/** A ballot refused by its envelope's rules, with every problem for the ballot page to show. */
export class InvalidBallot extends HttpError {
  constructor(readonly check: BallotCheck) {
    super(
      400,
      'participatory-budget.invalid-ballot',
      `The ballot breaks the envelope's rules: ${check.problems.map((p) => p.code + (p.projectId ? ` (${p.projectId})` : '')).join(', ')}.`,
      check.problems.map((p) => ({ field: p.projectId ?? 'ballot', message: p.code })),
    );
  }
}
