import { formatDate, formatDateTime } from '../../i18n/format.js';
import { ErrorSummary, Form } from '../../ui/components.js';
import type { ViewContext } from '../../ui/context.js';
import { TextArea } from '../../ui/fields.js';
import { MESSAGE_MAX_LENGTH } from '../demands.js';
import type { DemandSummary, TimelineEntry } from '../queries.js';
import type { DemandType } from '../types.js';

export function StatusBadge({ ctx, status }: { ctx: ViewContext; status: DemandSummary['status'] }) {
  return <span class={`status status-${status}`}>{ctx.t(`demands.status.${status}`)}</span>;
}

/** Status, the service's own state, "step n of N", dates, and what the resident is expected to do. */
export function DemandFacts({ ctx, demand, type }: { ctx: ViewContext; demand: DemandSummary; type?: DemandType }) {
  const t = ctx.t;
  const tz = ctx.city.timezone;
  return (
    <dl class="facts">
      <dt>{t('demands.reference')}</dt>
      <dd>{demand.reference}</dd>
      <dt>{t('demands.service')}</dt>
      <dd>{type?.label[ctx.lang] ?? demand.type}</dd>
      <dt>{t('demands.status')}</dt>
      <dd>
        <StatusBadge ctx={ctx} status={demand.status} />
        {demand.stateLabel ? ` ${demand.stateLabel[ctx.lang]}` : null}
        {demand.step && demand.steps ? <span class="hint"> — {t('demands.step', { step: demand.step, steps: demand.steps })}</span> : null}
      </dd>
      <dt>{t('demands.created')}</dt>
      <dd>{formatDate(ctx.lang, demand.createdAt, tz)}</dd>
      <dt>{t('demands.updated')}</dt>
      <dd>{formatDateTime(ctx.lang, demand.updatedAt, tz)}</dd>
      {demand.closedAt ? (
        <>
          <dt>{t('demands.closed')}</dt>
          <dd>{formatDate(ctx.lang, demand.closedAt, tz)}</dd>
        </>
      ) : null}
    </dl>
  );
}

function entryTitle(ctx: ViewContext, entry: TimelineEntry, audience: 'citizen' | 'agent'): string {
  const t = ctx.t;
  if (entry.kind === 'status') {
    const label = entry.data.label as Record<string, string> | null;
    return label
      ? t('demands.timeline.status', { label: label[ctx.lang] ?? '' })
      : t('demands.timeline.statusInternal', { status: String(entry.data.status) });
  }
  if (entry.kind === 'message' && entry.message) {
    if (entry.message.authorKind === 'agent')
      return entry.message.authorName
        ? `${t('demands.timeline.message.agent')} (${entry.message.authorName})`
        : t('demands.timeline.message.agent');
    return audience === 'citizen'
      ? t('demands.timeline.message.you')
      : t('demands.timeline.message.citizen', { name: entry.message.authorName ?? '—' });
  }
  return t(`demands.timeline.${entry.kind}`);
}

/** The demand's history, oldest first, messages in full with their attachments. */
export function Timeline({ ctx, entries, audience }: { ctx: ViewContext; entries: TimelineEntry[]; audience: 'citizen' | 'agent' }) {
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">{ctx.t('demands.timeline')}</h2>
      <ol class="timeline">
        {entries.map((e) => (
          <li key={e.id} class={`timeline-${e.kind}`}>
            <p class="timeline-head">
              <strong>{entryTitle(ctx, e, audience)}</strong> —{' '}
              <time dateTime={e.at}>{formatDateTime(ctx.lang, e.at, ctx.city.timezone)}</time>
            </p>
            {e.message ? (
              <>
                <p class="message-body">{e.message.body}</p>
                {e.message.files.length ? (
                  <ul class="attachments" aria-label={ctx.t('demands.attachments')}>
                    {e.message.files.map((f) => (
                      <li key={f.id}>
                        <a href={`/files/${f.id}`}>{f.name}</a>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A message with an optional attachment: multipart, so it works without JavaScript. */
export function MessageForm(props: { ctx: ViewContext; action: string; title: string; error?: string; body?: string }) {
  const { ctx } = props;
  const t = ctx.t;
  return (
    <section aria-labelledby="message-title">
      <h2 id="message-title">{props.title}</h2>
      <Form ctx={ctx} action={props.action} enctype="multipart/form-data">
        <ErrorSummary ctx={ctx} errors={props.error ? [{ field: 'body', message: props.error }] : []} />
        <TextArea
          name="body"
          label={t('demands.messages.body')}
          hint={t('demands.messages.bodyHint')}
          maxLength={MESSAGE_MAX_LENGTH}
          value={props.body}
          error={props.error}
        />
        <div class="field">
          <label for="attachment">{t('demands.messages.file')}</label>
          <p class="hint" id="attachment-hint">
            {t('demands.messages.fileHint')}
          </p>
          <input
            type="file"
            id="attachment"
            name="attachment"
            aria-describedby="attachment-hint"
            accept="image/jpeg,image/png,image/webp,application/pdf"
          />
        </div>
        <button type="submit" class="button">
          {t('demands.messages.send')}
        </button>
      </Form>
    </section>
  );
}
