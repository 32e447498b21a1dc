import type { Districts } from '../../../../kernel/geo/districts.js';
import type { MapView, Point, Projection } from '../../../../kernel/geo/map.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import { CityMap, DistrictShapes } from '../../../../kernel/ui/district-shapes.js';
import type { Cluster } from '../../domain/public-queries.js';

/**
 * The city's districts and, when chosen, the point: a standalone SVG image (served for the place
 * step's `<input type="image">`, whose click the server turns back into a point, and the report page).
 */
export function MapImage(props: { title: string; districts: Districts; proj: Projection; marker?: Point | null }) {
  const { districts, proj, marker } = props;
  const at = marker ? proj.toPixel(marker) : null;
  return (
    <svg xmlns="http://www.w3.org/2000/svg" width={proj.width} height={proj.height} viewBox={`0 0 ${proj.width} ${proj.height}`}>
      <title>{props.title}</title>
      <rect width={proj.width} height={proj.height} fill="#ffffff" />
      <DistrictShapes districts={districts} proj={proj} />
      {at ? (
        <g>
          <circle cx={at[0].toFixed(1)} cy={at[1].toFixed(1)} r="9" fill="#c9191e" stroke="#ffffff" stroke-width="3" />
          <circle cx={at[0].toFixed(1)} cy={at[1].toFixed(1)} r="2" fill="#ffffff" />
        </g>
      ) : null}
    </svg>
  );
}

/** The address of a map image for a view, with an optional marker. */
export function mapImageUrl(view: MapView, marker?: Point | null): string {
  const q = new URLSearchParams({ zoom: String(view.zoom), lat: view.lat.toFixed(6), lng: view.lng.toFixed(6) });
  if (marker) {
    q.set('plat', marker.lat.toFixed(6));
    q.set('plng', marker.lng.toFixed(6));
  }
  return `/reports/map.svg?${q}`;
}

/**
 * The public map, inline: one mark per grid cell, sized by its count. A mark of several reports
 * zooms in around them; a single report opens it. The list below the map says the same in text.
 */
export function ClusterMap(props: {
  ctx: ViewContext;
  districts: Districts;
  proj: Projection;
  clusters: Cluster[];
  zoomHref: (point: Point) => string;
}) {
  const { ctx, proj } = props;
  return (
    <CityMap id="report-map" title={ctx.t('street-reports.public.list.mapTitle')} districts={props.districts} proj={proj}>
      {props.clusters.map((c) => {
        const [x, y] = proj.toPixel(c);
        const r = c.count === 1 ? 6 : Math.min(6 + Math.log2(c.count) * 3, 22);
        const label =
          c.id !== null ? ctx.t('street-reports.public.list.mapOne') : ctx.t('street-reports.public.list.mapMany', { count: c.count });
        return (
          <a key={`${x.toFixed(0)}-${y.toFixed(0)}`} href={c.id !== null ? `/reports/${c.id}` : props.zoomHref(c)} aria-label={label}>
            <circle
              cx={x.toFixed(1)}
              cy={y.toFixed(1)}
              r={r.toFixed(1)}
              fill="#000091"
              fill-opacity="0.8"
              stroke="#ffffff"
              stroke-width="2"
            />
            {c.count > 1 ? (
              <text x={x.toFixed(1)} y={(y + 4).toFixed(1)} text-anchor="middle" font-size="11" fill="#ffffff">
                {c.count > 999 ? `${Math.round(c.count / 1000)}k` : c.count}
              </text>
            ) : null}
          </a>
        );
      })}
    </CityMap>
  );
}
