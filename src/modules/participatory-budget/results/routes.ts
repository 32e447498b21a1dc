import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { inTransaction } from '../../../kernel/db/transaction.js';
import { HttpError } from '../../../kernel/http/errors.js';
import { actingOf, adminPage, field } from '../../../kernel/identity/agents/http.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { FieldError } from '../../../kernel/ui/components.js';
import { campaignParams, query, visibleCampaign } from '../tracking/http.js';
import { RESULTS_PERMISSION } from './access.js';
import { computeResults } from './compute.js';
import { resultsError } from './errors.js';
import { envelopeAsPabulib } from './pabulib-export.js';
import { pabulibImportRoutes } from './pabulib-import-routes.js';
import { overrideResult, publishResults } from './publish.js';
import { envelopeResults, turnout } from './read.js';
import { AdminResultsPage } from './views/admin-results-page.js';
import { CampaignResultsPage } from './views/campaign-results-page.js';
import { EnvelopeResultsPage } from './views/envelope-results-page.js';

const CODE = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' } as const;
const envelopeParams = { type: 'object', required: ['campaign', 'envelope'], properties: { campaign: CODE, envelope: CODE } } as const;
const NOTICES = ['computed', 'published', 'overrideSaved'] as const;

type CampaignRequest = FastifyRequest<{ Params: { campaign: string } }>;

/** Results: public pages and the Pabulib export once published; the back office computes, corrects and publishes. */
export async function resultsRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  app.get<{ Params: { campaign: string } }>(
    '/budget/:campaign/results',
    { config: { public: true }, schema: { params: campaignParams, querystring: query([]) } },
    async (request, reply) => {
      const ctx = reply.view();
      const campaign = await visibleCampaign(kernel, request.params.campaign);
      const results = await envelopeResults(kernel.db, campaign);
      const body = h(CampaignResultsPage, {
        ctx,
        campaign,
        districts: kernel.districts,
        results,
        turnout: await turnout(kernel.db, campaign),
      });
      return reply.page(ctx.t('participatory-budget.results.title', { campaign: campaign.title[ctx.lang] }), body);
    },
  );

  /** A published envelope's result, or 404. */
  const publishedEnvelope = async (request: FastifyRequest<{ Params: { campaign: string; envelope: string } }>) => {
    const campaign = await visibleCampaign(kernel, request.params.campaign);
    const result = (await envelopeResults(kernel.db, campaign)).find((r) => r.code === request.params.envelope);
    if (!result) throw resultsError('envelope-unknown', 'This envelope has no published results.');
    return { campaign, result };
  };

  app.get<{ Params: { campaign: string; envelope: string } }>(
    '/budget/:campaign/results/:envelope',
    { config: { public: true }, schema: { params: envelopeParams, querystring: query([]) } },
    async (request, reply) => {
      const ctx = reply.view();
      const { campaign, result } = await publishedEnvelope(request);
      const points = campaign.envelopes.find((e) => e.code === result.code)?.ballotRules.type === 'cumulative';
      const body = h(EnvelopeResultsPage, { ctx, campaign, result, points, timeZone: kernel.config.city.timezone });
      return reply.page(ctx.t('participatory-budget.results.envelopeTitle', { envelope: result.label[ctx.lang] }), body);
    },
  );

  app.get<{ Params: { campaign: string; envelope: string } }>(
    '/budget/:campaign/results/:envelope/pabulib.pb',
    { config: { public: true }, schema: { params: envelopeParams } },
    async (request, reply) => {
      const { campaign, result } = await publishedEnvelope(request);
      const text = await envelopeAsPabulib(kernel.db, kernel, campaign, result);
      return reply
        .type('text/plain; charset=utf-8')
        .header('content-disposition', `attachment; filename="${campaign.code}_${result.code}.pb"`)
        .send(text);
    },
  );

  const manage = { config: { permission: RESULTS_PERMISSION }, schema: { params: campaignParams } };
  const adminPath = (code: string) => `/admin/budget/${code}/results`;

  async function render(
    request: CampaignRequest,
    reply: FastifyReply,
    options: { errors?: FieldError[]; form?: Record<string, string>; status?: number } = {},
  ) {
    const ctx = reply.view();
    const campaign = await visibleCampaign(kernel, request.params.campaign);
    const notice = NOTICES.find((n) => n === field(request.query, 'notice'));
    const body = h(AdminResultsPage, {
      ctx,
      campaign,
      results: await envelopeResults(kernel.db, campaign, { drafts: true }),
      timeZone: kernel.config.city.timezone,
      notice,
      errors: options.errors ?? [],
      form: options.form ?? {},
    });
    return adminPage(
      kernel,
      request,
      reply,
      ctx.t('participatory-budget.results.admin.title', { campaign: campaign.title[ctx.lang] }),
      body,
      options.status,
    );
  }

  /** Runs a write; a refusal (vote still open, no reason, unknown project…) shows the page again with its message, nothing stored. */
  async function write(
    request: CampaignRequest,
    reply: FastifyReply,
    form: Record<string, string>,
    work: () => Promise<unknown>,
    done: (typeof NOTICES)[number],
  ) {
    try {
      await work();
    } catch (err) {
      if (!(err instanceof HttpError) || err.statusCode >= 500 || err.statusCode === 403) throw err;
      const errors = err.fields.length
        ? err.fields.map((f) => ({ field: f.field, message: `${err.message}` }))
        : [{ field: 'project', message: err.message }];
      return render(request, reply, { errors, form, status: err.statusCode });
    }
    return reply.redirect(`${adminPath(request.params.campaign)}?notice=${done}`, 303);
  }

  app.get('/admin/budget/:campaign/results', manage, async (request: CampaignRequest, reply) => render(request, reply));

  await pabulibImportRoutes(app, kernel);

  app.post('/admin/budget/:campaign/results/compute', manage, async (request: CampaignRequest, reply) =>
    write(
      request,
      reply,
      {},
      () => inTransaction(kernel.db, (trx) => computeResults(trx, kernel, actingOf(request), request.params.campaign, new Date())),
      'computed',
    ),
  );

  app.post('/admin/budget/:campaign/results/publish', manage, async (request: CampaignRequest, reply) =>
    write(
      request,
      reply,
      {},
      () => inTransaction(kernel.db, (trx) => publishResults(trx, kernel, actingOf(request), request.params.campaign)),
      'published',
    ),
  );

  app.post('/admin/budget/:campaign/results/override', manage, async (request: CampaignRequest, reply) => {
    const form = {
      envelope: field(request.body, 'envelope'),
      project: field(request.body, 'project').trim(),
      decision: field(request.body, 'decision'),
      reason: field(request.body, 'reason'),
    };
    const input = {
      envelopeCode: form.envelope,
      projectCode: form.project,
      decision: form.decision as 'fund' | 'exclude',
      reason: form.reason,
    };
    return write(
      request,
      reply,
      form,
      () =>
        inTransaction(kernel.db, (trx) =>
          overrideResult(trx, kernel, actingOf(request) as Parameters<typeof overrideResult>[2], request.params.campaign, input),
        ),
      'overrideSaved',
    );
  });
}
