import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { inTransaction } from '../../../../kernel/db/transaction.js';
import { nowMs } from '../../../../kernel/db/values.js';
import { HttpError } from '../../../../kernel/http/errors.js';
import { formatDateTime } from '../../../../kernel/i18n/format.js';
import { actingOf, adminPage, field } from '../../../../kernel/identity/agents/http.js';
import { can } from '../../../../kernel/identity/authorization.js';
import type { Kernel } from '../../../../kernel/kernel.js';
import type { FieldError } from '../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import { campaignOr404, campaignParams, noticeOf } from '../../proposals/admin-http.js';
import { loadEligibility } from '../../voting/eligibility.js';
import { assertMayManage, MANAGE_PERMISSION, mayActForCity } from '../access.js';
import { campaignFingerprint, createCampaignFromForm, editCampaignFromForm } from '../edit.js';
import { currentPhase, isFrozen, nextPhase, voteOpensAt } from '../phases.js';
import { type Campaign, campaignCodes, loadCampaign } from '../store.js';
import { type FormLayout, type FormValues, fieldOfPath, names } from './form-names.js';
import { readCampaignForm } from './form-read.js';
import { campaignValues, envelopeCodes, newCampaignValues, postedValues } from './form-values.js';
import { CAMPAIGNS_LIST_PERMISSIONS, PAGE_PERMISSIONS } from './page-permissions.js';
import { problemMessage } from './problem-messages.js';
import { CampaignFormPage } from './views/campaign-form-page.js';
import { CAMPAIGN_PAGES, CampaignsListPage } from './views/campaigns-list.js';

const LIST = '/admin/budget/campaigns';
const NEW = `${LIST}/new`;
const settingsPath = (code: string) => `/admin/budget/${code}/settings`;

/**
 * A refusal of the form as errors beside its fields: the definition's problems by their path, the
 * freeze and a concurrent change as one error on the part they concern. Anything else (403, 404, a
 * bug) goes on to the error page.
 */
function formErrors(ctx: ViewContext, err: unknown, layout: FormLayout): FieldError[] {
  if (!(err instanceof HttpError) || (err.statusCode !== 400 && err.statusCode !== 409)) throw err;
  if (err.code === 'participatory-budget.frozen') {
    const phases = err.fields[0]?.field === 'phases';
    const eligibility = err.fields.length === 0;
    return [
      {
        field: phases ? names.phaseStart('vote') : eligibility ? 'eligibility' : 'envelopes',
        message: ctx.t(phases ? 'participatory-budget.campaigns.problem.phasesFrozen' : 'participatory-budget.errors.frozen'),
      },
    ];
  }
  if (err.fields.length === 0) return [{ field: 'code', message: ctx.t(`participatory-budget.errors.${err.code.split('.')[1]}`) }];
  // One error per field, in the order of the form's problems: the summary lists each field once.
  const byField = new Map<string, string[]>();
  for (const problem of err.fields) {
    const name = fieldOfPath(problem.field, layout);
    byField.set(name, [...(byField.get(name) ?? []), problemMessage(ctx.t, problem.message)]);
  }
  return [...byField].map(([name, messages]) => ({ field: name, message: [...new Set(messages)].join(' ') }));
}

/** The back office's campaigns: the list with links to each campaign's pages, and the campaign form (create, edit). */
export async function campaignAdminRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  const manage = { config: { permission: MANAGE_PERMISSION } };
  const zone = kernel.config.city.timezone;
  const envelopes = () =>
    envelopeCodes(kernel).map((code) => ({
      code,
      name: kernel.districts.byCode(code)?.name ?? '',
    }));
  /** The route lets in an agent holding the permission anywhere; a campaign is the whole city's. */
  const mayManage = (request: FastifyRequest) => assertMayManage(kernel.db, kernel, actingOf(request));

  // Every agent who works on a campaign's page sees the list (the menu shows it to them), with the
  // pages they may open; the settings only to those who configure campaigns for the whole city.
  app.get(LIST, { config: { permission: CAMPAIGNS_LIST_PERMISSIONS } }, async (request, reply) => {
    const ctx = reply.view();
    const mayConfigure = await mayActForCity(kernel.db, kernel, actingOf(request), MANAGE_PERMISSION);
    const pages = CAMPAIGN_PAGES.filter((page) =>
      page === 'settings' ? mayConfigure : PAGE_PERMISSIONS[page].some((permission) => can(request.actor, permission)),
    );
    const now = new Date(nowMs());
    const rows = [];
    for (const code of await campaignCodes(kernel.db)) {
      const c = (await loadCampaign(kernel.db, code))!;
      rows.push({ code, title: c.title[ctx.lang], status: c.status, current: currentPhase(c, now), next: nextPhase(c, now) });
    }
    const notice = noticeOf(ctx, field(request.query, 'notice'), []);
    return adminPage(
      kernel,
      request,
      reply,
      ctx.t('participatory-budget.campaigns.list.title'),
      h(CampaignsListPage, { ctx, rows, pages, timeZone: zone, notice }),
    );
  });

  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { campaign?: Campaign; values: FormValues; errors?: FieldError[]; status?: number; notice?: string },
  ) {
    const ctx = reply.view();
    const c = options.campaign;
    const now = new Date(nowMs());
    const eligibility = c && (await loadEligibility(kernel.db, c.id));
    const frozen =
      c && eligibility && isFrozen(c, now)
        ? { since: formatDateTime(ctx.lang, voteOpensAt(c), zone), envelopes: c.envelopes, eligibility }
        : null;
    const cityName = ctx.t('participatory-budget.envelope.city');
    const body = h(CampaignFormPage, {
      ctx,
      editing: c?.code ?? null,
      action: c ? settingsPath(c.code) : NEW,
      values: options.values,
      errors: options.errors ?? [],
      envelopes: envelopes().map((e) => ({ ...e, name: e.name || cityName })),
      frozen,
      fingerprint: c && eligibility ? campaignFingerprint(c, eligibility) : undefined,
      timeZone: zone,
      notice: options.notice,
    });
    const title = c
      ? ctx.t('participatory-budget.campaigns.edit.title', { campaign: c.title[ctx.lang] })
      : ctx.t('participatory-budget.campaigns.new.title');
    return adminPage(kernel, request, reply, title, body, options.status);
  }

  app.get(NEW, manage, async (request, reply) => {
    await mayManage(request);
    return renderForm(request, reply, { values: newCampaignValues(kernel) });
  });

  app.post(NEW, manage, async (request, reply) => {
    await mayManage(request);
    const values = postedValues(request.body);
    const { input, layout } = readCampaignForm(values, { envelopeCodes: envelopeCodes(kernel), timeZone: zone });
    try {
      const created = await inTransaction(kernel.db, (trx) =>
        createCampaignFromForm(trx, kernel, actingOf(request), input, { now: new Date(nowMs()) }),
      );
      return reply.redirect(`${settingsPath(created.code)}?notice=created`, 303);
    } catch (err) {
      const errors = formErrors(reply.view(), err, layout);
      return renderForm(request, reply, { values, errors, status: (err as HttpError).statusCode });
    }
  });

  type CampaignRequest = FastifyRequest<{ Params: { campaign: string } }>;
  const withCampaign = { ...manage, schema: { params: campaignParams } };

  app.get(settingsPath(':campaign'), withCampaign, async (request: CampaignRequest, reply) => {
    await mayManage(request);
    const campaign = await campaignOr404(kernel, request.params.campaign);
    const values = campaignValues(kernel, campaign, await loadEligibility(kernel.db, campaign.id));
    const notice = noticeOf(reply.view(), field(request.query, 'notice'), ['created', 'saved']);
    return renderForm(request, reply, { campaign, values, notice });
  });

  app.post(settingsPath(':campaign'), withCampaign, async (request: CampaignRequest, reply) => {
    await mayManage(request);
    const campaign = await campaignOr404(kernel, request.params.campaign);
    const values: FormValues = { ...postedValues(request.body), code: campaign.code };
    const stored = { campaign, eligibility: await loadEligibility(kernel.db, campaign.id) };
    const { input, layout } = readCampaignForm(values, { envelopeCodes: envelopeCodes(kernel), timeZone: zone, stored });
    const fingerprint = values.fingerprint || undefined;
    try {
      await inTransaction(kernel.db, (trx) =>
        editCampaignFromForm(trx, kernel, actingOf(request), campaign.code, input, { now: new Date(nowMs()), fingerprint }),
      );
      return reply.redirect(`${settingsPath(campaign.code)}?notice=saved`, 303);
    } catch (err) {
      const errors = formErrors(reply.view(), err, layout);
      // The form shows what was typed, against the campaign as it now stands (frozen or not).
      const now = (await loadCampaign(kernel.db, campaign.code)) ?? campaign;
      return renderForm(request, reply, { campaign: now, values, errors, status: (err as HttpError).statusCode });
    }
  });
}
