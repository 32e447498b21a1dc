import type { Trx } from '../../../kernel/db/transaction.js';
import { nowMs } from '../../../kernel/db/values.js';
import type { FieldProblem } from '../../../kernel/http/errors.js';
import { can } from '../../../kernel/identity/authorization.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { CampaignActing } from '../campaigns/access.js';
import { readRows } from '../pabulib/csv.js';
import { PabulibParseError } from '../pabulib/errors.js';
import { EVALUATE_PERMISSION, envelopeUnitPath } from '../proposals/access.js';
import { proposalError } from '../proposals/errors.js';
import { campaignOpenForProjects, findProject, type Project } from './store.js';
import { applyEvaluation, type Evaluation, evaluationProblems, STUDIABLE } from './study.js';

/** The columns, in this order, after a header row: what a spreadsheet exports with `;` (French Excel's default). */
export const CSV_COLUMNS = ['project', 'feasible', 'cost', 'months', 'explanation'] as const;
const YES = new Set(['yes', 'oui', 'y', 'o', '1', 'true', 'vrai']);
const NO = new Set(['no', 'non', 'n', '0', 'false', 'faux']);

/** "120 000", "120000" → 120000; "" → null; anything else → NaN (refused by the checks). */
function wholeNumber(text: string): number | null {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '');
  if (!compact) return null;
  return /^\d+$/.test(compact) ? Number(compact) : Number.NaN;
}

const lineProblem = (line: number, key: string): FieldProblem => ({
  field: `line.${line}`,
  message: `participatory-budget.csv.errors.${key}`,
});

/**
 * Imports evaluations from CSV (`;`-separated, a header row, then per line: project code; feasible
 * yes/no; studied cost; months; explanation). Every line is checked first; any problem refuses the
 * whole file (`invalid-csv`, each problem with field "line.<n>" and a message key) and nothing
 * changes. Otherwise every evaluation is applied as `recordEvaluation` would, in one transaction.
 * Returns the number of projects evaluated.
 */
export async function importEvaluations(
  trx: Trx,
  kernel: Kernel,
  acting: CampaignActing,
  campaignCode: string,
  text: string,
  options: { now?: Date } = {},
): Promise<number> {
  const campaign = await campaignOpenForProjects(trx, campaignCode, options.now ?? new Date(nowMs()));
  let rows: ReturnType<typeof readRows>;
  try {
    rows = readRows(text.replace(/^\ufeff/, ''));
  } catch (err) {
    if (!(err instanceof PabulibParseError)) throw err;
    throw proposalError('invalid-csv', `The file cannot be read: ${err.message}`, [lineProblem(err.line, 'syntax')]);
  }
  const [, ...lines] = rows;
  const problems: FieldProblem[] = [];
  if (!lines.length) problems.push(lineProblem(1, 'empty'));
  const seen = new Set<string>();
  const accepted: { project: Project; evaluation: Evaluation }[] = [];
  for (const { fields, line } of lines) {
    if (fields.length !== CSV_COLUMNS.length) {
      problems.push(lineProblem(line, 'columns'));
      continue;
    }
    const [code = '', feasibleText = '', costText = '', monthsText = '', explanation = ''] = fields.map((f) => f.trim());
    const project = await findProject(trx, campaign.id, code);
    if (!project) {
      problems.push(lineProblem(line, 'unknown-project'));
      continue;
    }
    if (seen.has(code)) problems.push(lineProblem(line, 'duplicate-project'));
    seen.add(code);
    if (
      acting.actor.kind !== 'system' &&
      !can(acting.actor, EVALUATE_PERMISSION, { unitPath: await envelopeUnitPath(trx, kernel, project.envelope_code) })
    ) {
      problems.push(lineProblem(line, 'not-allowed'));
    }
    if (!STUDIABLE.has(project.status)) problems.push(lineProblem(line, 'not-studiable'));
    const answer = feasibleText.toLowerCase();
    if (!YES.has(answer) && !NO.has(answer)) {
      problems.push(lineProblem(line, 'feasible'));
      continue;
    }
    const evaluation: Evaluation = { feasible: YES.has(answer), cost: wholeNumber(costText), months: wholeNumber(monthsText), explanation };
    problems.push(...evaluationProblems(evaluation).map((p) => lineProblem(line, p.message.split('.').at(-1)!)));
    accepted.push({ project, evaluation });
  }
  if (problems.length) {
    throw proposalError('invalid-csv', `The file has ${problems.length} problem(s); nothing was imported.`, problems);
  }
  for (const { project, evaluation } of accepted) await applyEvaluation(trx, kernel, acting, campaign, project, evaluation, 'csv');
  return accepted.length;
}
