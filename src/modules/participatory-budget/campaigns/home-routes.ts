import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { nowMs } from '../../../kernel/db/values.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { campaignHasPublishedResults } from '../results/read.js';
import { campaignCodes, loadCampaign } from './store.js';
import { BudgetHomePage, type CampaignSummary } from './views/home-page.js';

/** `/budget`: the service's front page, every published campaign latest first. */
export async function budgetHomeRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  app.get('/budget', { config: { public: true } }, async (_request, reply) => {
    const ctx = reply.view();
    const campaigns: CampaignSummary[] = [];
    for (const code of await campaignCodes(kernel.db)) {
      const campaign = await loadCampaign(kernel.db, code);
      if (campaign?.status !== 'published') continue;
      campaigns.push({ campaign, hasResults: await campaignHasPublishedResults(kernel.db, campaign.id) });
    }
    const body = h(BudgetHomePage, { ctx, campaigns, now: new Date(nowMs()), timeZone: kernel.config.city.timezone });
    return reply.page(ctx.t('participatory-budget.home.title'), body);
  });
}
