import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Executor } from '../db/transaction.js';
import { nowIso } from '../db/values.js';
import { HttpError } from '../http/errors.js';
import type { Kernel } from '../kernel.js';
import { rawBodyOf } from './raw-body.js';
import {
  type SignatureCheck,
  verifyIncomingSignature,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from './sign.js';

/*
 * Callbacks from partners (a contractor reporting progress on a work order) reach a module's own
 * routes, declared `public` since the caller is a server, not a person. They authenticate either
 * with the HMAC scheme of our outgoing webhooks (the endpoint's secret), or with a token issued for
 * one item. Either way the body is an envelope with an `id`, which `rememberCallback` records in the
 * transaction that applies the callback, so a replay is refused and a failure leaves it unused.
 */

export interface Callback {
  /** The callback's id, from the (authenticated) body. */
  id: string;
  body: Record<string, unknown>;
}

const ID = /^[\w.:-]{1,200}$/;

const SIGNATURE_PROBLEMS: Record<Exclude<SignatureCheck, { ok: true }>['reason'], [string, string]> = {
  missing: ['webhook.signature-missing', 'The callback must carry Civitas-Webhook-Timestamp and Civitas-Webhook-Signature headers.'],
  'timestamp-invalid': ['webhook.timestamp-invalid', 'Civitas-Webhook-Timestamp must be a Unix time in seconds.'],
  'timestamp-stale': ['webhook.timestamp-stale', 'Civitas-Webhook-Timestamp is too far from the current time; sign the request again.'],
  'signature-mismatch': ['webhook.signature-invalid', 'The signature does not match the body and timestamp for this endpoint’s secret.'],
};

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The id is read from the body, which the signature or the token covers: a header alone could be
 * changed by whoever replays a captured request. A `Civitas-Webhook-Id` header, if sent, must agree.
 */
function callbackOf(request: FastifyRequest): Callback {
  const body = request.body;
  const id = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>).id : undefined;
  if (typeof id !== 'string' || !ID.test(id)) {
    throw new HttpError(
      400,
      'webhook.id-missing',
      'The callback body must be a JSON object with an "id" (letters, digits, "_.:-", at most 200).',
      [{ field: 'id', message: 'is required' }],
    );
  }
  const given = header(request, WEBHOOK_ID_HEADER);
  if (given !== undefined && given !== id) {
    throw new HttpError(400, 'webhook.id-mismatch', 'The Civitas-Webhook-Id header differs from the body’s "id".');
  }
  return { id, body: body as Record<string, unknown> };
}

/**
 * Authenticates a callback signed like our webhooks (`v1=` HMAC-SHA256 of "<timestamp>.<raw body>").
 * The route's scope must keep raw bodies (`keepRawJsonBody`). 401 with a code naming the problem.
 */
export function authenticateSignedCallback(request: FastifyRequest, options: { secret: string; toleranceSeconds?: number }): Callback {
  const check = verifyIncomingSignature({
    secret: options.secret,
    timestamp: header(request, WEBHOOK_TIMESTAMP_HEADER),
    signature: header(request, WEBHOOK_SIGNATURE_HEADER),
    rawBody: rawBodyOf(request),
    toleranceSeconds: options.toleranceSeconds,
  });
  if (!check.ok) {
    const [code, message] = SIGNATURE_PROBLEMS[check.reason];
    throw new HttpError(401, code, message);
  }
  return callbackOf(request);
}

/**
 * A token for callbacks about one item (`subject`, e.g. "street-reports:work-order:42"), to hand to
 * a partner with the item. It is an HMAC of the subject under the kernel's secret, so it needs no
 * table and any process can check it. It cannot be revoked one by one: a module that needs that
 * puts a version in the subject, and refuses callbacks for items that no longer expect any.
 */
export function issueItemToken(kernel: Pick<Kernel, 'secret'>, subject: string): string {
  return createHmac('sha256', kernel.secret).update(`webhook-item:${subject}`, 'utf8').digest('base64url');
}

export function verifyItemToken(kernel: Pick<Kernel, 'secret'>, subject: string, token: string): boolean {
  const expected = Buffer.from(issueItemToken(kernel, subject));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Authenticates a callback by the item's token in `Authorization: Bearer <token>`; 401 otherwise. */
export function authenticateItemCallback(request: FastifyRequest, kernel: Pick<Kernel, 'secret'>, subject: string): Callback {
  const token = /^Bearer ([\w-]+)$/.exec(header(request, 'authorization') ?? '')?.[1];
  if (!token || !verifyItemToken(kernel, subject, token)) {
    throw new HttpError(401, 'webhook.token-invalid', 'A valid token for this item is required in the Authorization header (Bearer).');
  }
  return callbackOf(request);
}

/**
 * Records a callback as applied, in the transaction that applies it; 409 when its id was already
 * seen from this `source` (a replay), in this process or another: the primary key decides, on
 * both engines.
 */
export async function rememberCallback(trx: Executor, source: string, id: string): Promise<void> {
  const inserted = await trx
    .insertInto('webhook_incoming_seen')
    .values({ key: `${source}:${id}`, seen_at: nowIso() })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key')
    .executeTakeFirst();
  if (!inserted) throw new HttpError(409, 'webhook.replayed', `Callback "${id}" was already received; it is not applied twice.`);
}
