import type { Districts } from './districts.js';
import type { BBox, Position } from './point-in-polygon.js';

/** The zoom levels of server-drawn maps: the whole city, a neighbourhood, a street. */
export const ZOOMS = [1, 4, 16] as const;
export type Zoom = (typeof ZOOMS)[number];

/** What a map shows: its centre and zoom (1 = the whole city). */
export interface MapView {
  lat: number;
  lng: number;
  zoom: Zoom;
}

export interface Point {
  lat: number;
  lng: number;
}

/**
 * An equirectangular projection around the city's centre (accurate enough at city scale) of one
 * view onto an image `width` pixels wide; the height follows the city's shape.
 */
export interface Projection {
  width: number;
  height: number;
  view: MapView;
  /** The part of the world the image shows. */
  bbox: BBox;
  toPixel(point: Point): [number, number];
  toPoint(x: number, y: number): Point;
}

/** The districts' extent, with a small margin, and the cosine that makes a degree of longitude as long as one of latitude. */
export function cityExtent(districts: Districts): { bbox: BBox; kx: number; centre: Point } {
  const boxes = districts.all.map((d) => d.bbox);
  const raw = boxes.length
    ? {
        minLon: Math.min(...boxes.map((b) => b.minLon)),
        minLat: Math.min(...boxes.map((b) => b.minLat)),
        maxLon: Math.max(...boxes.map((b) => b.maxLon)),
        maxLat: Math.max(...boxes.map((b) => b.maxLat)),
      }
    : { minLon: -0.05, minLat: -0.05, maxLon: 0.05, maxLat: 0.05 };
  const padLat = (raw.maxLat - raw.minLat) * 0.03;
  const padLon = (raw.maxLon - raw.minLon) * 0.03;
  const bbox = { minLon: raw.minLon - padLon, minLat: raw.minLat - padLat, maxLon: raw.maxLon + padLon, maxLat: raw.maxLat + padLat };
  const centre = { lat: (bbox.minLat + bbox.maxLat) / 2, lng: (bbox.minLon + bbox.maxLon) / 2 };
  return { bbox, kx: Math.cos((centre.lat * Math.PI) / 180), centre };
}

export function cityView(districts: Districts): MapView {
  return { ...cityExtent(districts).centre, zoom: 1 };
}

export function projection(districts: Districts, view: MapView, width: number): Projection {
  const { bbox: city, kx } = cityExtent(districts);
  const spanX = (city.maxLon - city.minLon) * kx;
  const spanY = city.maxLat - city.minLat;
  const height = Math.round((width * spanY) / spanX);
  // Degrees of latitude per pixel; a pixel of longitude is as long on the ground.
  const s = spanX / view.zoom / width;
  const halfLat = (height / 2) * s;
  const halfLng = (width / 2) * (s / kx);
  return {
    width,
    height,
    view,
    bbox: { minLon: view.lng - halfLng, maxLon: view.lng + halfLng, minLat: view.lat - halfLat, maxLat: view.lat + halfLat },
    toPixel: (p) => [((p.lng - view.lng) * kx) / s + width / 2, height / 2 - (p.lat - view.lat) / s],
    toPoint: (x, y) => ({ lng: view.lng + ((x - width / 2) * s) / kx, lat: view.lat + (height / 2 - y) * s }),
  };
}

/** The next zoom in (a click on the map also brings the map closer to where it was clicked). */
export function zoomIn(zoom: Zoom): Zoom {
  return ZOOMS[Math.min(ZOOMS.indexOf(zoom) + 1, ZOOMS.length - 1)]!;
}

export function zoomOut(zoom: Zoom): Zoom {
  return ZOOMS[Math.max(ZOOMS.indexOf(zoom) - 1, 0)]!;
}

export function asZoom(value: unknown): Zoom {
  const n = Number(value);
  return (ZOOMS as readonly number[]).includes(n) ? (n as Zoom) : 1;
}

/** A view parsed from untrusted input, or the whole city when it is not one. */
export function viewFrom(districts: Districts, input: { lat?: unknown; lng?: unknown; zoom?: unknown }): MapView {
  const lat = Number(input.lat);
  const lng = Number(input.lng);
  const zoom = asZoom(input.zoom);
  const { bbox } = cityExtent(districts);
  if (zoom === 1 || !Number.isFinite(lat) || !Number.isFinite(lng)) return cityView(districts);
  // A view far from the city would show nothing: keep its centre within the city's extent.
  return {
    lat: Math.min(Math.max(lat, bbox.minLat), bbox.maxLat),
    lng: Math.min(Math.max(lng, bbox.minLon), bbox.maxLon),
    zoom,
  };
}

/** SVG path data of every district's outline, in the projection's pixels (points closer than half a pixel merged). */
export function districtPaths(districts: Districts, proj: Projection): { code: string; name: string; d: string }[] {
  return districts.all.map((district) => {
    const parts: string[] = [];
    for (const polygon of district.polygons) {
      for (const ring of polygon) {
        let last: [number, number] | null = null;
        const points: string[] = [];
        for (const [lng, lat] of ring as Position[]) {
          const [x, y] = proj.toPixel({ lat, lng });
          if (last && Math.abs(x - last[0]) < 0.5 && Math.abs(y - last[1]) < 0.5) continue;
          last = [x, y];
          points.push(`${x.toFixed(1)} ${y.toFixed(1)}`);
        }
        if (points.length > 2) parts.push(`M${points.join('L')}Z`);
      }
    }
    return { code: district.code, name: district.name, d: parts.join('') };
  });
}
