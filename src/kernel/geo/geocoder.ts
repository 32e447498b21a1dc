import type { Config } from '../config/schema.js';

/** One answer of an address search: a label to show and its point (WGS84). */
export interface GeocodedAddress {
  label: string;
  lat: number;
  lng: number;
  postcode: string | null;
}

/**
 * Address search behind an interface, so a city can plug in any service answering like the French
 * national address API (`GET ?q=&limit=&lat=&lon=` → GeoJSON features with `properties.label`).
 */
export interface Geocoder {
  /** Addresses matching the text, nearest to `near` first when given. Throws `GeocoderUnavailable`. */
  search(text: string, options?: { near?: { lat: number; lng: number }; limit?: number }): Promise<GeocodedAddress[]>;
}

/** The service did not answer in time or answered nonsense: callers offer the map and coordinates instead. */
export class GeocoderUnavailable extends Error {
  override name = 'GeocoderUnavailable';
}

interface Feature {
  geometry?: { type?: string; coordinates?: unknown };
  properties?: { label?: unknown; postcode?: unknown };
}

function toAddress(feature: Feature): GeocodedAddress | null {
  const [lng, lat] = Array.isArray(feature.geometry?.coordinates) ? feature.geometry.coordinates : [];
  const label = feature.properties?.label;
  if (typeof lng !== 'number' || typeof lat !== 'number' || typeof label !== 'string' || !label.trim()) return null;
  if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
  const postcode = feature.properties?.postcode;
  return { label: label.trim().slice(0, 200), lat, lng, postcode: typeof postcode === 'string' ? postcode : null };
}

/** A geocoder speaking the national address API's protocol over HTTP, with a short time limit. */
export function httpGeocoder(options: { url: string; timeoutMs: number }): Geocoder {
  return {
    async search(text, { near, limit = 5 } = {}) {
      const query = text.trim().slice(0, 200);
      // The national API refuses queries shorter than three characters.
      if (query.length < 3) return [];
      const url = new URL(options.url);
      url.searchParams.set('q', query);
      url.searchParams.set('limit', String(Math.min(Math.max(limit, 1), 20)));
      if (near) {
        url.searchParams.set('lat', String(near.lat));
        url.searchParams.set('lon', String(near.lng));
      }
      let body: { features?: unknown };
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs), headers: { accept: 'application/json' } });
        if (!response.ok) throw new GeocoderUnavailable(`The address service answered ${response.status}.`);
        body = (await response.json()) as { features?: unknown };
      } catch (err) {
        if (err instanceof GeocoderUnavailable) throw err;
        throw new GeocoderUnavailable(`The address service did not answer: ${(err as Error).message}`);
      }
      if (!Array.isArray(body?.features)) throw new GeocoderUnavailable('The address service answered without features.');
      return (body.features as Feature[]).map(toAddress).filter((a): a is GeocodedAddress => a !== null);
    },
  };
}

const built = new WeakMap<object, Geocoder | null>();

/** The city's geocoder, or null when address search is turned off. */
export function geocoderOf(config: Pick<Config, 'geocoder'>): Geocoder | null {
  const spec = config.geocoder;
  if (!built.has(spec)) built.set(spec, spec.enabled ? httpGeocoder(spec) : null);
  return built.get(spec) ?? null;
}
