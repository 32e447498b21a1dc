import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyIncomingSignature, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from '../../../kernel/webhooks/sign.js';
import { type CallbackAnswer, callbackFor, nextMove, type SimulatorStep, sendCallback, type WorkOrder, workOrderOf } from './contractor.js';

export interface SimulatorOptions {
  /** Wait before each callback. */
  delayMs?: number;
  /** Resolves callback URLs given without a host (a city without `publicUrl`). */
  appUrl?: string;
  host?: string;
  port?: number;
}

export interface ContractorSimulator {
  /** The address to give the city as its contractor endpoint. */
  url: string;
  /** Work orders received with a valid signature, first delivery of each only. */
  orders: WorkOrder[];
  /** Each callback sent and the answer it got. */
  callbacks: { orderId: string; step: SimulatorStep; answer: CallbackAnswer }[];
  /** The endpoint's secret, as the city's administrator hands it to the contractor once the endpoint exists. */
  useSecret(secret: string): void;
  close(): Promise<void>;
}

const BODY_MAX = 1_048_576;

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_MAX) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > BODY_MAX ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * The contractor as a separate HTTP service (a real server, on loopback in the tests): it checks
 * each work order's signature with the endpoint's secret, answers 202, then calls back through
 * the city's callback API — "scheduled", then "done" with a photo — after `delayMs` each.
 */
export async function startContractorSimulator(options: SimulatorOptions = {}): Promise<ContractorSimulator> {
  const delayMs = options.delayMs ?? 1000;
  let secret: string | undefined;
  const orders: WorkOrder[] = [];
  const callbacks: ContractorSimulator['callbacks'] = [];
  const timers = new Set<NodeJS.Timeout>();
  const later = (fn: () => Promise<void>) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn().catch(() => undefined);
    }, delayMs);
    timers.add(timer);
  };

  const run = (order: WorkOrder, step: SimulatorStep, attempt = 1) =>
    later(async () => {
      const url = new URL(order.callbackUrl, options.appUrl).toString();
      let answer: CallbackAnswer;
      try {
        answer = await sendCallback(url, order.token, await callbackFor(order, step));
      } catch {
        answer = { status: 0, code: 'network' };
      }
      callbacks.push({ orderId: order.orderId, step, answer });
      const move = nextMove(answer);
      if (move === 'retry' && attempt < 5) run(order, step, attempt + 1);
      if (move === 'continue' && step === 'scheduled') run(order, 'done');
    });

  const server = createServer(async (req, res) => {
    const raw = req.method === 'POST' ? await readBody(req).catch(() => null) : null;
    if (raw === null) return res.writeHead(req.method === 'POST' ? 413 : 405).end();
    const check = secret
      ? verifyIncomingSignature({
          secret,
          timestamp: one(req.headers[WEBHOOK_TIMESTAMP_HEADER]),
          signature: one(req.headers[WEBHOOK_SIGNATURE_HEADER]),
          rawBody: raw,
        })
      : { ok: false };
    if (!check.ok) return res.writeHead(401, { 'content-type': 'text/plain' }).end('signature refused');
    let order: WorkOrder | null = null;
    try {
      order = workOrderOf(JSON.parse(raw) as Record<string, unknown>);
    } catch {
      order = null;
    }
    if (!order) return res.writeHead(422, { 'content-type': 'text/plain' }).end('not a work order');
    res.writeHead(202).end();
    // A delivery retried after a lost answer is the same order: handled once.
    if (orders.some((o) => o.orderId === order.orderId)) return;
    orders.push(order);
    run(order, 'scheduled');
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}/work-orders`,
    orders,
    callbacks,
    useSecret(value) {
      secret = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
