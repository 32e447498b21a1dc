import type { Executor } from '../../kernel/db/transaction.js';
import { newId, nowIso } from '../../kernel/db/values.js';
import type { FieldProblem } from '../../kernel/http/errors.js';
import type { Lang } from '../../kernel/i18n/types.js';

export const COMMENT_MAX = 1000;

export interface Feedback {
  slug: string;
  useful: boolean;
  comment?: string;
  lang: Lang;
}

/**
 * Validates what a visitor posted from the HTML form (strings) into a Feedback, or the list of
 * problems keyed by field (message keys, translated by the page).
 */
export function parseFeedbackForm(body: Record<string, unknown>): { useful: boolean; comment?: string } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const useful = body.useful;
  if (useful !== 'yes' && useful !== 'no') problems.push({ field: 'useful', message: 'pages.feedback.errors.useful' });
  const comment = typeof body.comment === 'string' ? body.comment.trim() : '';
  if (comment.length > COMMENT_MAX) problems.push({ field: 'comment', message: 'pages.feedback.errors.commentLength' });
  if (problems.length) return { problems };
  return { useful: useful === 'yes', ...(comment ? { comment } : {}) };
}

export async function recordFeedback(db: Executor, feedback: Feedback): Promise<string> {
  const id = newId();
  await db
    .insertInto('page_feedback')
    .values({
      id,
      slug: feedback.slug,
      useful: feedback.useful ? 1 : 0,
      comment: feedback.comment ?? null,
      lang: feedback.lang,
      created_at: nowIso(),
    })
    .execute();
  return id;
}

export async function feedbackSummary(db: Executor, slug: string): Promise<{ useful: number; notUseful: number }> {
  const rows = await db
    .selectFrom('page_feedback')
    .select(['useful', (eb) => eb.fn.countAll<number>().as('n')])
    .where('slug', '=', slug)
    .groupBy('useful')
    .execute();
  const count = (u: number) => Number(rows.find((r) => Number(r.useful) === u)?.n ?? 0);
  return { useful: count(1), notUseful: count(0) };
}
