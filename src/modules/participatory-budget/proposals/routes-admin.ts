import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { inTransaction } from '../../../kernel/db/transaction.js';
import { HttpError } from '../../../kernel/http/errors.js';
import { actingOf, adminPage, field, fieldList } from '../../../kernel/identity/agents/http.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { FieldError } from '../../../kernel/ui/components.js';
import type { Campaign } from '../campaigns/store.js';
import { addProposalsToProject, createProjectFromProposals } from '../projects/merge.js';
import { listProjects } from '../projects/store.js';
import { envelopesFor, MODERATE_PERMISSION, PROJECTS_PERMISSION } from './access.js';
import { campaignOr404, campaignParams, noticeOf, proposalParams, withFieldErrors } from './admin-http.js';
import { moderateProposal } from './moderate.js';
import { proposalImages } from './public-queries.js';
import { findProposal, type ProposalRow } from './store.js';
import { filesOwner } from './submit.js';
import { AdminProposalPage } from './views/admin-proposal.js';
import { ADMIN_STATUSES, AdminProposalsPage } from './views/admin-proposals.js';

type Status = (typeof ADMIN_STATUSES)[number];

/** Back office: a campaign's proposals by status in the agent's envelopes, moderation, merging into projects. */
export async function adminProposalRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  const agent = { config: { auth: 'agent' as const } };

  /** The navigation's entry: the latest campaign's proposals. */
  app.get('/admin/budget/proposals', agent, async (_request, reply) => {
    const latest = await kernel.db.selectFrom('pb_campaigns').select('code').orderBy('created_at', 'desc').executeTakeFirst();
    if (!latest) throw new HttpError(404, 'participatory-budget.campaign-unknown', 'There is no campaign yet.');
    return reply.redirect(`/admin/budget/${latest.code}/proposals`, 303);
  });

  const showList = async (
    request: FastifyRequest,
    reply: FastifyReply,
    campaign: Campaign,
    status: Status,
    extras: { errors?: FieldError[]; notice?: string } = {},
  ) => {
    const ctx = reply.view();
    const codes = campaign.envelopes.map((e) => e.code);
    // Those who moderate or merge in an envelope see its proposals.
    const moderated = await envelopesFor(kernel.db, kernel, request.actor, MODERATE_PERMISSION, codes);
    const merged = await envelopesFor(kernel.db, kernel, request.actor, PROJECTS_PERMISSION, codes);
    const visible = [...new Set([...moderated, ...merged])];
    const rows = visible.length
      ? await kernel.db
          .selectFrom('pb_proposals')
          .selectAll()
          .where('campaign_id', '=', campaign.id)
          .where('status', '=', status)
          .where('envelope_code', 'in', visible)
          .orderBy('created_at')
          .execute()
      : [];
    const studyProjects = (await listProjects(kernel.db, campaign.id, ['study'])).filter((p) => merged.has(p.envelope_code));
    const page = h(AdminProposalsPage, {
      ctx,
      campaign,
      status,
      rows: rows.map((r) => ({ ...r, cost: Number(r.cost) })),
      mergeEnvelopes: codes.filter((c) => merged.has(c)),
      studyProjects,
      errors: extras.errors ?? [],
      notice: extras.notice,
    });
    const title = ctx.t('participatory-budget.admin.proposals.title', { campaign: campaign.title[ctx.lang] });
    return adminPage(kernel, request, reply, title, page, extras.errors?.length ? 400 : undefined);
  };

  app.get<{ Params: { campaign: string }; Querystring: { status?: string; notice?: string } }>(
    '/admin/budget/:campaign/proposals',
    { ...agent, schema: { params: campaignParams } },
    async (request, reply) => {
      const campaign = await campaignOr404(kernel, request.params.campaign);
      const status = (ADMIN_STATUSES as readonly string[]).includes(request.query.status ?? '')
        ? (request.query.status as Status)
        : 'submitted';
      return showList(request, reply, campaign, status, { notice: noticeOf(reply.view(), request.query.notice, ['merged']) });
    },
  );

  const proposalOf = async (request: FastifyRequest<{ Params: { campaign: string; id: string } }>) => {
    const campaign = await campaignOr404(kernel, request.params.campaign);
    const proposal = await findProposal(kernel.db, request.params.id);
    if (!proposal || proposal.campaign_id !== campaign.id)
      throw new HttpError(404, 'participatory-budget.proposal-unknown', 'No such proposal.');
    return { campaign, proposal };
  };

  const showProposal = async (
    request: FastifyRequest,
    reply: FastifyReply,
    campaign: Campaign,
    proposal: ProposalRow,
    extras: { errors?: FieldError[]; notice?: string } = {},
  ) => {
    const ctx = reply.view();
    const mayModerate = (await envelopesFor(kernel.db, kernel, request.actor, MODERATE_PERMISSION, [proposal.envelope_code])).size > 0;
    const project = proposal.project_id
      ? await kernel.db.selectFrom('pb_projects').select('code').where('id', '=', proposal.project_id).executeTakeFirst()
      : undefined;
    const page = h(AdminProposalPage, {
      ctx,
      campaign,
      proposal,
      projectCode: project?.code ?? null,
      images: await proposalImages(kernel.db, filesOwner(proposal.id)),
      mayModerate,
      errors: extras.errors ?? [],
      notice: extras.notice,
    });
    return adminPage(kernel, request, reply, `${proposal.reference} — ${proposal.title}`, page, extras.errors?.length ? 400 : undefined);
  };

  app.get<{ Params: { campaign: string; id: string }; Querystring: { notice?: string } }>(
    '/admin/budget/:campaign/proposals/:id',
    { ...agent, schema: { params: proposalParams } },
    async (request, reply) => {
      const { campaign, proposal } = await proposalOf(request);
      return showProposal(request, reply, campaign, proposal, {
        notice: noticeOf(reply.view(), request.query.notice, ['published', 'removed']),
      });
    },
  );

  app.post<{ Params: { campaign: string; id: string } }>(
    '/admin/budget/:campaign/proposals/:id/moderate',
    { ...agent, schema: { params: proposalParams } },
    async (request, reply) => {
      const { campaign, proposal } = await proposalOf(request);
      const remove = field(request.body, 'decision') === 'remove';
      const done = await withFieldErrors(reply.view(), () =>
        inTransaction(kernel.db, (trx) =>
          moderateProposal(
            trx,
            kernel,
            actingOf(request),
            proposal.id,
            remove ? { decision: 'remove', reason: field(request.body, 'reason') } : { decision: 'publish' },
          ),
        ),
      );
      if (!done.ok) return showProposal(request, reply, campaign, proposal, { errors: done.errors });
      return reply.redirect(`/admin/budget/${campaign.code}/proposals/${proposal.id}?notice=${remove ? 'removed' : 'published'}`, 303);
    },
  );

  app.post<{ Params: { campaign: string } }>(
    '/admin/budget/:campaign/merge',
    { ...agent, schema: { params: campaignParams } },
    async (request, reply) => {
      const campaign = await campaignOr404(kernel, request.params.campaign);
      const body = request.body;
      const proposalIds = fieldList(body, 'proposals');
      const existing = field(body, 'project');
      const costText = field(body, 'cost').replace(/\s/g, '');
      const done = await withFieldErrors(reply.view(), () =>
        inTransaction(kernel.db, async (trx) => {
          if (existing) {
            await addProposalsToProject(trx, kernel, actingOf(request), campaign.code, existing, proposalIds);
            return existing;
          }
          const made = await createProjectFromProposals(trx, kernel, actingOf(request), campaign.code, {
            envelope: field(body, 'envelope'),
            code: field(body, 'code').trim() || undefined,
            title: { fr: field(body, 'title_fr'), en: field(body, 'title_en') },
            description: { fr: field(body, 'description_fr'), en: field(body, 'description_en') },
            cost: costText ? Number(costText) : undefined,
            proposalIds,
          });
          return made.code;
        }),
      );
      if (!done.ok) return showList(request, reply, campaign, 'published', { errors: done.errors });
      return reply.redirect(`/admin/budget/${campaign.code}/projects/${done.value}?notice=merged`, 303);
    },
  );
}
