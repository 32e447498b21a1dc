import type { NotificationTemplateDefinition } from '../../kernel/notifications/templates.js';

export const reportTemplates: NotificationTemplateDefinition[] = [
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
