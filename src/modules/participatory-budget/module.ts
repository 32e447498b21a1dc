import { inTransaction } from '../../kernel/db/transaction.js';
import { mergeCatalogues } from '../../kernel/i18n/types.js';
import { combinePersonalData, defineModule } from '../../kernel/modules.js';
import { MANAGE_PERMISSION } from './campaigns/access.js';
import { campaignAdminMessages } from './campaigns/admin/messages.js';
import { CAMPAIGNS_LIST_PERMISSIONS } from './campaigns/admin/page-permissions.js';
import { campaignAdminRoutes } from './campaigns/admin/routes.js';
import { seedCampaignsDemo } from './campaigns/demo.js';
import { freezeOpenedVotes } from './campaigns/envelopes.js';
import { homeMessages } from './campaigns/home-messages.js';
import { budgetHomeRoutes } from './campaigns/home-routes.js';
import { participatoryBudgetMessages } from './messages.js';
import { campaignsMigration } from './migrations/0001_campaigns.js';
import { projectsMigration } from './migrations/0002_projects.js';
import { proposalsMigration } from './migrations/0003_proposals.js';
import { ballotsMigration } from './migrations/0004_ballots.js';
import { trackingMigration } from './migrations/0005_tracking.js';
import { resultsMigration } from './migrations/0006_results.js';
import { pabulibImportsMigration } from './migrations/0007_pabulib_imports.js';
import { ballotsByVoterMigration } from './migrations/0008_ballots_by_voter.js';
import { budgetCommand } from './pabulib/results-command.js';
import { EVALUATE_PERMISSION, MODERATE_PERMISSION, PROJECTS_PERMISSION } from './proposals/access.js';
import { proposalDemandType } from './proposals/demand-type.js';
import { proposalDomainMessages } from './proposals/messages.js';
import { proposalPageMessages } from './proposals/messages-pages.js';
import { proposalsPersonalData } from './proposals/personal-data.js';
import { proposalRoutes } from './proposals/routes.js';
import { proposalTemplates } from './proposals/templates.js';
import { RESULTS_PERMISSION } from './results/access.js';
import { resultsMessages } from './results/messages.js';
import { pabulibImportMessages } from './results/pabulib-import-messages.js';
import { resultsRoutes } from './results/routes.js';
import { TRACK_PERMISSION } from './tracking/access.js';
import { trackingMessages } from './tracking/messages.js';
import { trackingPersonalData } from './tracking/personal-data.js';
import { trackingRoutes } from './tracking/routes.js';
import { trackingTemplates } from './tracking/templates.js';
import { voteDemandType } from './voting/dashboard.js';
import { votingMessages } from './voting/messages.js';
import { PAPER_PERMISSION } from './voting/paper-access.js';
import { votingRoutes } from './voting/routes/index.js';

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
  migrations: {
    '0001_campaigns': campaignsMigration,
    '0002_projects': projectsMigration,
    '0003_proposals': proposalsMigration,
    '0004_ballots': ballotsMigration,
    '0005_tracking': trackingMigration,
    '0006_results': resultsMigration,
    '0007_pabulib_imports': pabulibImportsMigration,
    '0008_ballots_by_voter': ballotsByVoterMigration,
  },
  permissions: [
    {
      code: MANAGE_PERMISSION,
      description: 'Configure participatory-budget campaigns: phases, envelopes and reserved amounts, ballot and winner rules, themes',
    },
    { code: MODERATE_PERMISSION, description: 'Publish or remove residents’ participatory-budget proposals' },
    { code: PROJECTS_PERMISSION, description: 'Merge proposals into ballot projects and put studied projects on the ballot' },
    { code: EVALUATE_PERMISSION, description: 'Record the study of ballot projects: feasible or not, cost, execution period' },
    { code: TRACK_PERMISSION, description: 'Report the execution of winning projects: status, progress, milestones with photos' },
    { code: PAPER_PERMISSION, description: 'Enter paper ballots at a ballot box and import its per-project counts' },
    { code: RESULTS_PERMISSION, description: 'Compute a campaign’s results, correct them with a public reason, and publish them' },
  ],
  messages: mergeCatalogues(
    participatoryBudgetMessages,
    proposalDomainMessages,
    proposalPageMessages,
    trackingMessages,
    votingMessages,
    resultsMessages,
    pabulibImportMessages,
    homeMessages,
    campaignAdminMessages,
  ),
  demandTypes: [proposalDemandType, voteDemandType],
  navigation: {
    public: [{ href: '/budget', label: 'participatory-budget.nav', description: 'participatory-budget.navDescription', order: 40 }],
    admin: [
      // The campaigns' list links to every back-office page of each campaign (proposals, study, paper ballots, results, tracking).
      {
        href: '/admin/budget/campaigns',
        label: 'participatory-budget.campaigns.nav',
        description: 'participatory-budget.campaigns.navDescription',
        permission: CAMPAIGNS_LIST_PERMISSIONS,
        order: 39,
      },
      {
        href: '/admin/budget/proposals',
        label: 'participatory-budget.admin.nav',
        description: 'participatory-budget.admin.navDescription',
        permission: MODERATE_PERMISSION,
        order: 40,
      },
    ],
  },
  notificationTemplates: [...proposalTemplates, ...trackingTemplates],
  jobs: {
    async [FREEZE_JOB](_payload, { kernel, log }) {
      const frozen = await inTransaction(kernel.db, (trx) => freezeOpenedVotes(trx, new Date()));
      if (frozen.length) log.info({ campaigns: frozen }, 'participatory budget: envelopes frozen as the vote opened');
    },
  },
  // Updates are refused by the dates from the vote's first second; this records the freeze on the rows.
  schedules: [{ name: FREEZE_JOB, cron: '* * * * *', job: FREEZE_JOB }],
  async routes(app, kernel) {
    await budgetHomeRoutes(app, kernel);
    await campaignAdminRoutes(app, kernel);
    await trackingRoutes(app, kernel);
    await resultsRoutes(app, kernel);
    await votingRoutes(app, kernel);
    await proposalRoutes(app, kernel);
  },
  personalData: combinePersonalData(trackingPersonalData, proposalsPersonalData),
  demo: seedCampaignsDemo,
  commands: { budget: budgetCommand },
});
