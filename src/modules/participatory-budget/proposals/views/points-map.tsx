import type { Districts } from '../../../../kernel/geo/districts.js';
import type { Projection } from '../../../../kernel/geo/map.js';
import { CityMap } from '../../../../kernel/ui/district-shapes.js';

export interface MapPoint {
  lat: number;
  lng: number;
  href: string;
  label: string;
}

/**
 * The city's districts with a mark per proposal or project, each a link: a server-drawn SVG like the
 * street reports' map (no tiles, no script), so the list beside it says the same to those who
 * cannot see it.
 */
export function PointsMap(props: { title: string; districts: Districts; proj: Projection; points: MapPoint[] }) {
  const { proj } = props;
  return (
    <div class="map-frame">
      <CityMap id="pb-map" title={props.title} districts={props.districts} proj={proj}>
        {props.points.map((p) => {
          const [x, y] = proj.toPixel(p);
          return (
            <a key={p.href} href={p.href} aria-label={p.label}>
              <circle cx={x.toFixed(1)} cy={y.toFixed(1)} r="7" fill="#000091" fill-opacity="0.8" stroke="#ffffff" stroke-width="2" />
            </a>
          );
        })}
      </CityMap>
    </div>
  );
}
