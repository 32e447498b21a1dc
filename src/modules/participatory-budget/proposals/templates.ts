import type { NotificationTemplateDefinition } from '../../../kernel/notifications/templates.js';
import { NOTIFICATION_TEMPLATE } from './stages.js';

/** One message for every step of a proposal (its state's label and the agent's words fill it). */
export const proposalTemplates: NotificationTemplateDefinition[] = [
  {
    code: NOTIFICATION_TEMPLATE,
    description: 'A participatory-budget proposal the person wrote or co-wrote moved to a new step',
    channels: ['email', 'dashboard'],
    placeholders: ['reference', 'title', 'state', 'comment', 'link'],
    fr: {
      subject: 'Proposition ((reference)) : ((state))',
      body: 'Bonjour,\n\nVotre proposition « ((title)) » (((reference))) est maintenant : ((state)).\n\n((comment))\n\nRetrouvez-la ici : ((link))',
    },
    en: {
      subject: 'Proposal ((reference)): ((state))',
      body: 'Hello,\n\nYour proposal “((title))” (((reference))) is now: ((state)).\n\n((comment))\n\nSee it here: ((link))',
    },
  },
];
