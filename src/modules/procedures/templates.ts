import type { NotificationTemplateDefinition } from '../../kernel/notifications/templates.js';

const signature = {
  fr: '\n\nSuivez votre demande et écrivez-nous depuis votre espace : ((link))',
  en: '\n\nFollow your application and write to us from your account: ((link))',
};

function template(
  code: string,
  description: string,
  placeholders: string[],
  fr: { subject: string; body: string },
  en: { subject: string; body: string },
): NotificationTemplateDefinition {
  return {
    code: `procedures.${code}`,
    description,
    channels: ['email', 'dashboard', 'sms'],
    placeholders: ['reference', 'title', 'link', ...placeholders],
    fr: { subject: fr.subject, body: `Bonjour,\n\n${fr.body}${signature.fr}`, sms: `${fr.subject}. ((link))` },
    en: { subject: en.subject, body: `Hello,\n\n${en.body}${signature.en}`, sms: `${en.subject}. ((link))` },
  };
}

/** What the applicant is told at each step of the procedure (administrators can reword each). */
export const procedureTemplates: NotificationTemplateDefinition[] = [
  template(
    'submitted',
    'Receipt of an application',
    [],
    {
      subject: 'Demande ((reference)) bien reçue',
      body: 'Nous avons bien reçu votre demande « ((title)) ». Elle porte la référence ((reference)).',
    },
    { subject: 'Application ((reference)) received', body: 'We received your application “((title))”. Its reference is ((reference)).' },
  ),
  template(
    'review',
    'An application is under review',
    [],
    { subject: 'Demande ((reference)) en instruction', body: 'Un agent examine votre demande « ((title)) ».' },
    { subject: 'Application ((reference)) under review', body: 'An officer is reviewing your application “((title))”.' },
  ),
  template(
    'corrections',
    'The applicant must correct the file',
    ['reason', 'comment'],
    {
      subject: 'Demande ((reference)) : des corrections sont nécessaires',
      body: 'Votre demande « ((title)) » doit être corrigée : ((reason)).\n\n((comment))\n\nSans correction sous 30 jours, elle sera classée sans suite.',
    },
    {
      subject: 'Application ((reference)): corrections needed',
      body: 'Your application “((title))” needs corrections: ((reason)).\n\n((comment))\n\nWithout corrections within 30 days, it will be closed.',
    },
  ),
  template(
    'accepted',
    'An application is accepted',
    ['comment'],
    {
      subject: 'Demande ((reference)) acceptée',
      body: 'Votre demande « ((title)) » est acceptée. Le remboursement sera versé dans les deux mois environ.\n\n((comment))',
    },
    {
      subject: 'Application ((reference)) accepted',
      body: 'Your application “((title))” is accepted. The refund will be paid within about two months.\n\n((comment))',
    },
  ),
  template(
    'refused',
    'An application is refused',
    ['reason', 'comment'],
    { subject: 'Demande ((reference)) refusée', body: 'Votre demande « ((title)) » est refusée : ((reason)).\n\n((comment))' },
    { subject: 'Application ((reference)) refused', body: 'Your application “((title))” is refused: ((reason)).\n\n((comment))' },
  ),
  template(
    'closed',
    'An application is closed without follow-up',
    ['comment'],
    { subject: 'Demande ((reference)) classée sans suite', body: 'Votre demande « ((title)) » est classée sans suite.\n\n((comment))' },
    { subject: 'Application ((reference)) closed', body: 'Your application “((title))” was closed without follow-up.\n\n((comment))' },
  ),
  template(
    'refunded',
    'The refund was paid',
    [],
    { subject: 'Demande ((reference)) remboursée', body: 'Le remboursement de votre demande « ((title)) » a été versé sur votre compte.' },
    { subject: 'Application ((reference)) refunded', body: 'The refund of your application “((title))” was paid into your account.' },
  ),
];
