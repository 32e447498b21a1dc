import type { Catalogue } from '../../kernel/i18n/types.js';

export const reportMessages: Catalogue = {
  fr: {
    'street-reports.nav': 'Signaler une anomalie',
    'street-reports.navDescription': 'Graffiti, nid-de-poule, éclairage en panne, objet abandonné : signalez-le et suivez son traitement.',
    'street-reports.admin.nav': 'Signalements',
    'street-reports.admin.navDescription': 'Trier, traiter et envoyer aux prestataires les signalements de vos unités.',
    'street-reports.errors.category-unknown': 'Choisissez une catégorie de la liste.',
    'street-reports.errors.category-agents': 'Cette catégorie est réservée aux agents.',
    'street-reports.errors.category-elsewhere': 'Cette anomalie n’est pas traitée ici.',
    'street-reports.errors.point-invalid': 'Indiquez un lieu valide (latitude et longitude).',
    'street-reports.errors.point-outside': 'Ce lieu est hors de la ville : choisissez un point dans la ville.',
    'street-reports.errors.description-too-long': 'La description dépasse 4 000 caractères.',
    'street-reports.errors.too-many-photos': 'Trois photos au plus.',
    'street-reports.errors.anonymous-not-allowed': 'Cette catégorie ne peut pas être signalée anonymement : connectez-vous.',
  },
  en: {
    'street-reports.nav': 'Report a problem',
    'street-reports.navDescription': 'Graffiti, a pothole, a broken light, an abandoned object: report it and follow how it is handled.',
    'street-reports.admin.nav': 'Street reports',
    'street-reports.admin.navDescription': 'Triage, handle and send to contractors the reports of your units.',
    'street-reports.errors.category-unknown': 'Choose a category from the list.',
    'street-reports.errors.category-agents': 'Only agents may use this category.',
    'street-reports.errors.category-elsewhere': 'This problem is not handled here.',
    'street-reports.errors.point-invalid': 'Give a valid place (latitude and longitude).',
    'street-reports.errors.point-outside': 'This place is outside the city: choose a point in the city.',
    'street-reports.errors.description-too-long': 'The description is longer than 4,000 characters.',
    'street-reports.errors.too-many-photos': 'Three photos at most.',
    'street-reports.errors.anonymous-not-allowed': 'This category cannot be reported anonymously: log in.',
  },
};
