import type { CallbackStatus, ContractorCallback } from '../domain/callbacks.js';
import { WORK_ORDER_EVENT } from '../domain/contractor.js';

/*
 * A pretend contractor, as a real one would be built: it receives signed work orders, answers at
 * once, and later calls back "scheduled" (for tomorrow) then "done" with a message and an "after"
 * photo. The same steps serve the loopback server of the tests and the demo's built-in route.
 */

/** Where the demo's contractor endpoints point, on the app itself. */
export const SIMULATOR_PATH = '/simulator/contractor/work-orders';

/** What the simulator reads of a work order (the webhook's `data`). */
export interface WorkOrder {
  /** The webhook's id: one per dispatch, so the simulator's callback ids are unique per order. */
  orderId: string;
  reference: string;
  callbackUrl: string;
  token: string;
}

export type SimulatorStep = Extract<CallbackStatus, 'scheduled' | 'done'>;

/** The order in a webhook body, or null when the body is another event or lacks what a callback needs. */
export function workOrderOf(body: Record<string, unknown>): WorkOrder | null {
  const data = body.data as { reference?: unknown; callback?: { url?: unknown; token?: unknown } } | null | undefined;
  if (body.event !== WORK_ORDER_EVENT || typeof body.id !== 'string' || !data || typeof data.reference !== 'string') return null;
  const { url, token } = data.callback ?? {};
  if (typeof url !== 'string' || typeof token !== 'string') return null;
  return { orderId: body.id, reference: data.reference, callbackUrl: url, token };
}

/** Tomorrow's date (UTC), as contractors plan: the next working slot. */
export function tomorrow(now = new Date()): string {
  return new Date(now.getTime() + 24 * 3600 * 1000).toISOString().slice(0, 10);
}

/** A generated "after the work" photo: clean paving with a fresh patch (no text: no font needed). */
export async function afterPhoto(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="360">
    <rect width="480" height="360" fill="#9aa3a8"/>
    <rect y="230" width="480" height="130" fill="#6b7378"/>
    <ellipse cx="240" cy="290" rx="120" ry="38" fill="#3c4246"/>
    <rect x="40" y="40" width="110" height="150" rx="8" fill="#2e7d32"/>
    <path d="M70 120 l25 25 l45 -60" stroke="#ffffff" stroke-width="14" fill="none"/>
  </svg>`;
  // Loaded here, not at the top: libvips would cost every server start time and memory.
  const { default: sharp } = await import('sharp');
  return sharp(Buffer.from(svg)).jpeg({ quality: 70 }).toBuffer();
}

/** The callback of one step; its id derives from the order's, so a repeated step is a replay. */
export async function callbackFor(order: WorkOrder, step: SimulatorStep, now = new Date()): Promise<ContractorCallback> {
  const id = `${order.orderId}:${step}`;
  if (step === 'scheduled') return { id, status: 'scheduled', date: tomorrow(now), comment: 'Intervention prévue demain matin.' };
  return {
    id,
    status: 'done',
    comment: `Intervention réalisée pour le signalement ${order.reference}.`,
    photo: (await afterPhoto()).toString('base64'),
  };
}

export interface CallbackAnswer {
  status: number;
  /** The problem's code of a refusal (`webhook.replayed`, `workflow.not-available`…). */
  code?: string;
}

/** POSTs a callback with the order's token; network failures throw (the caller retries). */
export async function sendCallback(url: string, token: string, callback: ContractorCallback): Promise<CallbackAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'user-agent': 'Civitas-Contractor-Simulator/1' },
    body: JSON.stringify(callback),
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.ok) return { status: response.status };
  let code: string | undefined;
  try {
    code = (JSON.parse(text) as { code?: string }).code;
  } catch {
    // Not a problem document: the status says enough.
  }
  return { status: response.status, ...(code ? { code } : {}) };
}

/**
 * What the simulator makes of an answer: go on to the next step (applied, or applied before: a
 * replay), stop (the report moved on without us, or the token is refused), or retry later.
 */
export function nextMove(answer: CallbackAnswer): 'continue' | 'stop' | 'retry' {
  if (answer.status < 300 || answer.code === 'webhook.replayed') return 'continue';
  if (answer.status >= 400 && answer.status < 500 && answer.status !== 408 && answer.status !== 429) return 'stop';
  return 'retry';
}
