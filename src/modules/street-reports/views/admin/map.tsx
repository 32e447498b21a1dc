import type { BBox } from '../../../../kernel/geo/point-in-polygon.js';
import type { Kernel } from '../../../../kernel/kernel.js';

export interface MapPoint {
  lat: number;
  lng: number;
  /** Drawn inside the marker (route sheets number their stops). */
  label?: string;
  priority?: number;
}

interface Projection {
  width: number;
  height: number;
  x(lng: number): number;
  y(lat: number): number;
}

const PAD = 6;

/** Equirectangular around the box's middle latitude: at city scale the distortion is invisible. */
function projection(box: BBox, width: number): Projection {
  const k = Math.cos((((box.minLat + box.maxLat) / 2) * Math.PI) / 180);
  const scale = (width - 2 * PAD) / ((box.maxLon - box.minLon) * k || 1);
  return {
    width,
    height: Math.round((box.maxLat - box.minLat) * scale + 2 * PAD),
    x: (lng) => PAD + (lng - box.minLon) * k * scale,
    y: (lat) => PAD + (box.maxLat - lat) * scale,
  };
}

function cityBox(kernel: Kernel): BBox {
  const all = kernel.districts.all;
  return {
    minLon: Math.min(...all.map((d) => d.bbox.minLon)),
    minLat: Math.min(...all.map((d) => d.bbox.minLat)),
    maxLon: Math.max(...all.map((d) => d.bbox.maxLon)),
    maxLat: Math.max(...all.map((d) => d.bbox.maxLat)),
  };
}

/** A box around a district (with a margin), to draw a report's surroundings. */
export function districtBox(kernel: Kernel, code: string): BBox | undefined {
  const box = kernel.districts.byCode(code)?.bbox;
  if (!box) return undefined;
  const dx = (box.maxLon - box.minLon) * 0.15;
  const dy = (box.maxLat - box.minLat) * 0.15;
  return { minLon: box.minLon - dx, minLat: box.minLat - dy, maxLon: box.maxLon + dx, maxLat: box.maxLat + dy };
}

const paths = new WeakMap<Kernel, Map<string, string[]>>();

/**
 * The districts' outlines as SVG paths, with vertices closer than a pixel dropped (the city's
 * file has thousands): computed once per process, box and width.
 */
function districtPaths(kernel: Kernel, box: BBox, p: Projection): string[] {
  const key = `${box.minLon},${box.minLat},${box.maxLon},${box.maxLat},${p.width}`;
  let byKey = paths.get(kernel);
  if (!byKey) {
    byKey = new Map();
    paths.set(kernel, byKey);
  }
  const cached = byKey.get(key);
  if (cached) return cached;
  const drawn = kernel.districts.all.map((d) =>
    d.polygons
      .flatMap((polygon) =>
        polygon.map((ring) => {
          let last: [number, number] | null = null;
          const kept: string[] = [];
          for (const [lng, lat] of ring) {
            const x = p.x(lng);
            const y = p.y(lat);
            if (last && Math.abs(x - last[0]) < 1 && Math.abs(y - last[1]) < 1) continue;
            last = [x, y];
            kept.push(`${x.toFixed(1)} ${y.toFixed(1)}`);
          }
          return kept.length > 2 ? `M${kept.join('L')}Z` : '';
        }),
      )
      .join(''),
  );
  if (byKey.size > 50) byKey.clear();
  byKey.set(key, drawn);
  return drawn;
}

/**
 * The city's districts drawn server-side with points on them (no tiles: nothing to load, works
 * offline and in print). An image for assistive technologies, named by `title`; pages give the
 * same points as a list or table next to it.
 */
export function DistrictMap(props: {
  kernel: Kernel;
  id: string;
  title: string;
  points: readonly MapPoint[];
  width?: number;
  box?: BBox;
  /** Draws the route through the points in their order. */
  route?: boolean;
  /** A district drawn darker (the report's own). */
  highlight?: string;
}) {
  const box = props.box ?? cityBox(props.kernel);
  const p = projection(box, props.width ?? 640);
  const outlines = districtPaths(props.kernel, box, p);
  const xy = props.points.map((pt) => [p.x(pt.lng), p.y(pt.lat)] as const);
  return (
    <svg
      class="report-map"
      viewBox={`0 0 ${p.width} ${p.height}`}
      width={p.width}
      height={p.height}
      role="img"
      aria-labelledby={`${props.id}-title`}
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id={`${props.id}-title`}>{props.title}</title>
      <g class="map-districts" fill="#f2f2f2" stroke="#666" stroke-width="1">
        {outlines.map((d, i) =>
          d ? <path key={i} d={d} class={props.kernel.districts.all[i]?.code === props.highlight ? 'map-highlight' : undefined} /> : null,
        )}
      </g>
      {props.route && xy.length > 1 ? (
        <polyline
          class="map-route"
          points={xy.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}
          fill="none"
          stroke="#000091"
          stroke-width="2"
          stroke-dasharray="5 3"
        />
      ) : null}
      <g class="map-points">
        {props.points.map((pt, i) => {
          const [x, y] = xy[i]!;
          return (
            <g key={i} class={`map-point priority-${pt.priority ?? 0}`}>
              <circle cx={x.toFixed(1)} cy={y.toFixed(1)} r={pt.label ? 8 : 4} fill="#c9191e" stroke="#fff" stroke-width="1.5" />
              {pt.label ? (
                <text x={x.toFixed(1)} y={(y + 3.5).toFixed(1)} text-anchor="middle" font-size="10" fill="#fff">
                  {pt.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </g>
    </svg>
  );
}
