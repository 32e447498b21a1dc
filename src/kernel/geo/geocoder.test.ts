import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { GeocoderUnavailable, geocoderOf, httpGeocoder } from './geocoder.js';

describe('the geocoder configuration', () => {
  it('defaults to the national address API, takes CIVITAS_GEOCODER_URL, and can be turned off', () => {
    expect(loadConfig({ env: {} }).config.geocoder).toEqual({
      url: 'https://api-adresse.data.gouv.fr/search/',
      enabled: true,
      timeoutMs: 2000,
    });
    expect(loadConfig({ env: { CIVITAS_GEOCODER_URL: 'http://geo.internal/search/' } }).config.geocoder.url).toBe(
      'http://geo.internal/search/',
    );
    const off = loadConfig({ env: { CIVITAS_GEOCODER_URL: 'off' } }).config;
    expect(off.geocoder.enabled).toBe(false);
    expect(geocoderOf(off)).toBeNull();
  });

  it('gives up within its time limit on an address that does not answer', async () => {
    // 10.255.255.1 is not routed: the connection neither succeeds nor fails quickly.
    const geocoder = httpGeocoder({ url: 'http://10.255.255.1/search/', timeoutMs: 200 });
    const started = Date.now();
    await expect(geocoder.search('place Léon Blum')).rejects.toBeInstanceOf(GeocoderUnavailable);
    expect(Date.now() - started).toBeLessThan(1500);
    // Too short to search: no call at all.
    await expect(geocoder.search('ab')).resolves.toEqual([]);
  });
});
