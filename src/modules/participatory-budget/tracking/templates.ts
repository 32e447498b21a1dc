import type { NotificationTemplateDefinition } from '../../../kernel/notifications/templates.js';

export const PROGRESS_TEMPLATE = 'participatory-budget.tracking.progress';

/** What a follower of a winning project receives at each change of its execution. */
export const trackingTemplates: NotificationTemplateDefinition[] = [
  {
    code: PROGRESS_TEMPLATE,
    description: 'A winning participatory-budget project the person follows moved on (status, progress or a new milestone)',
    channels: ['email', 'dashboard'],
    placeholders: ['title', 'change', 'status', 'progress', 'link'],
    fr: {
      subject: 'Budget participatif : du nouveau sur « ((title)) »',
      body: 'Bonjour,\n\nLe projet « ((title)) », que vous suivez, avance.\n\n((change))\n\nOù il en est : ((status)), réalisé à ((progress)) %.\n\nTout son suivi : ((link))\n\nVous recevez ce message parce que vous suivez ce projet ; vous pouvez cesser de le suivre depuis sa page.',
    },
    en: {
      subject: 'Participatory budget: news of “((title))”',
      body: 'Hello,\n\nThe project “((title))”, which you follow, has moved on.\n\n((change))\n\nWhere it stands: ((status)), ((progress))% done.\n\nIts whole record: ((link))\n\nYou receive this message because you follow this project; you can stop following it from its page.',
    },
  },
];
