import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { inTransaction } from '../../../../kernel/db/transaction.js';
import { nowMs } from '../../../../kernel/db/values.js';
import { attributesOf } from '../../../../kernel/identity/citizens/attributes.js';
import type { Kernel } from '../../../../kernel/kernel.js';
import type { FieldError } from '../../../../kernel/ui/components.js';
import { validateBallot } from '../../ballots/validate.js';
import { ballotFromForm, type Posted, valuesOf } from '../ballot-form.js';
import { confirmBallot, saveBallot } from '../ballots.js';
import { ineligibility, loadEligibility } from '../eligibility.js';
import { loadEnvelopeBallot } from '../envelope-ballot.js';
import { InvalidBallot, voteErrorCode } from '../errors.js';
import { publishedCampaignOpenForVote } from '../open-vote.js';
import { ballotStatuses, voterBallot } from '../queries.js';
import { groupReceiptCode } from '../receipt-check.js';
import { problemErrors } from '../views/ballot-fields.js';
import { BallotPage, ConfirmedPage, ReviewPage } from '../views/ballot-page.js';
import { IneligiblePage, VoteHome } from '../views/vote-home.js';
import { chooseDistrict, findVoter, hasConfirmedBallot, mayVoteIn } from '../voters.js';

type Params = { campaign: string; envelope: string };
const CODE = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,59}$' } as const;
const campaignParams = { type: 'object', required: ['campaign'], properties: { campaign: CODE } } as const;
const envelopeParams = { type: 'object', required: ['campaign', 'envelope'], properties: { campaign: CODE, envelope: CODE } } as const;
const citizen = { auth: 'citizen' } as const;

const accountOf = (request: FastifyRequest) => (request.actor as { account: { id: string } }).account.id;
const now = () => new Date(nowMs());
const homeUrl = (campaign: string) => `/budget/${campaign}/vote`;

/**
 * The resident's vote, page by page, without JavaScript: the district, a ballot per envelope (its
 * totals computed by the server on "update"), the review, the confirmation with the receipt code.
 * Routes are thin: the checks and writes are the domain functions', whose refusals are shown on the
 * page they come from (or the error page, with their message, for the others).
 */
export async function voteRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  const oidcLabel = kernel.config.oidc?.label ?? null;

  /** The vote's home: ineligible residents learn why; others choose a district, then see their ballots. */
  async function home(request: FastifyRequest, reply: FastifyReply, code: string, errors: FieldError[] = [], status?: number) {
    const ctx = reply.view();
    const accountId = accountOf(request);
    const campaign = await publishedCampaignOpenForVote(kernel.db, code, now());
    const [eligibility, attributes, voter] = await Promise.all([
      loadEligibility(kernel.db, campaign.id),
      attributesOf(kernel.db, accountId),
      findVoter(kernel.db, campaign.id, accountId),
    ]);
    const reasons = ineligibility(eligibility, attributes, now());
    const title = ctx.t('participatory-budget.vote.title', { campaign: campaign.title[ctx.lang] });
    if (reasons.length) return reply.page(title, h(IneligiblePage, { ctx, campaign, reasons, oidc: oidcLabel }), { status: 403 });
    const district = voter?.districtCode ?? null;
    return reply.page(
      title,
      h(VoteHome, {
        ctx,
        campaign,
        district,
        districtLocked: voter ? await hasConfirmedBallot(kernel.db, voter.id) : false,
        residenceRequired: eligibility.residenceRequired,
        envelopes: voter && district ? await ballotStatuses(kernel.db, campaign, voter.id, district) : [],
        errors,
      }),
      { status },
    );
  }

  app.get<{ Params: Pick<Params, 'campaign'> }>(
    '/budget/:campaign/vote',
    { config: citizen, schema: { params: campaignParams } },
    (request, reply) => home(request, reply, request.params.campaign),
  );

  app.post<{ Params: Pick<Params, 'campaign'>; Body: Posted }>(
    '/budget/:campaign/vote/district',
    { config: citizen, schema: { params: campaignParams } },
    async (request, reply) => {
      const code = request.params.campaign;
      const body = request.body ?? {};
      try {
        await inTransaction(kernel.db, (trx) =>
          chooseDistrict(trx, kernel, {
            campaignCode: code,
            accountId: accountOf(request),
            district: typeof body.district === 'string' ? body.district : '',
            residenceStated: body.residence === 'yes',
            now: now(),
          }),
        );
      } catch (err) {
        const refused = voteErrorCode(err);
        if (
          refused === 'district-unknown' ||
          refused === 'residence-statement-required' ||
          refused === 'district-locked' ||
          refused === 'ineligible'
        ) {
          const ctx = reply.view();
          const field = refused === 'residence-statement-required' ? 'residence' : 'district';
          return home(
            request,
            reply,
            code,
            [{ field, message: ctx.t(`participatory-budget.errors.${refused}`) }],
            refused === 'district-locked' ? 409 : 400,
          );
        }
        throw err;
      }
      return reply.redirect(homeUrl(code), 303);
    },
  );

  /** The campaign, the voter and the envelope of a ballot page; redirects home when the voter must first choose a district or may not vote. */
  async function ballotContext(request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) {
    const { campaign: code, envelope: envelopeCode } = request.params;
    const campaign = await publishedCampaignOpenForVote(kernel.db, code, now());
    const accountId = accountOf(request);
    const [eligibility, attributes, voter] = await Promise.all([
      loadEligibility(kernel.db, campaign.id),
      attributesOf(kernel.db, accountId),
      findVoter(kernel.db, campaign.id, accountId),
    ]);
    if (ineligibility(eligibility, attributes, now()).length || !voter?.districtCode || !mayVoteIn(voter, envelopeCode)) {
      reply.redirect(homeUrl(code), 303);
      return undefined;
    }
    const envelope = await loadEnvelopeBallot(kernel.db, campaign.id, campaign.code, envelopeCode);
    return { campaign, voter, envelope, accountId, saved: await voterBallot(kernel.db, voter.id, envelope.id) };
  }

  const ballotUrl = (p: Params, step = '') => `${homeUrl(p.campaign)}/${p.envelope}${step}`;

  app.get<{ Params: Params }>(
    '/budget/:campaign/vote/:envelope',
    { config: citizen, schema: { params: envelopeParams } },
    async (request, reply) => {
      const found = await ballotContext(request, reply);
      if (!found) return reply;
      if (found.saved?.status === 'confirmed') return reply.redirect(ballotUrl(request.params, '/receipt'), 303);
      const ctx = reply.view();
      const { campaign, envelope } = found;
      return reply.page(
        ctx.t('participatory-budget.vote.ballot.title', { envelope: envelope.label[ctx.lang] }),
        h(BallotPage, { ctx, campaign, envelope, values: valuesOf(found.saved?.ballot), check: null, errors: [] }),
      );
    },
  );

  app.post<{ Params: Params; Body: Posted }>(
    '/budget/:campaign/vote/:envelope',
    { config: citizen, schema: { params: envelopeParams } },
    async (request, reply) => {
      const found = await ballotContext(request, reply);
      if (!found) return reply;
      const { campaign, envelope, accountId } = found;
      const body = request.body ?? {};
      const ballot = ballotFromForm(
        envelope.rules,
        envelope.projects.map((p) => p.code),
        body,
      );
      const ctx = reply.view();
      const page = (check: ReturnType<typeof validateBallot>, status?: number) =>
        reply.page(
          ctx.t('participatory-budget.vote.ballot.title', { envelope: envelope.label[ctx.lang] }),
          h(BallotPage, { ctx, campaign, envelope, values: valuesOf(ballot), check, errors: problemErrors(ctx, envelope, check.problems) }),
          { status },
        );
      if (body.action !== 'review') return page(validateBallot(envelope.rules, envelope.forValidation, ballot));
      try {
        await inTransaction(kernel.db, (trx) =>
          saveBallot(trx, { campaignCode: campaign.code, accountId, envelopeCode: envelope.code, ballot, now: now() }),
        );
      } catch (err) {
        if (err instanceof InvalidBallot) return page(err.check, 400);
        throw err;
      }
      return reply.redirect(ballotUrl(request.params, '/review'), 303);
    },
  );

  app.get<{ Params: Params }>(
    '/budget/:campaign/vote/:envelope/review',
    { config: citizen, schema: { params: envelopeParams } },
    async (request, reply) => {
      const found = await ballotContext(request, reply);
      if (!found) return reply;
      if (!found.saved) return reply.redirect(ballotUrl(request.params), 303);
      if (found.saved.status === 'confirmed') return reply.redirect(ballotUrl(request.params, '/receipt'), 303);
      const ctx = reply.view();
      const { campaign, envelope } = found;
      return reply.page(
        ctx.t('participatory-budget.vote.review.title', { envelope: envelope.label[ctx.lang] }),
        h(ReviewPage, { ctx, campaign, envelope, values: valuesOf(found.saved.ballot), errors: [] }),
      );
    },
  );

  app.post<{ Params: Params }>(
    '/budget/:campaign/vote/:envelope/confirm',
    { config: citizen, schema: { params: envelopeParams } },
    async (request, reply) => {
      const { campaign, envelope } = request.params;
      await inTransaction(kernel.db, (trx) =>
        confirmBallot(trx, kernel, { campaignCode: campaign, accountId: accountOf(request), envelopeCode: envelope, now: now() }),
      );
      return reply.redirect(ballotUrl(request.params, '/receipt'), 303);
    },
  );

  app.get<{ Params: Params }>(
    '/budget/:campaign/vote/:envelope/receipt',
    { config: citizen, schema: { params: envelopeParams } },
    async (request, reply) => {
      const found = await ballotContext(request, reply);
      if (!found) return reply;
      if (found.saved?.status !== 'confirmed' || !found.saved.receiptCode) return reply.redirect(ballotUrl(request.params), 303);
      const ctx = reply.view();
      const { campaign, envelope } = found;
      return reply.page(
        ctx.t('participatory-budget.vote.confirmed.title'),
        h(ConfirmedPage, {
          ctx,
          campaign,
          envelope,
          code: groupReceiptCode(found.saved.receiptCode),
          values: valuesOf(found.saved.ballot),
        }),
      );
    },
  );
}
