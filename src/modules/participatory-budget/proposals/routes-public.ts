import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { inTransaction } from '../../../kernel/db/transaction.js';
import { nowMs } from '../../../kernel/db/values.js';
import { FileRejected } from '../../../kernel/files/errors.js';
import type { FormData, FormError, RawValues } from '../../../kernel/forms/index.js';
import { cityView, projection } from '../../../kernel/geo/map.js';
import { CSRF_FIELD, verifyCsrf } from '../../../kernel/http/csrf.js';
import { HttpError } from '../../../kernel/http/errors.js';
import { acceptMultipart, type PostedValues, readPostedForm } from '../../../kernel/http/multipart-form.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { currentPhase } from '../campaigns/phases.js';
import { type Campaign, loadCampaign } from '../campaigns/store.js';
import { findProject } from '../projects/store.js';
import { ProjectPage } from '../projects/views/project-page.js';
import { domainErrors, proposalAnswers, proposalForm } from './form.js';
import { type PublicFilters, proposalImages, publicProposals } from './public-queries.js';
import { findProposal, proposalsOfProject } from './store.js';
import { filesOwner, IMAGES_MAX, proposalLink, submitProposal } from './submit.js';
import { supportProposal, supports, withdrawSupport } from './supports.js';
import { ProposalListPage } from './views/list-page.js';
import { ProposalPage, type SupportState } from './views/proposal-page.js';
import { ProposePage } from './views/propose-page.js';

/** Fits a phone's screen (as the street reports' form map): never scaled, so marks stay where drawn. */
export const MAP_WIDTH = 340;

const CAMPAIGN = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' } as const;
const campaignParams = { type: 'object', required: ['campaign'], properties: { campaign: CAMPAIGN } } as const;
const proposalParams = {
  type: 'object',
  required: ['campaign', 'id'],
  properties: { campaign: CAMPAIGN, id: { type: 'string', pattern: '^[0-9a-f]{28}$' } },
} as const;
const projectParams = { type: 'object', required: ['campaign', 'code'], properties: { campaign: CAMPAIGN, code: CAMPAIGN } } as const;

const one = (values: PostedValues, name: string) => [values[name]].flat()[0] ?? '';

/** A published campaign by code, or the 404 page. */
export async function publishedCampaign(kernel: Kernel, code: string): Promise<Campaign> {
  const campaign = await loadCampaign(kernel.db, code);
  if (campaign?.status !== 'published')
    throw new HttpError(404, 'participatory-budget.campaign-unknown', `There is no campaign "${code}".`);
  return campaign;
}

/**
 * Images uploaded with a proposal sent back for corrections, carried to the next post in a signed
 * field: the signature stops a crafted field from claiming someone else's pending upload.
 */
const sign = (secret: Buffer, body: string) =>
  createHmac('sha256', secret).update(`participatory-budget:images:${body}`).digest('base64url');
function sealIds(secret: Buffer, ids: string[]): string {
  const body = ids.join('.');
  return ids.length ? `${body}:${sign(secret, body)}` : '';
}
function openIds(secret: Buffer, sealed: string): string[] {
  const [body = '', mac = ''] = sealed.split(':');
  const expected = sign(secret, body);
  if (!body || mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) return [];
  return body.split('.').slice(0, IMAGES_MAX);
}

/** The public pages: the list and map of proposals, a proposal with its "+1", the form to propose, a project's page. */
export async function publicProposalRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  const cityMap = () => projection(kernel.districts, cityView(kernel.districts), MAP_WIDTH);
  const proposalsOpen = (campaign: Campaign) => currentPhase(campaign, new Date(nowMs()))?.phase === 'proposals';

  app.get('/budget/proposals', { config: { public: true } }, async (_request, reply) => {
    const latest = await kernel.db
      .selectFrom('pb_campaigns')
      .select('code')
      .where('status', '=', 'published')
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (!latest) throw new HttpError(404, 'participatory-budget.campaign-unknown', 'There is no campaign yet.');
    return reply.redirect(`/budget/${latest.code}/proposals`, 303);
  });

  app.get<{ Params: { campaign: string }; Querystring: Record<string, string | undefined> }>(
    '/budget/:campaign/proposals',
    {
      config: { public: true },
      schema: {
        params: campaignParams,
        querystring: {
          type: 'object',
          properties: Object.fromEntries(['envelope', 'theme', 'status', 'lang'].map((k) => [k, { type: 'string', maxLength: 100 }])),
        },
      },
    },
    async (request, reply) => {
      const ctx = reply.view();
      const campaign = await publishedCampaign(kernel, request.params.campaign);
      const q = request.query;
      // Unknown values (an old link) are ignored rather than refused.
      const filters: PublicFilters = {
        envelope: campaign.envelopes.some((e) => e.code === q.envelope) ? q.envelope : undefined,
        theme: campaign.themes.some((th) => th.code === q.theme) ? q.theme : undefined,
        status: q.status === 'published' || q.status === 'merged' ? q.status : undefined,
      };
      const rows = await publicProposals(kernel.db, campaign.id, filters);
      const title = ctx.t('participatory-budget.list.title', { campaign: campaign.title[ctx.lang] });
      return reply.page(
        title,
        h(ProposalListPage, {
          ctx,
          campaign,
          districts: kernel.districts,
          proj: cityMap(),
          filters,
          rows,
          proposalsOpen: proposalsOpen(campaign),
        }),
      );
    },
  );

  app.get<{ Params: { campaign: string; id: string }; Querystring: { notice?: string } }>(
    '/budget/:campaign/proposals/:id',
    { config: { public: true }, schema: { params: proposalParams } },
    async (request, reply) => {
      const ctx = reply.view();
      const campaign = await publishedCampaign(kernel, request.params.campaign);
      const proposal = await findProposal(kernel.db, request.params.id);
      const actor = request.actor;
      const mine = actor.kind === 'citizen' && proposal?.account_id === actor.account.id;
      // Submitted and removed proposals are their author's (and moderators', in the back office) only.
      if (!proposal || proposal.campaign_id !== campaign.id || (!mine && proposal.status !== 'published' && proposal.status !== 'merged')) {
        throw new HttpError(404, 'participatory-budget.proposal-unknown', 'This proposal does not exist.');
      }
      let support: SupportState = 'none';
      if (proposal.status === 'published' && proposalsOpen(campaign) && !mine) {
        support = actor.kind !== 'citizen' ? 'sign-in' : (await supports(kernel.db, actor.account.id, proposal.id)) ? 'withdraw' : 'give';
      }
      const project = proposal.project_id
        ? await kernel.db.selectFrom('pb_projects').select('code').where('id', '=', proposal.project_id).executeTakeFirst()
        : undefined;
      const notice = ['sent', 'supported', 'withdrawn'].includes(request.query.notice ?? '')
        ? ctx.t(`participatory-budget.proposal.notice.${request.query.notice}`)
        : undefined;
      return reply.page(
        proposal.title,
        h(ProposalPage, {
          ctx,
          campaign,
          proposal,
          projectCode: project?.code ?? null,
          images: await proposalImages(kernel.db, filesOwner(proposal.id)),
          districts: kernel.districts,
          proj: cityMap(),
          support,
          notice,
        }),
      );
    },
  );

  app.post<{ Params: { campaign: string; id: string }; Body: Record<string, string> }>(
    '/budget/:campaign/proposals/:id/support',
    { config: { auth: 'citizen' }, schema: { params: proposalParams } },
    async (request, reply) => {
      const campaign = await publishedCampaign(kernel, request.params.campaign);
      if (request.actor.kind !== 'citizen') throw new HttpError(403, 'auth.forbidden', 'Residents support proposals.');
      const accountId = request.actor.account.id;
      const withdraw = request.body?.do === 'withdraw';
      await inTransaction(kernel.db, (trx) =>
        withdraw ? withdrawSupport(trx, accountId, request.params.id) : supportProposal(trx, accountId, request.params.id),
      );
      return reply.redirect(`${proposalLink(campaign.code, request.params.id)}?notice=${withdraw ? 'withdrawn' : 'supported'}`, 303);
    },
  );

  const showForm = (
    reply: FastifyReply,
    campaign: Campaign,
    page: { raw: RawValues; data: FormData; errors: FormError[]; kept: string[] },
    status = 200,
  ) => {
    const ctx = reply.view();
    const form = proposalForm(kernel.i18n, campaign);
    const title = `${page.errors.length ? `${ctx.t('forms.errorTitle')} ` : ''}${ctx.t('participatory-budget.propose.title')} – ${campaign.title[ctx.lang]}`;
    return reply.page(
      title,
      h(ProposePage, {
        ctx,
        action: `/budget/${campaign.code}/propose`,
        form,
        raw: page.raw,
        data: page.data,
        errors: page.errors,
        keptImages: { sealed: sealIds(kernel.secret, page.kept), count: page.kept.length },
      }),
      { status },
    );
  };

  /** The campaign, if residents may propose now; otherwise the error page says the proposals are closed. */
  const openCampaign = async (code: string) => {
    const campaign = await publishedCampaign(kernel, code);
    if (!proposalsOpen(campaign)) throw new HttpError(409, 'participatory-budget.not-proposals-phase', 'Proposals are not open.');
    return campaign;
  };

  app.get<{ Params: { campaign: string } }>(
    '/budget/:campaign/propose',
    { config: { auth: 'citizen' }, schema: { params: campaignParams } },
    async (request, reply) => showForm(reply, await openCampaign(request.params.campaign), { raw: {}, data: {}, errors: [], kept: [] }),
  );

  await app.register(async (scope) => {
    await acceptMultipart(scope, { fileBytes: kernel.config.limits.uploadBytes, files: IMAGES_MAX, fieldSize: 20_000 });
    scope.post<{ Params: { campaign: string } }>(
      '/budget/:campaign/propose',
      { config: { auth: 'citizen', csrf: false, rateLimit: { max: 60, windowSeconds: 600 } }, schema: { params: campaignParams } },
      async (request, reply) => {
        const posted = await readPostedForm(request);
        verifyCsrf(kernel.secret, request, one(posted.values, CSRF_FIELD));
        const campaign = await openCampaign(request.params.campaign);
        if (request.actor.kind !== 'citizen') throw new HttpError(403, 'auth.forbidden', 'Residents propose.');
        const accountId = request.actor.account.id;
        const { _csrf: _token, kept: sealed, ...raw } = posted.values;
        const kept = openIds(kernel.secret, String([sealed].flat()[0] ?? ''));
        const imageErrors = await storeImages(request, posted.files, kept);
        const answers = proposalAnswers(proposalForm(kernel.i18n, campaign), raw);
        const errors = [...answers.errors, ...imageErrors];
        if (!answers.input || errors.length) return showForm(reply, campaign, { raw, data: answers.data, errors, kept }, 400);
        const input = answers.input;
        try {
          const filed = await inTransaction(kernel.db, (trx) =>
            submitProposal(trx, kernel, campaign.code, { ...input, accountId, imageIds: kept }),
          );
          return reply.redirect(`${proposalLink(campaign.code, filed.id)}?notice=sent`, 303);
        } catch (err) {
          if (!(err instanceof HttpError) || err.statusCode !== 400) throw err;
          return showForm(reply, campaign, { raw, data: answers.data, errors: domainErrors(kernel.i18n, err.fields), kept }, 400);
        }
      },
    );
  });

  /** Stores the images chosen (re-encoded, without metadata), adding their ids to `kept`; returns the problems. */
  async function storeImages(request: FastifyRequest, files: Awaited<ReturnType<typeof readPostedForm>>['files'], kept: string[]) {
    const errors: FormError[] = [];
    const refuse = (name: string) => {
      const key = 'participatory-budget.proposal.errors.not-image';
      errors.push({
        field: 'images',
        code: 'domain',
        message: { fr: kernel.i18n.t('fr', key, { name }), en: kernel.i18n.t('en', key, { name }) },
      });
    };
    for (const file of files.filter((f) => f.name === 'images')) {
      if (kept.length >= IMAGES_MAX) {
        errors.push(...domainErrors(kernel.i18n, [{ field: 'images', message: 'participatory-budget.proposal.errors.too-many-images' }]));
        break;
      }
      try {
        if (file.truncated) throw new FileRejected('file.too-large', 'too large', 413);
        const stored = await kernel.files.store({ data: file.data, filename: file.filename, declaredType: file.declaredType });
        if (stored.mime.startsWith('image/')) kept.push(stored.id);
        else refuse(file.filename);
      } catch (err) {
        if (!(err instanceof FileRejected)) throw err;
        request.log.info({ code: err.code }, 'proposal image refused');
        refuse(file.filename);
      }
    }
    return errors;
  }

  app.get<{ Params: { campaign: string; code: string } }>(
    '/budget/:campaign/projects/:code',
    { config: { public: true }, schema: { params: projectParams } },
    async (request, reply) => {
      const ctx = reply.view();
      const campaign = await publishedCampaign(kernel, request.params.campaign);
      const project = await findProject(kernel.db, campaign.id, request.params.code);
      if (!project) throw new HttpError(404, 'participatory-budget.project-unknown', 'This project does not exist.');
      const proposals = await proposalsOfProject(kernel.db, project.id);
      const title = ctx.lang === 'en' ? project.title_en : project.title_fr;
      return reply.page(title, h(ProjectPage, { ctx, campaign, project, proposals, districts: kernel.districts, proj: cityMap() }));
    },
  );
}
