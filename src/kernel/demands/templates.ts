import type { NotificationTemplateDefinition } from '../notifications/templates.js';

export const DEMAND_REPLY_TEMPLATE = 'demands.reply';

/** The kernel's own notifications about demands; administrators edit them like the modules'. */
export const demandTemplates: NotificationTemplateDefinition[] = [
  {
    code: DEMAND_REPLY_TEMPLATE,
    description: 'An agent answered a resident on one of their requests',
    channels: ['email', 'dashboard'],
    placeholders: ['reference', 'title', 'link'],
    fr: {
      subject: 'Nouveau message sur votre demande ((reference))',
      body: 'Bonjour,\n\nLes services de la ville vous ont écrit au sujet de votre demande « ((title)) » (((reference))).\n\nLisez-le et répondez depuis votre espace : ((link))',
    },
    en: {
      subject: 'New message about your request ((reference))',
      body: 'Hello,\n\nThe city’s services wrote to you about your request “((title))” (((reference))).\n\nRead it and answer from your account: ((link))',
    },
  },
];
