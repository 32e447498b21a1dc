import type { NotificationTemplateDefinition } from '../../kernel/notifications/templates.js';

export const reportTemplates: NotificationTemplateDefinition[] = [
  {
    code: 'street-reports.received',
    description: 'The receipt of a street report, sent to its reporter when it is filed',
    channels: ['email', 'dashboard'],
    placeholders: ['reference', 'title', 'district', 'link'],
    fr: {
      subject: 'Signalement ((reference)) reçu',
      body: 'Bonjour,\n\nMerci : votre signalement « ((title)) » (((district))) est bien enregistré sous la référence ((reference)). Il va être transmis au service qui en a la charge ; vous serez prévenu(e) à chaque étape.\n\nSuivez-le ici : ((link))',
    },
    en: {
      subject: 'Report ((reference)) received',
      body: 'Hello,\n\nThank you: your report “((title))” (((district))) is recorded under the reference ((reference)). It will be passed to the service in charge; you will hear of each step.\n\nFollow it here: ((link))',
    },
  },
  {
    code: 'street-reports.status',
    description: 'A street report the person filed or follows changed state',
    channels: ['email', 'dashboard', 'sms'],
    placeholders: ['reference', 'title', 'state', 'comment', 'link'],
    fr: {
      subject: 'Signalement ((reference)) : ((state))',
      body: 'Bonjour,\n\nLe signalement ((reference)) (« ((title)) ») est maintenant : ((state)).\n\n((comment))\n\nSuivez-le ici : ((link))',
      sms: 'Signalement ((reference)) : ((state)). ((link))',
    },
    en: {
      subject: 'Report ((reference)): ((state))',
      body: 'Hello,\n\nThe report ((reference)) (“((title))”) is now: ((state)).\n\n((comment))\n\nFollow it here: ((link))',
      sms: 'Report ((reference)): ((state)). ((link))',
    },
  },
];
