import type { ComponentChildren } from 'preact';
import type { Districts } from '../geo/districts.js';
import { districtPaths, type Projection } from '../geo/map.js';

/** The outlines of the city's districts, the background of every server-drawn map. */
export function DistrictShapes({ districts, proj }: { districts: Districts; proj: Projection }) {
  return (
    <g class="map-districts" fill="#eef1f6" stroke="#5b6478" stroke-width="1">
      {districtPaths(districts, proj).map((d) => (
        <path key={d.code} d={d.d} />
      ))}
    </g>
  );
}

/**
 * A server-drawn map of the city (no tiles, no script): the districts, then what the caller marks on
 * them (links, clusters). Named by its title; the page lists the same things in text beside it.
 */
export function CityMap(props: { id: string; title: string; districts: Districts; proj: Projection; children: ComponentChildren }) {
  const { proj } = props;
  return (
    <svg
      class="report-map"
      viewBox={`0 0 ${proj.width} ${proj.height}`}
      width={proj.width}
      height={proj.height}
      aria-labelledby={`${props.id}-title`}
    >
      <title id={`${props.id}-title`}>{props.title}</title>
      <DistrictShapes districts={props.districts} proj={proj} />
      {props.children}
    </svg>
  );
}
