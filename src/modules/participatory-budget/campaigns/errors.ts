import { type FieldProblem, HttpError } from '../../../kernel/http/errors.js';
import { describeProblems } from './definition.js';

/** The codes of the layer's refusals (problem+json `code`); each has a message "participatory-budget.errors.<code>". */
export const CAMPAIGN_ERROR_CODES = [
  'invalid-campaign',
  'invalid-envelope',
  'campaign-exists',
  'campaign-unknown',
  'envelope-unknown',
  'frozen',
  'forbidden',
  'campaign-changed',
] as const;
export type CampaignErrorCode = (typeof CAMPAIGN_ERROR_CODES)[number];

const STATUS: Record<CampaignErrorCode, number> = {
  'invalid-campaign': 400,
  'invalid-envelope': 400,
  'campaign-exists': 409,
  'campaign-unknown': 404,
  'envelope-unknown': 404,
  frozen: 409,
  forbidden: 403,
  'campaign-changed': 409,
};

/** A refusal in the kernel's problem style: code "participatory-budget.<code>", the offending fields with their paths. */
export function campaignError(code: CampaignErrorCode, message: string, fields: FieldProblem[] = []): HttpError {
  return new HttpError(STATUS[code], `participatory-budget.${code}`, message, fields);
}

export function invalid(code: 'invalid-campaign' | 'invalid-envelope', what: string, problems: FieldProblem[]): HttpError {
  return campaignError(code, `${what} is invalid: ${describeProblems(problems)}.`, problems);
}
