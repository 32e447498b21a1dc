import type { ViewContext } from '../../ui/context.js';

/** Reasons the kernel records by code; anything else is a server's or provider's own words, shown as is. */
const REASON_CODES = ['unknown-account', 'account-deleted', 'no-email-address', 'no-phone-number', 'no-sms-provider', 'no-receipt'];

export function reasonText(ctx: ViewContext, detail: string | null): string {
  if (!detail) return '';
  return REASON_CODES.includes(detail) ? ctx.t(`notifications.reason.${detail}`) : detail;
}

export function statusText(ctx: ViewContext, status: string): string {
  return ctx.t(`notifications.status.${status}`);
}

export function channelText(ctx: ViewContext, channel: string): string {
  return ctx.t(`notifications.channel.${channel}`);
}
