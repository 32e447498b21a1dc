import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { loadDistricts } from './districts.js';
import { distanceMetres, inPolygon } from './point-in-polygon.js';

const city = (name: string) => {
  const { config, baseDir } = loadConfig({ env: {}, file: `cities/${name}/civitas.json` });
  return loadDistricts(config.city, baseDir);
};

describe('districts', () => {
  const paris = city('paris');

  it('loads the 20 arrondissements of Paris with their INSEE codes', () => {
    expect(paris.all).toHaveLength(20);
    expect(paris.all[0]?.code).toBe('75101');
    expect(paris.byCode('75120')?.name).toBe('20ème Ardt');
  });

  it('finds the district of a point', () => {
    expect(paris.locate([2.2945, 48.8584])?.code).toBe('75107'); // Eiffel Tower
    expect(paris.locate([2.3499, 48.853])?.code).toBe('75104'); // Notre-Dame
    expect(paris.locate([2.3795, 48.8594])?.code).toBe('75111'); // Rue de la Roquette
    expect(paris.locate([2.1301, 48.8049])).toBeUndefined(); // Versailles
    expect(paris.locate([0, 0])).toBeUndefined();
  });

  it('works for other cities by configuration alone', () => {
    expect(city('lyon').all).toHaveLength(9);
    expect(city('lyon').locate([4.832, 45.7578])?.code).toBe('69382'); // Place Bellecour
    expect(city('marseille').all).toHaveLength(16);
    expect(city('marseille').locate([5.379, 43.2975])?.code).toBe('13201'); // La Canebière
  });

  it('puts any point inside at most one arrondissement', () => {
    fc.assert(
      fc.property(fc.double({ min: 2.22, max: 2.47, noNaN: true }), fc.double({ min: 48.81, max: 48.91, noNaN: true }), (lon, lat) => {
        const containing = paris.all.filter((d) => d.polygons.some((p) => inPolygon([lon, lat], p)));
        expect(containing.length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('distanceMetres', () => {
  it('measures known distances', () => {
    // Notre-Dame to the Eiffel Tower: about 4.1 km.
    expect(distanceMetres([2.3499, 48.853], [2.2945, 48.8584])).toBeGreaterThan(4000);
    expect(distanceMetres([2.3499, 48.853], [2.2945, 48.8584])).toBeLessThan(4200);
    expect(distanceMetres([2.35, 48.85], [2.35, 48.85])).toBe(0);
  });
});
