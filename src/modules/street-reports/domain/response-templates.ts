import type { Executor } from '../../../kernel/db/transaction.js';
import { inTransaction } from '../../../kernel/db/transaction.js';
import { newId, nowIso } from '../../../kernel/db/values.js';
import { type FieldProblem, HttpError } from '../../../kernel/http/errors.js';
import { audit } from '../../../kernel/identity/audit.js';
import type { Actor } from '../../../kernel/identity/authorization.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { COMMENT_MAX_LENGTH } from '../../../kernel/workflow/fields.js';
import type { CategoryTree } from './categories.js';

export const TITLE_MAX = 120;

export interface ResponseTemplate {
  id: string;
  title: string;
  body: string;
  action: string;
  category: string | null;
}

export interface TemplateInput {
  title: string;
  body: string;
  action: string;
  category: string;
}

/** The agent actions whose form has a message: the ones a template can fill. */
export function templatableActions(kernel: Kernel): string[] {
  const wf = kernel.workflows.latest('street-reports:report');
  return Object.entries(wf.actions)
    .filter(([, a]) => a.by === 'agent' && a.fields.some((f) => f.type === 'comment'))
    .map(([code]) => code);
}

export async function listTemplates(db: Executor): Promise<ResponseTemplate[]> {
  return db
    .selectFrom('street_report_response_templates')
    .select(['id', 'title', 'body', 'action', 'category'])
    .orderBy('title')
    .orderBy('id')
    .execute();
}

/** The templates for a report: its category (or a node above it, or every category) and the actions open to the agent now. */
export function templatesFor(
  templates: readonly ResponseTemplate[],
  categories: CategoryTree,
  category: string,
  actions: readonly string[],
): ResponseTemplate[] {
  const node = categories.byCode.get(category);
  const lineage = new Set([category, ...(node?.parents ?? [])]);
  return templates.filter((t) => actions.includes(t.action) && (t.category === null || lineage.has(t.category)));
}

function check(kernel: Kernel, categories: CategoryTree, input: TemplateInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const title = input.title.trim();
  const body = input.body.trim();
  if (!title) problems.push({ field: 'title', message: 'street-reports.admin.errors.required' });
  else if (title.length > TITLE_MAX) problems.push({ field: 'title', message: 'street-reports.admin.errors.too-long' });
  if (!body) problems.push({ field: 'body', message: 'street-reports.admin.errors.required' });
  else if (body.length > COMMENT_MAX_LENGTH) problems.push({ field: 'body', message: 'street-reports.admin.errors.too-long' });
  if (!templatableActions(kernel).includes(input.action)) problems.push({ field: 'action', message: 'street-reports.admin.errors.action' });
  if (input.category && !categories.byCode.has(input.category)) {
    problems.push({ field: 'category', message: 'street-reports.errors.category-unknown' });
  }
  return problems;
}

/** Saves a new template (or replaces one when `id` is given); refuses bad input with every problem named. */
export async function saveTemplate(
  kernel: Kernel,
  actor: Actor,
  categories: CategoryTree,
  input: TemplateInput,
  id?: string,
): Promise<string> {
  const problems = check(kernel, categories, input);
  if (problems.length)
    throw new HttpError(400, 'street-reports.template-invalid', 'The response template is incomplete or invalid.', problems);
  const now = nowIso();
  const values = {
    title: input.title.trim(),
    body: input.body.trim(),
    action: input.action,
    category: input.category || null,
    updated_at: now,
  };
  return inTransaction(kernel.db, async (trx) => {
    const templateId = id ?? newId();
    if (id) {
      const done = await trx.updateTable('street_report_response_templates').set(values).where('id', '=', id).executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) throw new HttpError(404, 'street-reports.template-not-found', 'This template does not exist.');
    } else {
      await trx
        .insertInto('street_report_response_templates')
        .values({ id: templateId, ...values, created_by: actor.kind === 'agent' ? actor.account.id : null, created_at: now })
        .execute();
    }
    await audit(trx, {
      actor,
      action: id ? 'street-reports.template.update' : 'street-reports.template.create',
      resourceType: 'street-report-template',
      resourceId: templateId,
      details: { title: values.title, action: values.action },
    });
    return templateId;
  });
}

export async function deleteTemplate(kernel: Kernel, actor: Actor, id: string): Promise<void> {
  await inTransaction(kernel.db, async (trx) => {
    const done = await trx.deleteFrom('street_report_response_templates').where('id', '=', id).executeTakeFirst();
    if (Number(done.numDeletedRows) !== 1) throw new HttpError(404, 'street-reports.template-not-found', 'This template does not exist.');
    await audit(trx, { actor, action: 'street-reports.template.delete', resourceType: 'street-report-template', resourceId: id });
  });
}
