import type { TaskSpec, WorkflowDefinition } from '../../kernel/workflow/definition.js';

const text = (fr: string, en: string) => ({ fr, en });
/** A public change: the reporter and the followers hear of it. */
const tell: TaskSpec[] = [
  { type: 'notify', template: 'street-reports.status' },
  { type: 'street-reports:notify-followers', params: { template: 'street-reports.status' } },
];
const triage = 'street-reports.triage';
const treat = 'street-reports.treat';

/**
 * Shaped on Paris's Dans Ma Rue: new → to treat | to requalify → field work | office work →
 * scheduled → sent to contractor → scheduled by the contractor → done | rejected | under
 * surveillance; archived a year after closing. A failed dispatch is a visible state, retried hourly.
 * Contractors' callbacks run the `contractor-*` actions (by the system, on their authenticated call).
 */
export const reportWorkflow: WorkflowDefinition = {
  code: 'street-reports:report',
  version: 1,
  label: text('Signalement', 'Street report'),
  initial: 'new',
  states: {
    new: { label: text('Nouveau', 'New'), public: true, status: 'ongoing', step: 1 },
    'to-treat': { label: text('Pris en compte', 'Acknowledged'), public: true, status: 'ongoing', step: 2 },
    'to-requalify': { label: text('À requalifier', 'To requalify'), public: false, status: 'ongoing', step: 2 },
    'field-work': { label: text('Intervention sur le terrain', 'Field work'), public: true, status: 'ongoing', step: 3 },
    'office-work': { label: text('Traitement administratif', 'Office work'), public: true, status: 'ongoing', step: 3 },
    scheduled: { label: text('Intervention programmée', 'Work scheduled'), public: true, status: 'ongoing', step: 3 },
    'sent-to-contractor': { label: text('Transmis au prestataire', 'Sent to the contractor'), public: true, status: 'ongoing', step: 3 },
    'dispatch-failed': {
      label: text('Envoi au prestataire en échec', 'Sending to the contractor failed'),
      public: false,
      status: 'ongoing',
      step: 3,
    },
    'contractor-scheduled': {
      label: text('Programmé par le prestataire', 'Scheduled by the contractor'),
      public: true,
      status: 'ongoing',
      step: 3,
    },
    surveillance: { label: text('Sous surveillance', 'Under surveillance'), public: true, status: 'ongoing', step: 3 },
    done: { label: text('Résolu', 'Done'), public: true, status: 'closed', step: 4 },
    rejected: { label: text('Rejeté', 'Rejected'), public: true, status: 'closed', step: 4 },
    duplicate: { label: text('Doublon', 'Duplicate'), public: true, status: 'closed', step: 4 },
    archived: { label: text('Archivé', 'Archived'), public: false, status: 'closed' },
  },
  actions: {
    acknowledge: {
      label: text('Prendre en compte', 'Acknowledge'),
      from: ['new'],
      to: 'to-treat',
      permission: triage,
      mass: true,
      tasks: tell,
    },
    'needs-requalifying': {
      label: text('À requalifier', 'Needs requalifying'),
      from: ['new', 'to-treat'],
      to: 'to-requalify',
      permission: triage,
      fields: [{ code: 'comment', type: 'comment', label: text('Pourquoi', 'Why') }],
    },
    requalified: { label: text('Requalifié', 'Requalified'), from: ['to-requalify'], to: 'to-treat', permission: triage },
    'field-work': {
      label: text('Intervention terrain', 'Field work'),
      from: ['to-treat'],
      to: 'field-work',
      permission: treat,
      mass: true,
      tasks: tell,
    },
    'office-work': {
      label: text('Traitement administratif', 'Office work'),
      from: ['to-treat'],
      to: 'office-work',
      permission: treat,
      tasks: tell,
    },
    schedule: {
      label: text('Programmer', 'Schedule'),
      from: ['field-work', 'office-work'],
      to: 'scheduled',
      permission: treat,
      fields: [{ code: 'planned-on', type: 'date', label: text('Date prévue', 'Planned date'), required: true }],
      tasks: tell,
    },
    dispatch: {
      label: text('Envoyer au prestataire', 'Send to the contractor'),
      from: ['to-treat', 'field-work', 'scheduled'],
      to: 'sent-to-contractor',
      permission: 'street-reports.dispatch',
      mass: true,
      tasks: [{ type: 'street-reports:dispatch' }, ...tell],
    },
    'dispatch-failed': {
      label: text('Envoi en échec', 'Sending failed'),
      from: ['sent-to-contractor'],
      to: 'dispatch-failed',
      by: 'system',
    },
    'retry-dispatch': {
      label: text('Nouvel envoi au prestataire', 'Send to the contractor again'),
      from: ['dispatch-failed'],
      to: 'sent-to-contractor',
      by: 'system',
      trigger: 'timer',
      timer: { after: { hours: 1 } },
      tasks: [{ type: 'street-reports:dispatch' }],
    },
    'contractor-scheduled': {
      label: text('Programmé par le prestataire', 'Scheduled by the contractor'),
      from: ['sent-to-contractor'],
      to: 'contractor-scheduled',
      by: 'system',
      fields: [
        { code: 'planned-on', type: 'date', label: text('Date prévue', 'Planned date'), required: true },
        { code: 'comment', type: 'comment', label: text('Commentaire', 'Comment') },
      ],
      tasks: tell,
    },
    'contractor-done': {
      label: text('Terminé par le prestataire', 'Done by the contractor'),
      from: ['sent-to-contractor', 'contractor-scheduled'],
      to: 'done',
      by: 'system',
      fields: [
        { code: 'comment', type: 'comment', label: text('Message', 'Message'), required: true },
        { code: 'after', type: 'photo', label: text('Photo après intervention', 'Photo after the work') },
      ],
      tasks: tell,
    },
    'contractor-rejected': {
      label: text('Refusé par le prestataire', 'Refused by the contractor'),
      from: ['sent-to-contractor', 'contractor-scheduled'],
      to: 'to-treat',
      by: 'system',
      fields: [{ code: 'comment', type: 'comment', label: text('Motif', 'Reason'), required: true }],
    },
    'contractor-requalify': {
      label: text('À requalifier selon le prestataire', 'To requalify, says the contractor'),
      from: ['sent-to-contractor', 'contractor-scheduled'],
      to: 'to-requalify',
      by: 'system',
      fields: [{ code: 'comment', type: 'comment', label: text('Motif', 'Reason'), required: true }],
    },
    resolve: {
      label: text('Résolu', 'Resolved'),
      from: ['field-work', 'office-work', 'scheduled', 'surveillance', 'contractor-scheduled', 'dispatch-failed'],
      to: 'done',
      permission: treat,
      mass: true,
      fields: [
        { code: 'comment', type: 'comment', label: text('Message à l’usager', 'Message to the reporter') },
        { code: 'after', type: 'photo', label: text('Photo après intervention', 'Photo after the work') },
      ],
      tasks: tell,
    },
    reject: {
      label: text('Rejeter', 'Reject'),
      from: ['new', 'to-treat', 'to-requalify'],
      to: 'rejected',
      permission: triage,
      fields: [
        {
          code: 'reason',
          type: 'reason',
          label: text('Motif', 'Reason'),
          required: true,
          reasons: [
            { code: 'not-responsible', label: text('Ne relève pas de la ville', 'Not the city’s responsibility') },
            { code: 'private-property', label: text('Propriété privée', 'Private property') },
            { code: 'not-found', label: text('Anomalie non constatée sur place', 'Nothing found on site') },
          ],
        },
        { code: 'comment', type: 'comment', label: text('Message à l’usager', 'Message to the reporter') },
      ],
      tasks: tell,
    },
    watch: {
      label: text('Mettre sous surveillance', 'Put under surveillance'),
      from: ['to-treat', 'field-work'],
      to: 'surveillance',
      permission: treat,
      tasks: tell,
    },
    'mark-duplicate': {
      label: text('Doublon', 'Duplicate'),
      from: ['new', 'to-treat', 'to-requalify'],
      to: 'duplicate',
      by: 'system',
      tasks: tell,
    },
    archive: {
      label: text('Archiver', 'Archive'),
      from: ['done', 'rejected', 'duplicate'],
      to: 'archived',
      by: 'system',
      trigger: 'timer',
      timer: { after: { days: 365 } },
      tasks: [{ type: 'archive' }],
    },
  },
};
