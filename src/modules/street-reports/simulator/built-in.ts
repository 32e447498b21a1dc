import type { FastifyInstance } from 'fastify';
import { HttpError } from '../../../kernel/http/errors.js';
import type { JobHandler } from '../../../kernel/jobs/types.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { authenticateSignedCallback, type Callback } from '../../../kernel/webhooks/incoming.js';
import { keepRawJsonBody } from '../../../kernel/webhooks/raw-body.js';
import { settingsOf } from '../domain/settings.js';
import { callbackFor, nextMove, SIMULATOR_PATH, type SimulatorStep, sendCallback, type WorkOrder, workOrderOf } from './contractor.js';

/*
 * The demo's contractor, inside the app: each town hall's contractor endpoint points here. Its
 * callbacks are jobs, so they survive a restart, and always go through the real callback API over
 * HTTP — to the order's callback URL when the city has a `publicUrl`, else to the address the order
 * was delivered to, which is this app (the endpoint's URL).
 */

/** The job's name in the manifest; the kernel prefixes it with the module's code. */
export const SIMULATE_STEP = 'simulate-contractor';
export const SIMULATE_JOB = `street-reports:${SIMULATE_STEP}`;

interface SimulateStep {
  step: SimulatorStep;
  order: WorkOrder;
  /** The absolute address of the callback API. */
  url: string;
}

/** The order's signature must match the secret of an endpoint pointing at the simulator. */
async function authenticateOrder(kernel: Kernel, request: Parameters<typeof authenticateSignedCallback>[0]): Promise<Callback> {
  const endpoints = await kernel.db
    .selectFrom('webhook_endpoints')
    .select(['url', 'secret'])
    .where('module', '=', 'street-reports')
    .where('active', '=', 1)
    .execute();
  let refusal: unknown = new HttpError(401, 'webhook.signature-invalid', 'No contractor endpoint points at this simulator.');
  for (const endpoint of endpoints) {
    if (new URL(endpoint.url).pathname !== SIMULATOR_PATH) continue;
    try {
      return authenticateSignedCallback(request, { secret: endpoint.secret });
    } catch (err) {
      if (!(err instanceof HttpError) || err.code !== 'webhook.signature-invalid') throw err;
      refusal = err;
    }
  }
  throw refusal;
}

export async function simulatorRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  // Raw bodies (for the signature) in this route's scope only: the module's other routes keep the default parser.
  await app.register(async (scope) => {
    keepRawJsonBody(scope);
    scope.post(SIMULATOR_PATH, { config: { public: true, csrf: false }, schema: { hide: true } }, async (request, reply) => {
      const callback = await authenticateOrder(kernel, request);
      const order = workOrderOf(callback.body);
      if (!order) throw new HttpError(422, 'street-reports.simulator-not-an-order', 'The simulator only handles work orders.');
      const url = new URL(order.callbackUrl, `${request.protocol}://${request.host}`).toString();
      await enqueueStep(kernel, { step: 'scheduled', order, url });
      return reply.code(202).send({ accepted: order.orderId });
    });
  });
}

function enqueueStep(kernel: Kernel, step: SimulateStep) {
  const delay = settingsOf(kernel).simulatorDelaySeconds * 1000;
  // One job per order and step: a work order delivered twice is simulated once.
  return kernel.jobs.enqueue(kernel.db, SIMULATE_JOB, step, {
    runAt: new Date(Date.now() + delay),
    uniqueKey: `${SIMULATE_JOB}:${step.order.orderId}:${step.step}`,
  });
}

/** Job: one callback of the simulator; on success (or a replay) it queues the next step. */
export const simulateContractorJob: JobHandler<SimulateStep> = async (payload, { kernel, log }) => {
  const answer = await sendCallback(payload.url, payload.order.token, await callbackFor(payload.order, payload.step));
  const move = nextMove(answer);
  if (move === 'retry') throw new Error(`The callback API answered ${answer.status}${answer.code ? ` (${answer.code})` : ''}.`);
  if (move === 'stop') {
    log.info({ reference: payload.order.reference, step: payload.step, ...answer }, 'simulated contractor stops: callback refused');
    return;
  }
  if (payload.step === 'scheduled') await enqueueStep(kernel, { ...payload, step: 'done' });
};
