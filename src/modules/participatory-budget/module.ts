import { inTransaction } from '../../kernel/db/transaction.js';
import { defineModule } from '../../kernel/modules.js';
import { MANAGE_PERMISSION } from './campaigns/access.js';
import { seedCampaignsDemo } from './campaigns/demo.js';
import { freezeOpenedVotes } from './campaigns/envelopes.js';
import { participatoryBudgetMessages } from './messages.js';
import { campaignsMigration } from './migrations/0001_campaigns.js';
import { projectsMigration } from './migrations/0002_projects.js';
import { budgetCommand } from './pabulib/results-command.js';

export const FREEZE_JOB = 'freeze-opened-votes';

/**
 * Participatory budget: residents propose projects, the city studies them, residents vote, winners
 * are computed by published rules within each envelope, and their execution is tracked.
 *
 * So far the campaigns layer (phases, envelopes with reserved amounts, ballot and winner rules
 * frozen when the vote opens, themes) on top of the pure rules/ and pabulib/ code. No routes or pages
 * yet: no city enables the module, and a city that does not gets none of its tables or jobs.
 */
export default defineModule({
  code: 'participatory-budget',
  migrations: { '0001_campaigns': campaignsMigration, '0002_projects': projectsMigration },
  permissions: [
    {
      code: MANAGE_PERMISSION,
      description: 'Configure participatory-budget campaigns: phases, envelopes and reserved amounts, ballot and winner rules, themes',
    },
  ],
  messages: participatoryBudgetMessages,
  jobs: {
    async [FREEZE_JOB](_payload, { kernel, log }) {
      const frozen = await inTransaction(kernel.db, (trx) => freezeOpenedVotes(trx, new Date()));
      if (frozen.length) log.info({ campaigns: frozen }, 'participatory budget: envelopes frozen as the vote opened');
    },
  },
  // Updates are refused by the dates from the vote's first second; this records the freeze on the rows.
  schedules: [{ name: FREEZE_JOB, cron: '* * * * *', job: FREEZE_JOB }],
  demo: seedCampaignsDemo,
  commands: { budget: budgetCommand },
});
