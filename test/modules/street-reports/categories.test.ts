import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  categoriesFromCsv,
  loadCategories,
  parseCsv,
  searchCategories,
  translationsFileOf,
  translationsFromCsv,
} from '../../../src/modules/street-reports/domain/categories.js';
import { POTHOLE } from './support.js';

const PARIS = fileURLToPath(new URL('../../../cities/paris/street-report-categories.csv', import.meta.url));
const CSV = [
  'type,soustype,count',
  'Voirie et espace public,"Trottoirs : Affaissement, trou, bosse, pavé arraché",5',
  'Voirie et espace public,Trottoirs  : Revêtement manquant,2',
  'Propreté,[réservé agents DPE] Déjections canines,3',
  '',
].join('\n');
const EN = [
  'fr,en',
  'Voirie et espace public,Roads and public space',
  'Trottoirs,Pavements',
  '"Affaissement, trou, bosse, pavé arraché","Sunken surface, pothole, bump or dislodged paving stone"',
  'Déjections canines,Dog fouling',
  '',
].join('\n');

const dir = mkdtempSync(join(tmpdir(), 'civitas-categories-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('English labels of the category tree', () => {
  it('uses the translations at every level, keeps French where one is missing, and never changes a code', () => {
    const tree = categoriesFromCsv(CSV, translationsFromCsv(EN));
    const en = (code: string) => tree.byCode.get(code)?.label.en;
    expect(en('voirie-espace')).toBe('Roads and public space');
    expect(en('voirie-espace.trottoirs')).toBe('Pavements');
    expect(en('voirie-espace.affaissement-trou-bosse-pave-arrache')).toBe('Sunken surface, pothole, bump or dislodged paving stone');
    expect(en('proprete.dejections-canines')).toBe('Dog fouling');
    expect(tree.byCode.get('proprete.dejections-canines')?.agentOnly).toBe(true);
    // Not translated: French, as before.
    expect(tree.byCode.get('proprete')?.label).toEqual({ fr: 'Propreté', en: 'Propreté' });
    expect(tree.byCode.get('voirie-espace.revetement-manquant')?.label).toEqual({ fr: 'Revêtement manquant', en: 'Revêtement manquant' });
    // "Trottoirs  : …" (two spaces, as in Paris's file) is the same family, under the same code.
    expect(tree.byCode.get('voirie-espace.trottoirs')?.children).toHaveLength(2);
    expect([...tree.byCode.keys()]).toEqual([...categoriesFromCsv(CSV).byCode.keys()]);
  });

  it('reads `<name>.en.csv` next to the category file when there is one', () => {
    const file = join(dir, 'categories.csv');
    writeFileSync(file, CSV);
    expect(translationsFileOf(file)).toBe(join(dir, 'categories.en.csv'));
    expect(loadCategories(file).byCode.get('voirie-espace.trottoirs')?.label.en).toBe('Trottoirs');
    writeFileSync(translationsFileOf(file), EN);
    expect(loadCategories(file).byCode.get('voirie-espace.trottoirs')?.label.en).toBe('Pavements');
    writeFileSync(translationsFileOf(file), 'french,english\nTrottoirs,Pavements\n');
    expect(() => loadCategories(file)).toThrow(/"fr,en"/);
  });

  it('has a translation for every label of Paris’s taxonomy, and none for a label it does not use', () => {
    const rows = parseCsv(readFileSync(translationsFileOf(PARIS), 'utf8'));
    expect(rows[0]).toEqual(['fr', 'en']);
    expect(rows.slice(1).every((row) => row.length === 2)).toBe(true);
    const translations = translationsFromCsv(readFileSync(translationsFileOf(PARIS), 'utf8'));
    expect(translations.size).toBe(rows.length - 1); // no French label twice, no empty English
    const tree = loadCategories(PARIS);
    const labels = new Set([...tree.byCode.values()].map((c) => c.label.fr));
    expect([...labels].filter((fr) => !translations.has(fr))).toEqual([]);
    expect([...translations.keys()].filter((fr) => !labels.has(fr))).toEqual([]);
    expect(tree.byCode.get('voirie-espace')?.label.en).toBe('Roads and public space');
  });

  it('finds a leaf by English words, its own or its family’s', () => {
    const tree = loadCategories(PARIS);
    expect(searchCategories(tree, 'pothole').map((l) => l.code)).toContain(POTHOLE);
    expect(searchCategories(tree, 'Pavement pothole').map((l) => l.code)).toEqual([POTHOLE]);
    expect(searchCategories(tree, 'dog fouling').map((l) => l.code)).toEqual(['proprete.dejections-canines']);
  });
});
