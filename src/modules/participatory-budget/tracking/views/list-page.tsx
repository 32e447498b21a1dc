import type { Districts } from '../../../../kernel/geo/districts.js';
import type { Projection } from '../../../../kernel/geo/map.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import { SelectField } from '../../../../kernel/ui/fields.js';
import type { Campaign } from '../../campaigns/store.js';
import { trackedPath } from '../notify-followers.js';
import type { TrackedProject } from '../project.js';
import { TRACKING_STATUSES, type TrackingStatus } from '../statuses.js';
import { TrackingMap } from './map.js';
import { ProgressOf } from './progress.js';

/** The public list and map of a campaign's tracked projects, filtered by envelope and status (GET: the address keeps them). */
export function TrackingListPage(props: {
  ctx: ViewContext;
  campaign: Campaign;
  districts: Districts;
  proj: Projection;
  filters: { envelope?: string; status?: TrackingStatus };
  projects: TrackedProject[];
}) {
  const { ctx, campaign } = props;
  const t = ctx.t;
  return (
    <>
      <h1>{t('participatory-budget.tracking.list.title')}</h1>
      <p class="lead">{t('participatory-budget.tracking.list.lead', { campaign: campaign.title[ctx.lang] })}</p>
      <form method="get" action={`/budget/${campaign.code}/realisations`} class="filters">
        <SelectField
          name="envelope"
          label={t('participatory-budget.tracking.list.envelope')}
          value={props.filters.envelope ?? ''}
          empty={t('participatory-budget.tracking.list.any')}
          choices={campaign.envelopes.map((e) => ({ value: e.code, label: e.label[ctx.lang] }))}
        />
        <SelectField
          name="status"
          label={t('participatory-budget.tracking.list.status')}
          value={props.filters.status ?? ''}
          empty={t('participatory-budget.tracking.list.any')}
          choices={TRACKING_STATUSES.map((s) => ({ value: s, label: t(`participatory-budget.tracking.status.${s}`) }))}
        />
        <div class="form-actions">
          <button type="submit" class="button">
            {t('participatory-budget.tracking.list.filter')}
          </button>
        </div>
      </form>
      <section aria-labelledby="map-heading">
        <h2 id="map-heading">{t('participatory-budget.tracking.list.map')}</h2>
        <div class="map-frame">
          <TrackingMap ctx={ctx} districts={props.districts} proj={props.proj} projects={props.projects} href={trackedPath} />
        </div>
        <p class="hint">{t('participatory-budget.tracking.list.mapNote')}</p>
      </section>
      <section aria-labelledby="projects-heading">
        <h2 id="projects-heading">{t('participatory-budget.tracking.list.projects')}</h2>
        <p>{t('participatory-budget.tracking.list.count', { count: props.projects.length })}</p>
        {props.projects.length === 0 ? <p>{t('participatory-budget.tracking.list.none')}</p> : null}
        <ul class="tracking-list">
          {props.projects.map((p) => (
            <li key={p.id} class="card">
              <h3>
                <a href={trackedPath(p)}>{p.title[ctx.lang]}</a>
              </h3>
              <p class="hint">{p.envelopeLabel[ctx.lang]}</p>
              <ProgressOf ctx={ctx} id={p.code} status={p.status} progress={p.progress} />
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
