import { formatNumber } from '../../../../kernel/i18n/format.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import type { Campaign } from '../../campaigns/store.js';

/** "45 000 €" / "€45,000". */
export const euros = (ctx: ViewContext, amount: number) =>
  ctx.t('participatory-budget.envelope.amount', { amount: formatNumber(ctx.lang, amount) });

/** An envelope's label in the page's language ("11e arrondissement", "Tout Paris"), or its code. */
export const envelopeLabel = (ctx: ViewContext, campaign: Campaign, code: string) =>
  campaign.envelopes.find((e) => e.code === code)?.label[ctx.lang] ?? code;

export const themeLabel = (ctx: ViewContext, campaign: Campaign, code: string | null) =>
  code === null ? '' : (campaign.themes.find((t) => t.code === code)?.label[ctx.lang] ?? code);
