import type { Executor } from '../../../kernel/db/transaction.js';
import { distanceMetres } from '../../../kernel/geo/point-in-polygon.js';
import { HIDDEN_STATES } from './public-queries.js';

export interface NearbyReport {
  id: string;
  reference: string;
  category: string;
  address: string | null;
  state: string;
  createdAt: string;
  followers: number;
  /** Metres from the point being reported, rounded. */
  distance: number;
}

const METRES_PER_DEGREE_LAT = 111_320;

/**
 * Open public reports within `radius` metres of a point, the same category first then the nearest:
 * what a resident is shown before filing, to follow one instead of filing a duplicate. A box around
 * the point reads the `(status, lat, lng)` index; the exact distance then keeps the circle.
 */
export async function nearbyReports(
  db: Executor,
  point: { lat: number; lng: number; category?: string | null },
  radius: number,
  limit = 10,
): Promise<NearbyReport[]> {
  const dLat = radius / METRES_PER_DEGREE_LAT;
  const dLng = dLat / Math.max(Math.cos((point.lat * Math.PI) / 180), 0.01);
  let q = db
    .selectFrom('street_reports')
    .select(['id', 'reference', 'category', 'address', 'state', 'created_at', 'followers', 'lat', 'lng'])
    .where('status', '=', 'open')
    .where('lat', '>=', point.lat - dLat)
    .where('lat', '<=', point.lat + dLat)
    .where('lng', '>=', point.lng - dLng)
    .where('lng', '<=', point.lng + dLng);
  if (HIDDEN_STATES.length) q = q.where('state', 'not in', HIDDEN_STATES);
  const rows = await q.limit(500).execute();
  return rows
    .map((r) => ({
      id: r.id,
      reference: r.reference,
      category: r.category,
      address: r.address,
      state: r.state,
      createdAt: r.created_at,
      followers: Number(r.followers),
      distance: Math.round(distanceMetres([point.lng, point.lat], [Number(r.lng), Number(r.lat)])),
    }))
    .filter((r) => r.distance <= radius)
    .sort((a, b) => Number(b.category === point.category) - Number(a.category === point.category) || a.distance - b.distance)
    .slice(0, limit);
}
