import type { Config } from '../config/schema.js';
import { absoluteUrl } from '../identity/citizens/links.js';

export interface SmsMessage {
  /** The phone number as the resident gave it. */
  to: string;
  text: string;
  /** Our notification id, which the provider may echo in its delivery receipts. */
  reference: string;
}

/** What the provider said when it took the message. */
export interface SmsAccepted {
  /** The provider's id of the message (our reference when it gives none). */
  providerRef: string;
  /** true when the provider already knows the message reached the phone; otherwise a receipt follows. */
  delivered: boolean;
}

/** A refusal: `permanent` when trying again cannot help (invalid number, rejected content). */
export class SmsError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** Sends one text message; throws `SmsError` (or any error, taken as temporary). */
export interface SmsAdapter {
  send(message: SmsMessage): Promise<SmsAccepted>;
}

export const SMS_CALLBACK_PATH = '/api/v1/notifications/sms-callback';

/**
 * The one adapter the kernel ships: a JSON POST to the city's provider (or to a small gateway in
 * front of it). Request: `{ to, text, reference, sender?, callbackUrl }` with `Authorization: Bearer
 * <token>`; answer 2xx `{ id?, status? }` where status "delivered" means already delivered. 4xx
 * answers are permanent refusals, except 408 and 429; 5xx and network errors are temporary.
 */
export function httpSmsAdapter(config: Pick<Config, 'publicUrl' | 'host' | 'port'> & { sms: NonNullable<Config['sms']> }): SmsAdapter {
  const { sms } = config;
  return {
    async send(message) {
      let response: Response;
      try {
        response = await fetch(sms.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(sms.token ? { authorization: `Bearer ${sms.token}` } : {}) },
          body: JSON.stringify({
            to: message.to,
            text: message.text,
            reference: message.reference,
            ...(sms.sender ? { sender: sms.sender } : {}),
            callbackUrl: absoluteUrl(config, SMS_CALLBACK_PATH),
          }),
          signal: AbortSignal.timeout(sms.timeoutMs),
        });
      } catch (err) {
        throw new SmsError(`SMS provider unreachable: ${(err as Error).message}`, false);
      }
      const text = await response.text().catch(() => '');
      if (!response.ok) {
        const permanent = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
        throw new SmsError(`SMS provider answered ${response.status}: ${text.slice(0, 500)}`, permanent);
      }
      let body: { id?: unknown; status?: unknown } = {};
      try {
        body = text ? (JSON.parse(text) as typeof body) : {};
      } catch {
        // A provider that answers 2xx with no JSON took the message all the same.
      }
      return { providerRef: typeof body.id === 'string' && body.id ? body.id : message.reference, delivered: body.status === 'delivered' };
    },
  };
}

/** The configured adapter, or null when the city has no SMS provider. */
export function smsAdapterFor(config: Config): SmsAdapter | null {
  return config.sms ? httpSmsAdapter({ ...config, sms: config.sms }) : null;
}
