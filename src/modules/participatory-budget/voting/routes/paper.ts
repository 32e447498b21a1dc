import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { inTransaction } from '../../../../kernel/db/transaction.js';
import { nowMs } from '../../../../kernel/db/values.js';
import { HttpError } from '../../../../kernel/http/errors.js';
import { actingOf, adminPage, field } from '../../../../kernel/identity/agents/http.js';
import type { Kernel } from '../../../../kernel/kernel.js';
import { ballotFromForm, type Posted, valuesOf } from '../ballot-form.js';
import { loadEnvelopeBallot } from '../envelope-ballot.js';
import { InvalidBallot } from '../errors.js';
import { publishedCampaign } from '../open-vote.js';
import { PAPER_PERMISSION } from '../paper-access.js';
import { enterPaperBallot, type PaperVoterId } from '../paper-ballots.js';
import { InvalidCounts, importPaperCounts } from '../paper-counts.js';
import { problemErrors } from '../views/ballot-fields.js';
import { PaperPage, type PaperPageState, VOTER_FIELDS } from '../views/paper-page.js';

const CODE = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,59}$' } as const;
const params = { type: 'object', required: ['campaign'], properties: { campaign: CODE } } as const;
type Request = FastifyRequest<{ Params: { campaign: string }; Body: Posted; Querystring: { envelope?: string } }>;

/** The ballot boxes' back office: paper ballots one by one, and per-project counts from CSV. */
export async function paperRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  const config = { permission: PAPER_PERMISSION };

  async function render(
    request: Request,
    reply: FastifyReply,
    envelopeCode: string | undefined,
    state: Omit<PaperPageState, 'envelope'>,
    status?: number,
  ) {
    const ctx = reply.view();
    const campaign = await publishedCampaign(kernel.db, request.params.campaign);
    const envelope = envelopeCode ? await loadEnvelopeBallot(kernel.db, campaign.id, campaign.code, envelopeCode) : null;
    const title = ctx.t('participatory-budget.paper.title', { campaign: campaign.title[ctx.lang] });
    return adminPage(kernel, request, reply, title, h(PaperPage, { ctx, campaign, state: { ...state, envelope } }), status);
  }

  app.get(
    '/admin/budget/:campaign/paper',
    { config, schema: { params, querystring: { type: 'object', properties: { envelope: CODE, lang: { type: 'string' } } } } },
    (request, reply) => render(request as Request, reply, (request as Request).query.envelope, {}),
  );

  app.post('/admin/budget/:campaign/paper/ballot', { config, schema: { params } }, async (req, reply) => {
    const request = req as Request;
    const ctx = reply.view();
    const { actor, ip } = actingOf(request);
    const campaign = await publishedCampaign(kernel.db, request.params.campaign);
    const envelope = await loadEnvelopeBallot(kernel.db, campaign.id, campaign.code, field(request.body, 'envelope'));
    const ballot = ballotFromForm(
      envelope.rules,
      envelope.projects.map((p) => p.code),
      request.body,
    );
    const voter = Object.fromEntries(VOTER_FIELDS.map((name) => [name, field(request.body, name).trim()])) as Record<
      (typeof VOTER_FIELDS)[number],
      string
    >;
    const { email, ...person } = voter;
    const id: PaperVoterId = email ? { email } : person;
    try {
      const receipt = await inTransaction(kernel.db, (trx) =>
        enterPaperBallot(trx, kernel, {
          actor,
          ip,
          campaignCode: campaign.code,
          envelopeCode: envelope.code,
          voter: id,
          ballot,
          now: new Date(nowMs()),
        }),
      );
      return render(request, reply, envelope.code, { receipt: receipt.code });
    } catch (err) {
      const again = { values: valuesOf(ballot), voter };
      if (err instanceof InvalidBallot)
        return render(request, reply, envelope.code, { ...again, ballotErrors: problemErrors(ctx, envelope, err.check.problems) }, 400);
      // Refusals about the voter (unknown, already voted, another district): said on the form, which keeps what was typed.
      if (
        err instanceof HttpError &&
        err.statusCode < 500 &&
        err.code.startsWith('participatory-budget.') &&
        err.code !== 'participatory-budget.vote-closed'
      ) {
        const key = `participatory-budget.errors.${err.code.slice('participatory-budget.'.length)}`;
        const fieldName = err.fields[0]?.field && VOTER_FIELDS.includes(err.fields[0].field as never) ? err.fields[0].field : 'email';
        return render(
          request,
          reply,
          envelope.code,
          { ...again, ballotErrors: [{ field: fieldName, message: ctx.t(key) }] },
          err.statusCode,
        );
      }
      throw err;
    }
  });

  app.post('/admin/budget/:campaign/paper/counts', { config, schema: { params } }, async (req, reply) => {
    const request = req as Request;
    const { actor, ip } = actingOf(request);
    const text = field(request.body, 'csv');
    try {
      const imported = await inTransaction(kernel.db, (trx) =>
        importPaperCounts(trx, kernel, { actor, ip, campaignCode: request.params.campaign, text, now: new Date(nowMs()) }),
      );
      return render(request, reply, undefined, { imported });
    } catch (err) {
      if (err instanceof InvalidCounts) return render(request, reply, undefined, { csv: text, countProblems: err.problems }, 400);
      throw err;
    }
  });
}
