import type { Localized } from '../../../kernel/i18n/types.js';

/**
 * The 11 themes ("Thématique") of Paris's winning projects 2014–2023, as published in
 * shared/data/paris-budget-participatif-projets-laureats.csv (Ville de Paris open data), with the
 * number of winners under each for reference; copied here so the module depends on no file outside it.
 * Codes are ours (stable, ASCII); English labels are our translation.
 */
export const PARIS_THEMES: readonly { code: string; label: Localized; winners2014to2023: number }[] = [
  { code: 'cadre-de-vie', label: { fr: 'Cadre de vie', en: 'Living environment' }, winners2014to2023: 306 },
  { code: 'education-jeunesse', label: { fr: 'Education et jeunesse', en: 'Education and youth' }, winners2014to2023: 197 },
  { code: 'environnement', label: { fr: 'Environnement', en: 'Environment' }, winners2014to2023: 181 },
  { code: 'culture-patrimoine', label: { fr: 'Culture et patrimoine', en: 'Culture and heritage' }, winners2014to2023: 131 },
  { code: 'solidarites', label: { fr: 'Solidarités', en: 'Solidarity' }, winners2014to2023: 128 },
  { code: 'sport', label: { fr: 'Sport', en: 'Sport' }, winners2014to2023: 112 },
  { code: 'prevention-securite', label: { fr: 'Prévention et sécurité', en: 'Prevention and safety' }, winners2014to2023: 53 },
  { code: 'mobilites', label: { fr: 'Mobilités', en: 'Getting around' }, winners2014to2023: 52 },
  { code: 'proprete', label: { fr: 'Propreté', en: 'Cleanliness' }, winners2014to2023: 30 },
  { code: 'attractivite-emploi', label: { fr: 'Attractivité et emploi', en: 'Attractiveness and jobs' }, winners2014to2023: 12 },
  { code: 'sante', label: { fr: 'Santé', en: 'Health' }, winners2014to2023: 12 },
];
