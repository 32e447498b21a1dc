import type { FastifyInstance, FastifyReply } from 'fastify';
import { h } from 'preact';
import { inTransaction } from '../../../kernel/db/transaction.js';
import { cityView, projection, viewFrom } from '../../../kernel/geo/map.js';
import { HttpError } from '../../../kernel/http/errors.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { mayTrack } from './access.js';
import { followerCount, followProject, isFollowing, unfollowProject } from './follow.js';
import { historyOf } from './history.js';
import { campaignParams, type ProjectRequest, projectOf, projectParams, query, visibleCampaign } from './http.js';
import { milestonesOf } from './milestones.js';
import { trackedPath } from './notify-followers.js';
import { placeOf } from './place.js';
import { listTracked } from './project.js';
import { isTrackingStatus } from './statuses.js';
import { TrackingListPage } from './views/list-page.js';
import { TrackedProjectPage } from './views/project-page.js';

/** Width in pixels of the server-drawn maps. */
const MAP_WIDTH = 640;

/** The public pages of execution tracking: the list and map of a campaign's winners, a project's page, following. */
export async function publicTrackingRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  app.get<{ Params: { campaign: string }; Querystring: { envelope?: string; status?: string } }>(
    '/budget/:campaign/realisations',
    { config: { public: true }, schema: { params: campaignParams, querystring: query(['envelope', 'status']) } },
    async (request, reply) => {
      const ctx = reply.view();
      const campaign = await visibleCampaign(kernel, request.params.campaign);
      const q = request.query;
      // Unknown values (an old link) are ignored rather than refused.
      const filters = {
        envelope: campaign.envelopes.some((e) => e.code === q.envelope) ? q.envelope : undefined,
        status: isTrackingStatus(q.status) ? q.status : undefined,
      };
      const projects = await listTracked(kernel.db, campaign.code, filters);
      const proj = projection(kernel.districts, cityView(kernel.districts), MAP_WIDTH);
      return reply.page(
        ctx.t('participatory-budget.tracking.list.title'),
        h(TrackingListPage, { ctx, campaign, districts: kernel.districts, proj, filters, projects }),
      );
    },
  );

  app.get<{ Params: { campaign: string; code: string }; Querystring: { notice?: string } }>(
    '/budget/:campaign/realisations/:code',
    { config: { public: true }, schema: { params: projectParams, querystring: query(['notice']) } },
    async (request, reply) => {
      const ctx = reply.view();
      await visibleCampaign(kernel, request.params.campaign);
      const project = await projectOf(kernel, request);
      const actor = request.actor;
      const place = placeOf(kernel.districts, project);
      const view = place ? viewFrom(kernel.districts, { ...place, zoom: 4 }) : cityView(kernel.districts);
      const notice = request.query.notice === 'followed' || request.query.notice === 'unfollowed' ? request.query.notice : undefined;
      const [milestones, history, followers, following, agent] = await Promise.all([
        milestonesOf(kernel.db, project.id),
        historyOf(kernel.db, project.id),
        followerCount(kernel.db, project.id),
        actor.kind === 'citizen' ? isFollowing(kernel.db, project.id, actor.account.id) : null,
        actor.kind === 'agent' ? mayTrack(kernel.db, kernel, actor, project.envelopeCode) : false,
      ]);
      return reply.page(
        project.title[ctx.lang],
        h(TrackedProjectPage, {
          ctx,
          project,
          milestones,
          history,
          districts: kernel.districts,
          proj: projection(kernel.districts, view, MAP_WIDTH),
          followers,
          following,
          adminHref: agent ? `/admin${trackedPath(project)}` : null,
          notice,
        }),
      );
    },
  );

  const follow = (change: typeof followProject, notice: string) => async (request: ProjectRequest, reply: FastifyReply) => {
    if (request.actor.kind !== 'citizen') throw new HttpError(403, 'forbidden', 'Log in as a resident to follow a project.');
    const accountId = request.actor.account.id;
    const project = await projectOf(kernel, request);
    await inTransaction(kernel.db, (trx) => change(trx, project.id, accountId));
    return reply.redirect(`${trackedPath(project)}?notice=${notice}`, 303);
  };
  const citizen = { config: { auth: 'citizen' as const }, schema: { params: projectParams } };
  app.post('/budget/:campaign/realisations/:code/follow', citizen, follow(followProject, 'followed'));
  app.post('/budget/:campaign/realisations/:code/unfollow', citizen, follow(unfollowProject, 'unfollowed'));
}
