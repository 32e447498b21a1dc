import type { FastifyInstance } from 'fastify';
import { HttpError } from '../http/errors.js';
import type { Kernel } from '../kernel.js';
import { authenticateSignedCallback } from '../webhooks/incoming.js';
import { keepRawJsonBody } from '../webhooks/raw-body.js';
import { SMS_CALLBACK_PATH } from './sms.js';
import { applySmsReceipt, RECEIPT_STATUSES, type SmsReceipt } from './sms-receipts.js';

const body = {
  type: 'object',
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 200 },
    reference: { type: 'string', minLength: 1, maxLength: 200 },
    status: { type: 'string', enum: [...RECEIPT_STATUSES] },
    detail: { type: 'string', maxLength: 2000 },
  },
  required: ['id', 'reference', 'status'],
  additionalProperties: false,
} as const;

/**
 * The SMS provider's delivery receipts, signed like the city's webhooks (HMAC of the raw body with
 * `sms.callbackSecret`, see src/kernel/webhooks/incoming.ts). Public as far as sessions go: the
 * provider is a server. In its own scope, which keeps raw JSON bodies for the signature.
 */
export async function smsCallbackRoute(app: FastifyInstance, kernel: Kernel): Promise<void> {
  await app.register(async (scope) => {
    keepRawJsonBody(scope);
    scope.post<{ Body: SmsReceipt }>(
      SMS_CALLBACK_PATH,
      {
        config: { public: true, rateLimit: false },
        schema: { body, tags: ['notifications'], summary: 'Delivery receipt of a text message, from the SMS provider' },
        // The signature is checked before the body's shape, so an unsigned caller learns nothing of it.
        preValidation: async (request) => {
          const secret = kernel.config.sms?.callbackSecret;
          if (!secret) throw new HttpError(404, 'not-found', 'This city receives no SMS delivery receipts.');
          authenticateSignedCallback(request, { secret });
        },
      },
      async (request) => {
        const result = await applySmsReceipt(kernel.db, request.body);
        if (!result) throw new HttpError(404, 'not-found', `No text message with reference ${request.body.reference}.`);
        return result;
      },
    );
  });
}
