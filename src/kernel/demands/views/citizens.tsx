import { formatDate, formatDateTime } from '../../i18n/format.js';
import type { ViewContext } from '../../ui/context.js';
import type { CitizenFile } from '../citizen-360.js';
import type { DemandType } from '../types.js';
import { DemandTable } from './inbox.js';

export function CitizenSearchPage({
  ctx,
  q,
  results,
}: {
  ctx: ViewContext;
  q: string;
  results: { id: string; name: string; email: string }[] | null;
}) {
  const t = ctx.t;
  return (
    <>
      <h1>{t('demands.citizens.title')}</h1>
      <p class="lead">{t('demands.citizens.lead')}</p>
      <form method="get" action="/admin/citizens">
        <div class="field">
          <label for="q">{t('demands.citizens.search')}</label>
          <input type="search" id="q" name="q" value={q} maxLength={200} />
        </div>
        <button type="submit" class="button">
          {t('demands.citizens.searchButton')}
        </button>
      </form>
      {results === null ? null : results.length ? (
        <ul>
          {results.map((r) => (
            <li key={r.id}>
              <a href={`/admin/citizens/${r.id}`}>{r.name}</a> — {r.email}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('demands.citizens.none')}</p>
      )}
    </>
  );
}

/** The 360° view: who the resident is, every demand the agent may see, their latest messages. */
export function Citizen360Page({ ctx, file, types }: { ctx: ViewContext; file: CitizenFile; types: ReadonlyMap<string, DemandType> }) {
  const t = ctx.t;
  const tz = ctx.city.timezone;
  return (
    <>
      <h1>{file.name}</h1>
      <dl class="facts">
        <dt>{t('demands.citizens.email')}</dt>
        <dd>{file.email}</dd>
        <dt>{t('demands.citizens.since')}</dt>
        <dd>{formatDate(ctx.lang, file.createdAt, tz)}</dd>
      </dl>
      <h2>{t('demands.citizens.demands')}</h2>
      {file.demands.length ? (
        <DemandTable ctx={ctx} demands={file.demands} types={types} caption={t('demands.citizens.demands')} />
      ) : (
        <p>{t('demands.none')}</p>
      )}
      <h2>{t('demands.citizens.messages')}</h2>
      {file.messages.length ? (
        <ul class="timeline">
          {file.messages.map((m) => (
            <li key={m.id}>
              <p class="timeline-head">
                <a href={`/admin/demands/${m.demandId}`}>{m.reference}</a> —{' '}
                <time dateTime={m.at}>{formatDateTime(ctx.lang, m.at, tz)}</time> —{' '}
                {m.authorKind === 'agent' ? t('demands.timeline.message.agent') : file.name}
              </p>
              <p class="message-body">{m.body}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('demands.citizens.noMessages')}</p>
      )}
    </>
  );
}
