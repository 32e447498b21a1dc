import type { Catalogue } from '../../i18n/types.js';

export const privacyMessages: Catalogue = {
  fr: {
    'privacy.title': 'Mes données personnelles',
    'privacy.lead': 'Vous pouvez télécharger toutes les données que la ville détient sur vous, ou supprimer votre compte.',
    'privacy.export.title': 'Télécharger mes données',
    'privacy.export.text':
      'Un fichier JSON contenant votre compte, vos attributs d’identité et leur origine, vos connexions et vos démarches.',
    'privacy.export.button': 'Télécharger mes données (JSON)',
    'privacy.delete.title': 'Supprimer mon compte',
    'privacy.delete.text':
      'Vos données personnelles seront effacées. Vos contributions publiques (propositions, signalements) resteront visibles sans votre nom. Cette action est définitive.',
    'privacy.delete.password': 'Votre mot de passe',
    'privacy.delete.confirm': 'Pour confirmer, saisissez SUPPRIMER',
    'privacy.delete.confirmWord': 'SUPPRIMER',
    'privacy.delete.button': 'Supprimer définitivement mon compte',
    'privacy.delete.errors.password': 'Le mot de passe est incorrect',
    'privacy.delete.errors.confirm': 'Saisissez SUPPRIMER pour confirmer',
    'privacy.deleted.title': 'Compte supprimé',
    'privacy.deleted.text': 'Votre compte et vos données personnelles ont été supprimés.',
  },
  en: {
    'privacy.title': 'My personal data',
    'privacy.lead': 'You can download all the data the city holds about you, or delete your account.',
    'privacy.export.title': 'Download my data',
    'privacy.export.text':
      'A JSON file with your account, your identity attributes and where they come from, your sign-ins and your requests.',
    'privacy.export.button': 'Download my data (JSON)',
    'privacy.delete.title': 'Delete my account',
    'privacy.delete.text':
      'Your personal data will be erased. Your public contributions (proposals, reports) will stay visible without your name. This cannot be undone.',
    'privacy.delete.password': 'Your password',
    'privacy.delete.confirm': 'To confirm, type DELETE',
    'privacy.delete.confirmWord': 'DELETE',
    'privacy.delete.button': 'Delete my account for good',
    'privacy.delete.errors.password': 'The password is incorrect',
    'privacy.delete.errors.confirm': 'Type DELETE to confirm',
    'privacy.deleted.title': 'Account deleted',
    'privacy.deleted.text': 'Your account and your personal data have been deleted.',
  },
};
