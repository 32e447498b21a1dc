import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Executor } from '../../../kernel/db/transaction.js';
import { inTransaction } from '../../../kernel/db/transaction.js';
import { CSRF_FIELD, verifyCsrf } from '../../../kernel/http/csrf.js';
import { HttpError } from '../../../kernel/http/errors.js';
import { acceptMultipart, readPostedForm } from '../../../kernel/http/multipart-form.js';
import { actingOf, adminPage, field } from '../../../kernel/identity/agents/http.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { FieldError } from '../../../kernel/ui/components.js';
import type { ViewContext } from '../../../kernel/ui/context.js';
import type { Campaign } from '../campaigns/store.js';
import { campaignOr404, campaignParams } from '../proposals/admin-http.js';
import { RESULTS_PERMISSION } from './access.js';
import { describeImportProblem, importPabulibEnvelope, PabulibImportError } from './pabulib-import.js';
import { type ImportRecord, PabulibImportPage } from './views/pabulib-import-page.js';

/** The largest file taken: Pabulib's biggest elections (Warsaw, a few hundred thousand ballots) weigh about this. */
const PB_BYTES = 20_000_000;
const CODE = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' } as const;
const envelopeParams = { type: 'object', required: ['campaign', 'envelope'], properties: { campaign: CODE, envelope: CODE } } as const;

type CampaignRequest = FastifyRequest<{ Params: { campaign: string } }>;

/** The campaign's imports, in envelope order. */
async function importRecords(db: Executor, campaign: Campaign): Promise<ImportRecord[]> {
  const rows = await db
    .selectFrom('pb_pabulib_imports as i')
    .innerJoin('pb_envelopes as e', 'e.id', 'i.envelope_id')
    .selectAll('i')
    .select(['e.code as envelope', 'e.winner_rule'])
    .where('i.campaign_id', '=', campaign.id)
    .orderBy('e.position')
    .execute();
  return rows.map((r) => ({
    envelope: r.envelope,
    fileName: r.file_name,
    description: r.description,
    fileRule: r.file_rule,
    envelopeRule: r.winner_rule,
    scoreThreshold: r.score_threshold === null ? null : Number(r.score_threshold),
    projects: r.projects,
    ballots: r.ballots,
    importedAt: r.imported_at,
  }));
}

/** A refusal as the page's errors, in the agent's language: the file's problems line by line, or the envelope's state. */
function refusalErrors(ctx: ViewContext, err: unknown): FieldError[] {
  if (err instanceof PabulibImportError) return err.problems.map((p) => ({ field: 'file', message: describeImportProblem(ctx.t, p) }));
  if (!(err instanceof HttpError) || err.statusCode >= 500 || err.statusCode === 403) throw err;
  const key = `error.code.${err.code}`;
  return [{ field: 'envelope', message: ctx.t(key) === key ? err.message : ctx.t(key) }];
}

/**
 * Back office and API of the Pabulib import (pabulib-import.ts): a page with the upload form and
 * the imports made, the form's multipart post, and the same import in JSON for scripts.
 */
export async function pabulibImportRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  const pagePath = (code: string) => `/admin/budget/${code}/results/import`;

  async function render(
    request: CampaignRequest,
    reply: FastifyReply,
    campaign: Campaign,
    options: { errors?: FieldError[]; form?: { envelope?: string; prefix?: string }; status?: number } = {},
  ) {
    const ctx = reply.view();
    const records = await importRecords(kernel.db, campaign);
    const justImported = field(request.query, 'notice') === 'imported' ? field(request.query, 'envelope') : undefined;
    const body = h(PabulibImportPage, {
      ctx,
      campaign,
      records,
      timeZone: kernel.config.city.timezone,
      form: options.form ?? {},
      errors: options.errors ?? [],
      done: records.find((r) => r.envelope === justImported),
    });
    const title = ctx.t('participatory-budget.pabulib-import.title', { campaign: campaign.title[ctx.lang] });
    return adminPage(kernel, request, reply, title, body, options.status);
  }

  app.get(
    '/admin/budget/:campaign/results/import',
    { config: { permission: RESULTS_PERMISSION }, schema: { params: campaignParams } },
    async (request: CampaignRequest, reply) => render(request, reply, await campaignOr404(kernel, request.params.campaign)),
  );

  await app.register(async (scope) => {
    await acceptMultipart(scope, { fileBytes: PB_BYTES, files: 1 });
    scope.post(
      '/admin/budget/:campaign/results/import',
      // The token is checked once the multipart fields are read (the app-wide check runs before the body).
      { config: { permission: RESULTS_PERMISSION, csrf: false }, schema: { params: campaignParams } },
      async (request: CampaignRequest, reply) => {
        const posted = await readPostedForm(request);
        verifyCsrf(kernel.secret, request, [posted.values[CSRF_FIELD]].flat()[0]);
        const campaign = await campaignOr404(kernel, request.params.campaign);
        const ctx = reply.view();
        const form = { envelope: String([posted.values.envelope].flat()[0] ?? ''), prefix: String([posted.values.prefix].flat()[0] ?? '') };
        const file = posted.files.find((f) => f.name === 'file');
        if (!file || file.truncated) {
          const errors = [{ field: 'file', message: ctx.t('participatory-budget.pabulib-import.missing') }];
          return render(request, reply, campaign, { errors, form, status: 400 });
        }
        try {
          await inTransaction(kernel.db, (trx) =>
            importPabulibEnvelope(trx, kernel, actingOf(request), campaign.code, form.envelope, {
              // The name as the browser sent it, without any folder.
              fileName: file.filename.split(/[\\/]/).pop() || 'file.pb',
              bytes: file.data,
              codePrefix: form.prefix,
            }),
          );
        } catch (err) {
          return render(request, reply, campaign, { errors: refusalErrors(ctx, err), form, status: (err as HttpError).statusCode });
        }
        return reply.redirect(`${pagePath(campaign.code)}?notice=imported&envelope=${encodeURIComponent(form.envelope)}`, 303);
      },
    );
  });

  app.post<{ Params: { campaign: string; envelope: string }; Body: { file: string; fileName?: string; codePrefix?: string } }>(
    '/api/v1/participatory-budget/:campaign/envelopes/:envelope/pabulib',
    {
      config: { permission: RESULTS_PERMISSION },
      // The file travels as a JSON string: a little larger than the file itself.
      bodyLimit: PB_BYTES * 2,
      schema: {
        params: envelopeParams,
        body: {
          type: 'object',
          required: ['file'],
          additionalProperties: false,
          properties: {
            file: { type: 'string', minLength: 1 },
            fileName: { type: 'string', minLength: 1, maxLength: 200 },
            codePrefix: { type: 'string', maxLength: 20 },
          },
        },
      },
    },
    async (request, reply) => {
      const { file, fileName, codePrefix } = request.body;
      const summary = await inTransaction(kernel.db, (trx) =>
        importPabulibEnvelope(trx, kernel, actingOf(request), request.params.campaign, request.params.envelope, {
          fileName: fileName ?? `${request.params.envelope}.pb`,
          bytes: Buffer.from(file, 'utf8'),
          codePrefix: codePrefix ?? '',
        }),
      );
      return reply.status(201).send(summary);
    },
  );
}
