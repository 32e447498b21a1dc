import { z } from 'zod';
import { defineModule } from '../../kernel/modules.js';
import { procedureCatalogue } from './catalogue/index.js';
import { seedProcedureDemo } from './demo.js';
import { procedureMessages } from './messages.js';
import { applicationsMigration } from './migrations/0001_applications.js';
import { procedureRoutes } from './routes/index.js';
import { applicationsOf } from './store.js';
import { procedureTemplates } from './templates.js';
import { applicationWorkflow } from './workflow.js';

const settings = z
  .object({
    /** Codes of the procedures the city publishes (default: every procedure of this build). */
    enabled: z.array(z.string()).optional(),
  })
  .strict();

/**
 * Online procedures (the anchor: Démarches Simplifiées): a procedure is configuration — a form, a
 * handling unit, the checks agents see — and everything else comes from the kernel: drafts and
 * validation (forms), the handling workflow and its back office, the resident's dashboard and
 * messages (demands), notifications and webhooks.
 */
export default defineModule<z.infer<typeof settings>>({
  code: 'procedures',
  settings,
  migrations: { '0001_applications': applicationsMigration },
  permissions: [
    { code: 'procedures.instruct', description: 'Review applications to online procedures and ask for corrections' },
    { code: 'procedures.decide', description: 'Accept, refuse or close applications to online procedures' },
  ],
  workflows: [applicationWorkflow],
  demandTypes: [
    {
      code: 'application',
      label: { fr: 'Démarche en ligne', en: 'Online procedure' },
      permission: 'procedures.instruct',
      referencePrefix: 'DEM',
      agentLink: (subject) => `/admin/procedures/applications/${subject.split(':').at(-1)}`,
    },
  ],
  notificationTemplates: procedureTemplates,
  messages: procedureMessages,
  navigation: {
    public: [{ href: '/procedures', label: 'procedures.nav', description: 'procedures.navDescription', order: 20 }],
    admin: [
      {
        href: '/admin/workflows/procedures:application/items',
        label: 'procedures.admin.nav',
        description: 'procedures.admin.navDescription',
        permission: 'procedures.instruct',
        order: 20,
      },
    ],
  },
  async routes(app, kernel, options) {
    const procedures = options.enabled ? procedureCatalogue.filter((p) => options.enabled!.includes(p.code)) : procedureCatalogue;
    await procedureRoutes(app, kernel, procedures);
  },
  personalData: {
    async export(kernel, accountId) {
      return { applications: await applicationsOf(kernel.db, accountId) };
    },
    async erase(trx, accountId) {
      const ids = (await applicationsOf(trx, accountId)).map((a) => `procedures:application:${a.id}`);
      // Their documents (proofs of address) go back to pending, which the daily clean-up deletes.
      if (ids.length) await trx.updateTable('files').set({ owner: null, attached_at: null }).where('owner', 'in', ids).execute();
      await trx.updateTable('procedures_applications').set({ account_id: null, data: '{}' }).where('account_id', '=', accountId).execute();
    },
  },
  demo: seedProcedureDemo,
});
