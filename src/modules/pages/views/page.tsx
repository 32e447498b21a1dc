import type { FieldProblem } from '../../../kernel/http/errors.js';
import { ErrorSummary, Form, Notice } from '../../../kernel/ui/components.js';
import type { ViewContext } from '../../../kernel/ui/context.js';
import type { PageContent } from '../content.js';
import { COMMENT_MAX } from '../feedback.js';

export interface FeedbackState {
  sent?: boolean;
  problems?: FieldProblem[];
  values?: { useful?: string; comment?: string };
}

function FeedbackForm({ ctx, slug, state }: { ctx: ViewContext; slug: string; state: FeedbackState }) {
  const t = ctx.t;
  if (state.sent) return <Notice kind="success">{t('pages.feedback.thanks')}</Notice>;
  const problems = (state.problems ?? []).map((p) => ({
    field: p.field === 'useful' ? 'useful-yes' : p.field,
    message: t(p.message, { max: COMMENT_MAX }),
  }));
  const errorOf = (field: string) => problems.find((p) => p.field === field)?.message;
  const usefulError = errorOf('useful-yes');
  const commentError = errorOf('comment');
  return (
    <Form ctx={ctx} action={`/pages/${slug}/feedback`} class="feedback">
      <ErrorSummary ctx={ctx} errors={problems} />
      <fieldset class={`field${usefulError ? ' field-error' : ''}`} aria-describedby={usefulError ? 'useful-error' : undefined}>
        <legend>{t('pages.feedback.question')}</legend>
        {usefulError ? (
          <span class="error-message" id="useful-error">
            {usefulError}
          </span>
        ) : null}
        <div class="choices">
          <label>
            <input type="radio" id="useful-yes" name="useful" value="yes" checked={state.values?.useful === 'yes'} />
            {t('pages.feedback.yes')}
          </label>
          <label>
            <input type="radio" id="useful-no" name="useful" value="no" checked={state.values?.useful === 'no'} />
            {t('pages.feedback.no')}
          </label>
        </div>
      </fieldset>
      <div class={`field${commentError ? ' field-error' : ''}`}>
        <label for="comment">{t('pages.feedback.comment')}</label>
        <span class="hint" id="comment-hint">
          {t('pages.feedback.commentHint', { max: COMMENT_MAX })}
        </span>
        {commentError ? (
          <span class="error-message" id="comment-error">
            {commentError}
          </span>
        ) : null}
        <textarea
          id="comment"
          name="comment"
          rows={3}
          aria-describedby={commentError ? 'comment-hint comment-error' : 'comment-hint'}
          aria-invalid={commentError ? 'true' : undefined}
        >
          {state.values?.comment ?? ''}
        </textarea>
      </div>
      <button type="submit">{t('pages.feedback.send')}</button>
    </Form>
  );
}

export interface RetentionRow {
  what: string;
  why: string;
  days: number;
}

/** Generated from the enabled modules' declarations, so the privacy page cannot drift from what runs. */
function RetentionTable({ ctx, rows }: { ctx: ViewContext; rows: RetentionRow[] }) {
  return (
    <section aria-labelledby="retention-title">
      <h2 id="retention-title">{ctx.t('pages.retention.title')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{ctx.t('pages.retention.data')}</th>
            <th scope="col">{ctx.t('pages.retention.purpose')}</th>
            <th scope="col">{ctx.t('pages.retention.duration')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.what}>
              <td>{ctx.t(r.what)}</td>
              <td>{ctx.t(r.why)}</td>
              <td>{ctx.t('pages.retention.days', { days: r.days })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ContentPage({
  ctx,
  page,
  html,
  feedback,
  retention,
}: {
  ctx: ViewContext;
  page: PageContent;
  html: string;
  feedback: FeedbackState;
  retention?: RetentionRow[];
}) {
  return (
    <article class="prose">
      <h1>{page.title}</h1>
      {/* The HTML comes from renderMarkdown, which escapes any raw HTML of the source. */}
      <div dangerouslySetInnerHTML={{ __html: html }} />
      {retention ? <RetentionTable ctx={ctx} rows={retention} /> : null}
      <section id="feedback" aria-labelledby="feedback-title">
        <h2 id="feedback-title">{ctx.t('pages.feedback.title')}</h2>
        <FeedbackForm ctx={ctx} slug={page.slug} state={feedback} />
      </section>
    </article>
  );
}

export function PageIndex({ ctx, pages }: { ctx: ViewContext; pages: PageContent[] }) {
  return (
    <>
      <h1>{ctx.t('pages.index.title')}</h1>
      <ul>
        {pages.map((p) => (
          <li key={p.slug}>
            <a href={`/pages/${p.slug}`}>{p.title}</a>
          </li>
        ))}
      </ul>
    </>
  );
}
