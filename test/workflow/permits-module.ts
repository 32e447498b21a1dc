import { defineModule } from '../../src/kernel/modules.js';
import type { WorkflowDefinition } from '../../src/kernel/workflow/definition.js';

/** A small service for the workflow and demand tests: applications for a permit. */
const text = (fr: string, en: string) => ({ fr, en });

export const permitWorkflowV1: WorkflowDefinition = {
  code: 'permits:application',
  version: 1,
  label: text('Demande de permis', 'Permit application'),
  initial: 'submitted',
  states: {
    submitted: { label: text('Déposée', 'Submitted'), public: true, status: 'ongoing', step: 1 },
    review: { label: text('En instruction', 'Under review'), public: true, status: 'ongoing', step: 2 },
    escalated: { label: text('Relancée', 'Escalated'), public: false, status: 'ongoing', step: 2 },
    incomplete: {
      label: text('À compléter', 'To complete'),
      public: true,
      status: 'to-complete',
      step: 2,
      citizenAction: text('compléter votre dossier', 'complete your file'),
    },
    accepted: { label: text('Acceptée', 'Accepted'), public: true, status: 'closed', step: 3 },
    refused: { label: text('Refusée', 'Refused'), public: true, status: 'closed', step: 3 },
    cancelled: { label: text('Annulée', 'Cancelled'), public: true, status: 'cancelled' },
  },
  actions: {
    take: {
      label: text('Prendre en charge', 'Take'),
      from: ['submitted'],
      to: 'review',
      permission: 'permits.review',
      mass: true,
      tasks: [{ type: 'deadline', after: { days: 10 } }],
    },
    'ask-more': {
      label: text('Demander des compléments', 'Ask for more'),
      from: ['review', 'escalated'],
      to: 'incomplete',
      permission: 'permits.review',
      fields: [
        {
          code: 'reason',
          type: 'reason',
          label: text('Motif', 'Reason'),
          required: true,
          reasons: [
            { code: 'incomplete', label: text('Dossier incomplet', 'Incomplete file') },
            { code: 'outdated', label: text('Pièce périmée', 'Outdated document') },
          ],
        },
        { code: 'comment', type: 'comment', label: text('Commentaire', 'Comment') },
      ],
      tasks: [{ type: 'notify', template: 'permits.changed' }],
    },
    complete: { label: text('J’ai complété', 'I completed it'), from: ['incomplete'], to: 'review', by: 'citizen' },
    accept: {
      label: text('Accepter', 'Accept'),
      from: ['review', 'escalated'],
      to: 'accepted',
      permission: 'permits.decide',
      fields: [{ code: 'comment', type: 'comment', label: text('Commentaire', 'Comment') }],
      tasks: [
        { type: 'notify', template: 'permits.changed' },
        { type: 'webhook', event: 'permits.accepted' },
        { type: 'deadline', clear: true },
        { type: 'permits:stamp', params: { office: 'voirie' } },
      ],
    },
    refuse: {
      label: text('Refuser', 'Refuse'),
      from: ['review', 'escalated'],
      to: 'refused',
      permission: 'permits.decide',
      fields: [
        {
          code: 'reason',
          type: 'reason',
          label: text('Motif', 'Reason'),
          required: true,
          reasons: [{ code: 'rules', label: text('Non conforme', 'Not compliant') }],
        },
      ],
      tasks: [{ type: 'notify', template: 'permits.changed' }],
    },
    escalate: {
      label: text('Relancer', 'Escalate'),
      from: ['review'],
      to: 'escalated',
      by: 'system',
      trigger: 'timer',
      timer: { at: 'deadline' },
    },
    cancel: {
      label: text('Annuler ma demande', 'Cancel my application'),
      from: ['submitted', 'incomplete'],
      to: 'cancelled',
      by: 'citizen',
    },
    forget: {
      label: text('Anonymiser', 'Anonymise'),
      from: ['accepted', 'refused', 'cancelled'],
      to: 'cancelled',
      by: 'system',
      trigger: 'timer',
      timer: { after: { days: 365 } },
      tasks: [{ type: 'anonymise' }, { type: 'archive' }],
    },
  },
};

/** Version 2 adds an automatic acknowledgement: new items follow it, older ones keep version 1. */
export const permitWorkflowV2: WorkflowDefinition = {
  ...permitWorkflowV1,
  version: 2,
  initial: 'received',
  states: { received: { label: text('Reçue', 'Received'), public: false, status: 'ongoing', step: 1 }, ...permitWorkflowV1.states },
  actions: {
    acknowledge: {
      label: text('Accuser réception', 'Acknowledge'),
      from: ['received'],
      to: 'submitted',
      by: 'system',
      trigger: 'automatic',
    },
    ...permitWorkflowV1.actions,
  },
};

export const permitsModule = defineModule({
  code: 'permits',
  permissions: [
    { code: 'permits.review', description: 'Review permit applications' },
    { code: 'permits.decide', description: 'Decide on permit applications' },
  ],
  workflows: [permitWorkflowV1, permitWorkflowV2],
  // A module's own task: here it records an event in the transition's transaction.
  taskTypes: {
    stamp: async (ctx, params) => {
      await ctx.kernel.jobs.emit(ctx.trx, 'permits.stamped', { itemId: ctx.item.id, office: params.office, state: ctx.item.state });
    },
  },
  demandTypes: [{ code: 'application', label: text('Permis', 'Permit'), permission: 'permits.review', referencePrefix: 'PRM' }],
  notificationTemplates: [
    {
      code: 'permits.changed',
      description: 'A permit application changed state',
      channels: ['email', 'dashboard'],
      placeholders: ['reference', 'state'],
      fr: { subject: 'Votre demande ((reference))', body: 'Votre demande ((reference)) est maintenant : ((state)).' },
      en: { subject: 'Your application ((reference))', body: 'Your application ((reference)) is now: ((state)).' },
    },
  ],
});
