import type { ViewContext } from './context.js';

const KNOWN = new Set([400, 403, 404, 413, 415, 429, 500, 503]);

/** A friendly page for any HTTP error: what happened in plain words, and a way back. */
export function ErrorPage({ ctx, status, detail, requestId }: { ctx: ViewContext; status: number; detail?: string; requestId: string }) {
  const key = KNOWN.has(status) ? status : status >= 500 ? 500 : 400;
  const text = status >= 500 ? ctx.t(`error.${key}.text`) : detail;
  return (
    <div class="prose">
      <h1>{ctx.t(`error.${key}.title`)}</h1>
      {text ? <p class="lead">{text}</p> : null}
      {status === 404 ? <p>{ctx.t('error.404.text')}</p> : null}
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
