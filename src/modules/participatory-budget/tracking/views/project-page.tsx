import type { Districts } from '../../../../kernel/geo/districts.js';
import type { Projection } from '../../../../kernel/geo/map.js';
import { formatDate, formatNumber } from '../../../../kernel/i18n/format.js';
import { Form, Notice } from '../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import type { HistoryEntry } from '../history.js';
import type { Milestone } from '../milestones.js';
import { trackedPath } from '../notify-followers.js';
import { placeOf } from '../place.js';
import type { TrackedProject } from '../project.js';
import { TrackingMap } from './map.js';
import { MilestoneTimeline } from './milestones.js';
import { ProgressOf } from './progress.js';

function HistoryList({ ctx, history }: { ctx: ViewContext; history: HistoryEntry[] }) {
  const t = ctx.t;
  return (
    <ol class="report-history">
      {history.map((h) => (
        <li key={`${h.at}-${h.kind}`}>
          <time dateTime={h.at}>{formatDate(ctx.lang, h.at, ctx.city.timezone)}</time> —{' '}
          {h.kind === 'start'
            ? t('participatory-budget.tracking.project.historyStart')
            : h.kind === 'milestone'
              ? t('participatory-budget.tracking.project.historyMilestone')
              : t('participatory-budget.tracking.project.historyUpdate', {
                  status: t(`participatory-budget.tracking.status.${h.status}`),
                  progress: h.progress,
                })}
        </li>
      ))}
    </ol>
  );
}

/** A tracked project's public page: where it stands, what it is, where, its milestones and history; follow or unfollow. */
export function TrackedProjectPage(props: {
  ctx: ViewContext;
  project: TrackedProject;
  milestones: Milestone[];
  history: HistoryEntry[];
  districts: Districts;
  proj: Projection;
  followers: number;
  /** Null when the visitor is not a signed-in resident (a link to log in instead of the button). */
  following: boolean | null;
  /** The back-office page, for an agent who may update this project. */
  adminHref: string | null;
  notice?: 'followed' | 'unfollowed';
}) {
  const { ctx, project } = props;
  const t = ctx.t;
  const path = trackedPath(project);
  return (
    <article class="tracking-page">
      {props.notice ? <Notice kind="success">{t(`participatory-budget.tracking.project.${props.notice}`)}</Notice> : null}
      <h1>{project.title[ctx.lang]}</h1>
      <p class="hint">
        {t('participatory-budget.tracking.project.envelope', { envelope: project.envelopeLabel[ctx.lang] })} ·{' '}
        {t('participatory-budget.tracking.project.cost', { amount: formatNumber(ctx.lang, project.cost) })}
      </p>
      <h2>{t('participatory-budget.tracking.project.where')}</h2>
      <ProgressOf ctx={ctx} id={project.code} status={project.status} progress={project.progress} />
      {project.abandonReason ? <p>{t('participatory-budget.tracking.project.abandoned', { reason: project.abandonReason })}</p> : null}
      <p class="hint">
        {t('participatory-budget.tracking.project.updatedOn', { date: formatDate(ctx.lang, project.updatedAt, ctx.city.timezone) })}
      </p>
      {props.adminHref ? (
        <p>
          <a href={props.adminHref}>{t('participatory-budget.tracking.project.agents')}</a>
        </p>
      ) : null}
      <h2>{t('participatory-budget.tracking.project.description')}</h2>
      <p class="report-description">{project.description[ctx.lang]}</p>
      {placeOf(props.districts, project) ? (
        <>
          <h2>{t('participatory-budget.tracking.project.place')}</h2>
          <div class="map-frame">
            <TrackingMap ctx={ctx} districts={props.districts} proj={props.proj} projects={[project]} href={trackedPath} />
          </div>
        </>
      ) : null}
      <h2>{t('participatory-budget.tracking.project.milestones')}</h2>
      <MilestoneTimeline ctx={ctx} milestones={props.milestones} headingLevel="h2" />
      <h2>{t('participatory-budget.tracking.project.history')}</h2>
      <HistoryList ctx={ctx} history={props.history} />
      <h2>{t('participatory-budget.tracking.project.follow')}</h2>
      <p>
        {t('participatory-budget.tracking.project.followers', { count: props.followers })}{' '}
        {t('participatory-budget.tracking.project.followHint')}
      </p>
      {props.following === null ? (
        <p>
          <a href={`/login?next=${encodeURIComponent(path)}`}>{t('participatory-budget.tracking.project.loginToFollow')}</a>
        </p>
      ) : (
        <Form ctx={ctx} action={`${path}/${props.following ? 'unfollow' : 'follow'}`}>
          <button type="submit" class={props.following ? 'button secondary' : 'button'}>
            {t(
              props.following
                ? 'participatory-budget.tracking.project.unfollowButton'
                : 'participatory-budget.tracking.project.followButton',
            )}
          </button>
        </Form>
      )}
      <p>
        <a href={`/budget/${project.campaignCode}/realisations`}>{t('participatory-budget.tracking.project.allProjects')}</a>
      </p>
    </article>
  );
}
