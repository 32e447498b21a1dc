import { mergeCatalogues } from '../../kernel/i18n/types.js';
import { defineModule } from '../../kernel/modules.js';
import { categoriesOf, type StreetReportSettings, settingsSchema } from './domain/settings.js';
import { syncReportState } from './domain/sync.js';
import { dispatchWorkOrder, notifyFollowers } from './domain/tasks.js';
import { reportMessages } from './messages.js';
import { reportsMigration } from './migrations/0001_reports.js';
import { reportTemplates } from './templates.js';
import { reportWorkflow } from './workflow.js';

/**
 * Street reports ("Dans Ma Rue"): residents report problems in public space with a place and
 * photos; agents triage them in their units' queues and send work orders to contractors, who call
 * back; Open311 GeoReport v2 lets other apps plug in. Built on the kernel's workflow, demands,
 * notifications, files and webhooks.
 */
export default defineModule<StreetReportSettings>({
  code: 'street-reports',
  settings: settingsSchema,
  migrations: { '0001_reports': reportsMigration },
  permissions: [
    { code: 'street-reports.view', description: 'See the street reports of one’s units' },
    { code: 'street-reports.triage', description: 'Triage street reports: acknowledge, requalify, reject, mark duplicates' },
    { code: 'street-reports.treat', description: 'Handle street reports: field or office work, schedule, resolve' },
    { code: 'street-reports.dispatch', description: 'Send street reports to contractors' },
  ],
  workflows: [reportWorkflow],
  taskTypes: { 'notify-followers': notifyFollowers, dispatch: dispatchWorkOrder },
  onTransition: syncReportState,
  demandTypes: [
    {
      code: 'report',
      label: { fr: 'Signalement', en: 'Street report' },
      permission: 'street-reports.view',
      referencePrefix: 'DMR',
      agentLink: (subject) => `/admin/reports/${subject.split(':').at(-1)}`,
    },
  ],
  notificationTemplates: reportTemplates,
  // Each part of the module keeps its messages in its own file.
  messages: mergeCatalogues(reportMessages),
  async routes(app, kernel) {
    // The tree is read (and checked) at start, so a broken file stops the start with its path.
    categoriesOf(kernel);
    // Each part registers its routes here (public pages and API, back office, contractors, Open311).
    void app;
  },
});
