import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CityConfig } from '../config/schema.js';
import { type BBox, bboxOf, inBBox, inPolygon, type PolygonCoords, type Position } from './point-in-polygon.js';

export interface District {
  /** Stable code from the city's data (Paris: INSEE code, "75111"). */
  code: string;
  name: string;
  polygons: PolygonCoords[];
  bbox: BBox;
}

export interface Districts {
  all: readonly District[];
  byCode(code: string): District | undefined;
  /** The district containing the point, or undefined when the point is outside the city. */
  locate(point: Position): District | undefined;
}

interface Feature {
  properties: Record<string, unknown>;
  geometry: { type: 'Polygon'; coordinates: PolygonCoords } | { type: 'MultiPolygon'; coordinates: PolygonCoords[] };
}

/** Reads the city's districts from its GeoJSON file; a city without districts has none (and no point is refused). */
export function loadDistricts(city: CityConfig, baseDir: string): Districts {
  const spec = city.districts;
  if (!spec) return fromList([]);
  const file = resolve(baseDir, spec.file);
  const collection = JSON.parse(readFileSync(file, 'utf8')) as { features?: Feature[] };
  if (!Array.isArray(collection.features)) throw new Error(`${file} is not a GeoJSON FeatureCollection.`);
  const list = collection.features.map((f, i) => {
    const code = f.properties[spec.codeProperty];
    const name = f.properties[spec.nameProperty];
    if (code === undefined || name === undefined) {
      throw new Error(`${file}: feature ${i} lacks "${spec.codeProperty}" or "${spec.nameProperty}".`);
    }
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    // Some sources double the spaces inside names ("Marseille 2e  Arrondissement").
    return { code: String(code), name: String(name).replace(/\s+/g, ' ').trim(), polygons, bbox: bboxOf(polygons) };
  });
  list.sort((a, b) => a.code.localeCompare(b.code, 'fr', { numeric: true }));
  return fromList(list);
}

function fromList(list: District[]): Districts {
  const index = new Map(list.map((d) => [d.code, d]));
  return {
    all: list,
    byCode: (code) => index.get(code),
    locate: (point) => list.find((d) => inBBox(point, d.bbox) && d.polygons.some((p) => inPolygon(point, p))),
  };
}
