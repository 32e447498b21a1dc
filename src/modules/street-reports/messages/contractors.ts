import type { Catalogue } from '../../../kernel/i18n/types.js';

/** The workflow's back office shows a refused action by its code, under `workflow.errors.`. */
export const contractorMessages: Catalogue = {
  fr: {
    'workflow.errors.street-reports.no-contractor':
      'Aucun prestataire ne reçoit les bons de travaux de l’unité de ce signalement : un administrateur doit d’abord ajouter son point de terminaison (Webhooks), ou le signalement est traité en régie.',
  },
  en: {
    'workflow.errors.street-reports.no-contractor':
      'No contractor receives the work orders of this report’s unit: an administrator must first add its endpoint (Webhooks), or the report is handled in-house.',
  },
};
