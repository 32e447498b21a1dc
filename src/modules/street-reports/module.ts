import { mergeCatalogues } from '../../kernel/i18n/types.js';
import { defineModule } from '../../kernel/modules.js';
import { WEBHOOK_DELIVERY_FAILED_EVENT } from '../../kernel/webhooks/deliver.js';
import { seedStreetReportsDemo } from './demo.js';
import { onDeliveryFailed } from './domain/contractor.js';
import { categoriesOf, categoryLabelIn, type StreetReportSettings, settingsSchema } from './domain/settings.js';
import { syncReportState } from './domain/sync.js';
import { dispatchWorkOrder, notifyFollowers } from './domain/tasks.js';
import { adminMessages } from './messages/admin.js';
import { contractorMessages } from './messages/contractors.js';
import { open311Messages } from './messages/open311.js';
import { publicMessages } from './messages/public.js';
import { reportMessages } from './messages.js';
import { reportsMigration } from './migrations/0001_reports.js';
import { backOfficeMigration } from './migrations/0002_back_office.js';
import { open311KeysMigration } from './migrations/0002_open311_keys.js';
import { mapIndexMigration } from './migrations/0003_map_index.js';
import { mapBandsMigration } from './migrations/0004_map_bands.js';
import { mapCellsMigration } from './migrations/0005_map_cells.js';
import { open311Command } from './open311/cli.js';
import { KEYS_PERMISSION } from './open311/keys-routes.js';
import { open311Routes } from './open311/routes.js';
import { adminRoutes } from './routes/admin.js';
import { contractorRoutes } from './routes/callbacks.js';
import { publicRoutes } from './routes/public.js';
import { SIMULATE_STEP, simulateContractorJob } from './simulator/built-in.js';
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
  migrations: {
    '0001_reports': reportsMigration,
    '0002_open311_keys': open311KeysMigration,
    '0002_back_office': backOfficeMigration,
    '0003_map_index': mapIndexMigration,
    '0004_map_bands': mapBandsMigration,
    '0005_map_cells': mapCellsMigration,
  },
  permissions: [
    { code: 'street-reports.view', description: 'See the street reports of one’s units' },
    { code: 'street-reports.triage', description: 'Triage street reports: acknowledge, requalify, reject, mark duplicates' },
    { code: 'street-reports.treat', description: 'Handle street reports: field or office work, schedule, resolve' },
    { code: 'street-reports.dispatch', description: 'Send street reports to contractors' },
    { code: KEYS_PERMISSION, description: 'Issue and revoke the API keys of Open311 client applications' },
  ],
  workflows: [reportWorkflow],
  taskTypes: { 'notify-followers': notifyFollowers, dispatch: dispatchWorkOrder },
  onTransition: syncReportState,
  jobs: { [SIMULATE_STEP]: simulateContractorJob },
  subscribers: [{ event: WEBHOOK_DELIVERY_FAILED_EVENT, name: 'dispatch-failed', handler: onDeliveryFailed }],
  demo: seedStreetReportsDemo,
  demandTypes: [
    {
      code: 'report',
      label: { fr: 'Signalement', en: 'Street report' },
      permission: 'street-reports.view',
      referencePrefix: 'DMR',
      agentLink: (subject) => `/admin/reports/${subject.split(':').at(-1)}`,
      title: categoryLabelIn,
    },
  ],
  notificationTemplates: reportTemplates,
  navigation: {
    public: [
      { href: '/reports/new', label: 'street-reports.nav', description: 'street-reports.navDescription', order: 30 },
      { href: '/reports', label: 'street-reports.public.list.title', order: 31 },
    ],
    admin: [
      {
        href: '/admin/reports',
        label: 'street-reports.admin.nav',
        description: 'street-reports.admin.navDescription',
        permission: 'street-reports.view',
        order: 30,
      },
      {
        href: '/admin/open311/keys',
        label: 'street-reports.open311.keys.nav',
        description: 'street-reports.open311.keys.navDescription',
        permission: KEYS_PERMISSION,
        order: 890,
      },
    ],
  },
  commands: { open311: open311Command },
  // Each part of the module keeps its messages in its own file.
  messages: mergeCatalogues(reportMessages, adminMessages, open311Messages, contractorMessages, publicMessages),
  async routes(app, kernel) {
    // The tree is read (and checked) at start, so a broken file stops the start with its path.
    categoriesOf(kernel);
    // Each part registers its routes here (public pages and API, back office, contractors, Open311).
    await open311Routes(app, kernel);
    await contractorRoutes(app, kernel);
    await adminRoutes(app, kernel);
    await publicRoutes(app, kernel);
  },
});
