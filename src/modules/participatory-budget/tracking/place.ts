import type { Districts } from '../../../kernel/geo/districts.js';
import type { Point } from '../../../kernel/geo/map.js';
import type { TrackedProject } from './project.js';

/**
 * Where a project goes on the map: its own point, or else the middle of its district (a project
 * for a whole arrondissement); a city-wide project without a point has no place on the map.
 */
export function placeOf(districts: Districts, project: Pick<TrackedProject, 'lat' | 'lng' | 'envelopeCode'>): Point | null {
  if (project.lat !== null && project.lng !== null) return { lat: project.lat, lng: project.lng };
  const box = districts.byCode(project.envelopeCode)?.bbox;
  return box ? { lat: (box.minLat + box.maxLat) / 2, lng: (box.minLon + box.maxLon) / 2 } : null;
}
