import type { ViewContext } from './context.js';

const KNOWN = new Set([400, 403, 404, 413, 415, 429, 500, 503]);

/**
 * A friendly page for any HTTP error: what happened in plain words of the visitor's language (the
 * error's own text when it has a translation, else the status's), and a way back. Technical details
 * go to the API's problem+json and the logs, never here.
 */
export function ErrorPage({ ctx, status, code, requestId }: { ctx: ViewContext; status: number; code: string; requestId: string }) {
  const key = KNOWN.has(status) ? status : status >= 500 ? 500 : 400;
  const own = `error.code.${code}`;
  const text = ctx.t(own) === own ? ctx.t(`error.${key}.text`) : ctx.t(own);
  return (
    <div class="prose">
      <h1>{ctx.t(`error.${key}.title`)}</h1>
      <p class="lead">{text}</p>
      {status >= 500 ? <p>{ctx.t('error.reference', { id: requestId })}</p> : null}
      <p>
        <a href="/">{ctx.t('error.backHome')}</a>
      </p>
    </div>
  );
}

export function errorTitle(ctx: ViewContext, status: number): string {
  const key = KNOWN.has(status) ? status : status >= 500 ? 500 : 400;
  return ctx.t(`error.${key}.title`);
}
