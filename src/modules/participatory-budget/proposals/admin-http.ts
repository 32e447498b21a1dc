import { HttpError } from '../../../kernel/http/errors.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { FieldError } from '../../../kernel/ui/components.js';
import type { ViewContext } from '../../../kernel/ui/context.js';
import { type Campaign, loadCampaign } from '../campaigns/store.js';

/** Path parameters of the back office's budget pages, refused by their schema before any handler runs. */
const CODE = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' } as const;
const ID = { type: 'string', pattern: '^[0-9a-f]{28}$' } as const;
export const campaignParams = { type: 'object', required: ['campaign'], properties: { campaign: CODE } } as const;
export const proposalParams = { type: 'object', required: ['campaign', 'id'], properties: { campaign: CODE, id: ID } } as const;
export const projectParams = { type: 'object', required: ['campaign', 'code'], properties: { campaign: CODE, code: CODE } } as const;

/** Any campaign by code (agents prepare drafts too), or the 404 page. */
export async function campaignOr404(kernel: Kernel, code: string): Promise<Campaign> {
  const campaign = await loadCampaign(kernel.db, code);
  if (!campaign) throw new HttpError(404, 'participatory-budget.campaign-unknown', `There is no campaign "${code}".`);
  return campaign;
}

/**
 * Runs a domain write; a refusal that names fields comes back as translated errors for the page to
 * show again (our field problems carry message keys), anything else goes on to the error page.
 */
export async function withFieldErrors<T>(
  ctx: ViewContext,
  work: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; errors: FieldError[] }> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    if (!(err instanceof HttpError) || (err.statusCode !== 400 && err.statusCode !== 409) || err.fields.length === 0) throw err;
    return { ok: false, errors: err.fields.map((f) => ({ field: f.field, message: ctx.t(f.message) })) };
  }
}

/** The notice of a page after a post/redirect/get, from its `notice` query value. */
export function noticeOf(ctx: ViewContext, value: string | undefined, known: readonly string[]): string | undefined {
  return value && known.includes(value) ? ctx.t(`participatory-budget.admin.notice.${value}`) : undefined;
}
