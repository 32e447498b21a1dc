import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';

function configFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'config-')), 'civitas.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const city = { code: 'testville', name: { fr: 'Testville', en: 'Testville' } };

describe('loadConfig', () => {
  it('starts Paris with the documented defaults', () => {
    const { config } = loadConfig({ env: {} });
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe(join(process.cwd(), 'data'));
    expect(config.city.code).toBe('paris');
    expect(config.city.defaultLanguage).toBe('fr');
    expect(config.modules).toContain('pages');
  });

  it('takes PORT, DATABASE_URL, CIVITAS_DATA_DIR and CIVITAS_MODULES from the environment', () => {
    const { config } = loadConfig({
      env: { PORT: '8080', DATABASE_URL: 'postgres://u@db:5432/city', CIVITAS_DATA_DIR: '/srv/civitas', CIVITAS_MODULES: 'pages, other' },
    });
    expect(config.port).toBe(8080);
    expect(config.databaseUrl).toBe('postgres://u@db:5432/city');
    expect(config.dataDir).toBe('/srv/civitas');
    expect(config.modules).toEqual(['pages', 'other']);
  });

  it('lists every problem at once, with its path', () => {
    const file = configFile({ city: { ...city, colours: { primary: 'blue' } }, port: 99999, colour: 'red' });
    let message = '';
    try {
      loadConfig({ env: {}, file });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(`Invalid configuration (${file} and environment):`);
    expect(message).toContain('- port:');
    expect(message).toContain('- city.colours.primary: a colour like #1e3a8a');
    expect(message).toMatch(/- \(root\): Unrecognized key: "colour"/);
  });

  it('refuses an invalid PORT from the environment', () => {
    expect(() => loadConfig({ env: { PORT: 'eighty' } })).toThrow(/- port:/);
  });

  it('says clearly when the file is missing or is not JSON', () => {
    expect(() => loadConfig({ env: { CIVITAS_CONFIG: '/nowhere/civitas.json' } })).toThrow(
      'Configuration file not found: /nowhere/civitas.json (set CIVITAS_CONFIG).',
    );
    expect(() => loadConfig({ env: {}, file: configFile('{ nope') })).toThrow(/is not valid JSON/);
  });
});
