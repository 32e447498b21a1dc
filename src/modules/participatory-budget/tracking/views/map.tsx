import type { Districts } from '../../../../kernel/geo/districts.js';
import type { Projection } from '../../../../kernel/geo/map.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import { CityMap } from '../../../../kernel/ui/district-shapes.js';
import { placeOf } from '../place.js';
import type { TrackedProject } from '../project.js';

/** Colours of the points (the list says each status in words: colour is never the only sign). */
const FILL: Record<TrackedProject['status'], string> = {
  planned: '#000091',
  studies: '#000091',
  procedures: '#000091',
  works: '#b34000',
  delivered: '#18753c',
  abandoned: '#666666',
};

/**
 * The tracked projects on the city's map, drawn on the server: each point is a link to the
 * project's page named by its title (a campaign has a few hundred winners at most: no clustering).
 * The list beside it says the same in text.
 */
export function TrackingMap(props: {
  ctx: ViewContext;
  districts: Districts;
  proj: Projection;
  projects: TrackedProject[];
  href: (project: TrackedProject) => string;
}) {
  const { ctx, proj } = props;
  return (
    <CityMap id="tracking-map" title={ctx.t('participatory-budget.tracking.list.mapTitle')} districts={props.districts} proj={proj}>
      {props.projects.map((project) => {
        const place = placeOf(props.districts, project);
        if (!place) return null;
        const [x, y] = proj.toPixel(place);
        return (
          <a key={project.id} href={props.href(project)} aria-label={project.title[ctx.lang]}>
            <circle fill={FILL[project.status]} cx={x.toFixed(1)} cy={y.toFixed(1)} r="7" stroke="#ffffff" stroke-width="2" />
          </a>
        );
      })}
    </CityMap>
  );
}
