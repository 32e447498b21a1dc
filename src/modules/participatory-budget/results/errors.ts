import { type FieldProblem, HttpError } from '../../../kernel/http/errors.js';

const STATUS = {
  /** The vote is still open (or not yet held): nothing to count. */
  'vote-not-closed': 409,
  /** Published results are final: no recomputation, no new override. */
  'results-published': 409,
  /** An override or publication before the results were computed. */
  'results-not-computed': 409,
  /** Equal Shares needs every ballot; per-project paper counts cannot be split into ballots. */
  'paper-counts-need-ballots': 409,
  'invalid-override': 400,
  /** Pabulib import (pabulib-import.ts): the vote is under way, so ballots cast on the platform would mix with the file's. */
  'vote-open': 409,
  /** Pabulib import: the envelope already has projects, ballots or paper counts. */
  'envelope-not-empty': 409,
  /** Pabulib import: the file cannot be read, or its projects or ballots cannot be those of the envelope. */
  'pabulib-invalid': 400,
  /** Pabulib import: META budget is not the envelope's amount. */
  'pabulib-budget-mismatch': 409,
  /** Pabulib import: the file's vote type cannot be held by the envelope's ballot type. */
  'pabulib-vote-type': 409,
  'project-unknown': 404,
  'envelope-unknown': 404,
  'campaign-unknown': 404,
  forbidden: 403,
} as const;

export type ResultsErrorCode = keyof typeof STATUS;

/** A refusal in the kernel's problem style, code "participatory-budget.<code>" (a message of the same key names it). */
export function resultsError(code: ResultsErrorCode, message: string, fields: FieldProblem[] = []): HttpError {
  return new HttpError(STATUS[code], `participatory-budget.${code}`, message, fields);
}
