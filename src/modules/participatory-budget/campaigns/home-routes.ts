import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { nowMs } from '../../../kernel/db/values.js';
import type { Kernel } from '../../../kernel/kernel.js';
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
      const published = await kernel.db
        .selectFrom('pb_results as r')
        .innerJoin('pb_envelopes as e', 'e.id', 'r.envelope_id')
        .select('r.envelope_id')
        .where('e.campaign_id', '=', campaign.id)
        .where('r.published_at', 'is not', null)
        .executeTakeFirst();
      campaigns.push({ campaign, hasResults: published !== undefined });
    }
    const body = h(BudgetHomePage, { ctx, campaigns, now: new Date(nowMs()), timeZone: kernel.config.city.timezone });
    return reply.page(ctx.t('participatory-budget.home.title'), body);
  });
}
