import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { Acting } from '../../src/kernel/identity/agents/acting.js';
import { createJobs, type Jobs } from '../../src/kernel/jobs/jobs.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { deliverWebhookJob, WEBHOOK_DELIVERY_JOB } from '../../src/kernel/webhooks/deliver.js';
import { createEndpoint, type EndpointInput } from '../../src/kernel/webhooks/endpoints.js';
import { agentActor, createTestAdmin } from '../identity/agents-fixtures.js';

/** The delivery job with a short timeout and short retry delays: the production code, quicker. */
export function deliveryJobs(kernel: Kernel, options: { timeoutMs?: number; retryDelayMs?: number; concurrency?: number } = {}): Jobs {
  return createJobs({
    db: kernel.db,
    engine: kernel.database.engine,
    log: pino({ level: 'silent' }),
    handlers: new Map([[WEBHOOK_DELIVERY_JOB, deliverWebhookJob({ timeoutMs: options.timeoutMs ?? 1000 })]]),
    subscribers: new Map(),
    schedules: [],
    leaseSeconds: 10,
    concurrency: options.concurrency ?? 4,
    pollMs: 20,
    contextKernel: () => kernel,
    retryDelayMs: () => options.retryDelayMs ?? 0,
  });
}

/** An administrator acting from the back office, for domain calls without HTTP. */
export async function adminActing(kernel: Kernel): Promise<Acting> {
  return { actor: await agentActor(kernel, await createTestAdmin(kernel)), ip: '127.0.0.1' };
}

export async function addEndpoint(kernel: Kernel, who: Acting, input: Partial<EndpointInput> & { url: string }) {
  return createEndpoint(kernel.db, who, ['pages', 'works'], {
    module: 'works',
    unitPath: null,
    description: '',
    events: ['*'],
    active: true,
    ...input,
  });
}

export interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP server on loopback whose answers the test decides, request by request. */
export async function startReceiver(answer: (request: Received, res: ServerResponse) => unknown) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(request);
      Promise.resolve(answer(request, res)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls `check` until it holds or `timeoutMs` passes. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Condition still false after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
