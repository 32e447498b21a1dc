import { formatDate } from '../../../../kernel/i18n/format.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import type { Milestone } from '../milestones.js';

/** A project's milestones, latest first, each with its date, text and photos (thumbnails linking to the pictures). */
export function MilestoneTimeline(props: { ctx: ViewContext; milestones: Milestone[]; headingLevel: 'h2' | 'h3' }) {
  const { ctx } = props;
  const t = ctx.t;
  const Heading = props.headingLevel === 'h2' ? 'h3' : 'h4';
  if (props.milestones.length === 0) return <p>{t('participatory-budget.tracking.project.noMilestones')}</p>;
  return (
    <ol class="timeline">
      {props.milestones.map((m) => (
        <li key={m.id}>
          <p class="timeline-head">
            <time dateTime={m.date}>{formatDate(ctx.lang, `${m.date}T12:00:00Z`, ctx.city.timezone)}</time>
          </p>
          <Heading>{m.title[ctx.lang]}</Heading>
          {m.text[ctx.lang] ? <p class="report-description">{m.text[ctx.lang]}</p> : null}
          {m.photos.length ? (
            <ul class="photo-list">
              {m.photos.map((p, i) => (
                <li key={p.fileId}>
                  <a href={`/files/${p.fileId}`}>
                    <img
                      src={`/files/${p.fileId}/thumb`}
                      alt={t('participatory-budget.tracking.project.photoAlt', { n: i + 1, title: m.title[ctx.lang] })}
                      width={160}
                    />
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
