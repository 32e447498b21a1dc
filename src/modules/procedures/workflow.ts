import type { WorkflowDefinition } from '../../kernel/workflow/definition.js';

const text = (fr: string, en: string) => ({ fr, en });

/**
 * How an application to an online procedure is handled: Démarches Simplifiées' file states —
 * submitted ("en construction"), under review ("en instruction"), back to the applicant for
 * corrections, accepted (then refunded, for a refund), refused, or closed without follow-up —
 * with re-opening, and the timers that close forgotten corrections and archive old files.
 */
export const applicationWorkflow: WorkflowDefinition = {
  code: 'procedures:application',
  version: 1,
  label: text('Démarche en ligne', 'Online procedure'),
  initial: 'submitted',
  states: {
    submitted: { label: text('Déposée', 'Submitted'), public: true, status: 'ongoing', step: 1 },
    review: { label: text('En instruction', 'Under review'), public: true, status: 'ongoing', step: 2 },
    corrections: {
      label: text('En attente de corrections', 'Waiting for corrections'),
      public: true,
      status: 'to-complete',
      step: 2,
      citizenAction: text('corriger votre dossier puis le signaler', 'correct your file, then say so'),
    },
    accepted: { label: text('Acceptée, remboursement en cours', 'Accepted, refund under way'), public: true, status: 'ongoing', step: 3 },
    refunded: { label: text('Remboursée', 'Refunded'), public: true, status: 'closed', step: 4 },
    refused: { label: text('Refusée', 'Refused'), public: true, status: 'closed', step: 4 },
    closed: { label: text('Classée sans suite', 'Closed without follow-up'), public: true, status: 'cancelled', step: 4 },
    withdrawn: { label: text('Retirée par vous', 'Withdrawn by you'), public: true, status: 'cancelled' },
    archived: { label: text('Archivée', 'Archived'), public: false, status: 'closed' },
  },
  actions: {
    'start-review': {
      label: text('Passer en instruction', 'Start the review'),
      from: ['submitted'],
      to: 'review',
      permission: 'procedures.instruct',
      mass: true,
      tasks: [
        { type: 'deadline', after: { days: 60 } },
        { type: 'notify', template: 'procedures.review' },
      ],
    },
    'ask-corrections': {
      label: text('Demander des corrections', 'Ask for corrections'),
      from: ['review'],
      to: 'corrections',
      permission: 'procedures.instruct',
      fields: [
        {
          code: 'reason',
          type: 'reason',
          label: text('Motif', 'Reason'),
          required: true,
          reasons: [
            { code: 'incorrect', label: text('Une information est inexacte', 'Some information is incorrect') },
            { code: 'incomplete', label: text('Il manque une pièce ou une information', 'A document or some information is missing') },
            { code: 'outdated', label: text('Une pièce est périmée', 'A document is out of date') },
          ],
        },
        { code: 'comment', type: 'comment', label: text('Ce qu’il faut corriger', 'What to correct'), required: true },
      ],
      tasks: [{ type: 'notify', template: 'procedures.corrections' }],
    },
    corrected: { label: text('J’ai corrigé mon dossier', 'I have corrected my file'), from: ['corrections'], to: 'review', by: 'citizen' },
    accept: {
      label: text('Accepter', 'Accept'),
      from: ['review'],
      to: 'accepted',
      permission: 'procedures.decide',
      fields: [{ code: 'comment', type: 'comment', label: text('Message à l’usager', 'Message to the applicant') }],
      tasks: [
        { type: 'deadline', clear: true },
        { type: 'notify', template: 'procedures.accepted' },
        { type: 'webhook', event: 'procedures.accepted' },
      ],
    },
    refuse: {
      label: text('Refuser', 'Refuse'),
      from: ['review'],
      to: 'refused',
      permission: 'procedures.decide',
      fields: [
        {
          code: 'reason',
          type: 'reason',
          label: text('Motif du refus', 'Reason for refusal'),
          required: true,
          reasons: [
            { code: 'not-resident', label: text('Le foyer ne réside pas à Paris', 'The household does not live in Paris') },
            { code: 'age', label: text('L’enfant n’a pas l’âge requis', 'The child is not of the required age') },
            { code: 'no-pass', label: text('Aucun passe scolaire n’a été souscrit', 'No school pass was taken out') },
          ],
        },
        { code: 'comment', type: 'comment', label: text('Message à l’usager', 'Message to the applicant') },
      ],
      tasks: [
        { type: 'deadline', clear: true },
        { type: 'notify', template: 'procedures.refused' },
      ],
    },
    close: {
      label: text('Classer sans suite', 'Close without follow-up'),
      from: ['review', 'corrections'],
      to: 'closed',
      permission: 'procedures.decide',
      fields: [{ code: 'comment', type: 'comment', label: text('Message à l’usager', 'Message to the applicant'), required: true }],
      tasks: [
        { type: 'deadline', clear: true },
        { type: 'notify', template: 'procedures.closed' },
      ],
    },
    refund: {
      label: text('Remboursement versé', 'Refund paid'),
      from: ['accepted'],
      to: 'refunded',
      permission: 'procedures.decide',
      mass: true,
      tasks: [{ type: 'notify', template: 'procedures.refunded' }],
    },
    reopen: {
      label: text('Rouvrir le dossier', 'Re-open the file'),
      from: ['refused', 'closed'],
      to: 'review',
      permission: 'procedures.decide',
    },
    withdraw: {
      label: text('Retirer ma demande', 'Withdraw my application'),
      from: ['submitted', 'corrections'],
      to: 'withdrawn',
      by: 'citizen',
    },
    'corrections-expired': {
      label: text('Délai de correction dépassé', 'Correction period over'),
      from: ['corrections'],
      to: 'closed',
      by: 'system',
      trigger: 'timer',
      timer: { after: { days: 30 } },
      tasks: [{ type: 'notify', template: 'procedures.closed' }],
    },
    archive: {
      label: text('Archiver', 'Archive'),
      from: ['refunded', 'refused', 'closed', 'withdrawn'],
      to: 'archived',
      by: 'system',
      trigger: 'timer',
      timer: { after: { days: 365 } },
      tasks: [{ type: 'archive' }],
    },
  },
};
