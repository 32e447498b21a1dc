import type { ComponentChildren } from 'preact';
import type { ViewContext } from './context.js';

/** A state-changing form: always POST, always carrying the CSRF token. */
export function Form(props: {
  ctx: ViewContext;
  action: string;
  children: ComponentChildren;
  enctype?: 'multipart/form-data';
  class?: string;
}) {
  return (
    <form method="post" action={props.action} encType={props.enctype} class={props.class} noValidate>
      <input type="hidden" name="_csrf" value={props.ctx.csrfToken} />
      {props.children}
    </form>
  );
}

export interface FieldError {
  field: string;
  message: string;
}

/** GOV.UK/DSFR pattern: a summary at the top, each error linked to its field. */
export function ErrorSummary({ ctx, errors }: { ctx: ViewContext; errors: FieldError[] }) {
  if (errors.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
      <h2 id="error-summary-title">{ctx.t('ui.errors.summary')}</h2>
      <ul>
        {errors.map((e) => (
          <li key={e.field}>
            <a href={`#${e.field}`}>{e.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Notice({ children, kind = 'info' }: { children: ComponentChildren; kind?: 'info' | 'success' }) {
  return (
    <div class={`notice notice-${kind}`} role="status">
      {children}
    </div>
  );
}
