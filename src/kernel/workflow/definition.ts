import { z } from 'zod';
import type { Trx } from '../db/transaction.js';
import type { Kernel } from '../kernel.js';

/**
 * The generic statuses a resident sees on the dashboard, whatever the service: each state of a
 * workflow maps onto one (Lutece matched them by free-text label, which broke on every rewording).
 */
export const GENERIC_STATUSES = ['ongoing', 'to-complete', 'to-pay', 'paid', 'closed', 'cancelled'] as const;
export type GenericStatus = (typeof GENERIC_STATUSES)[number];
/** Statuses after which a demand counts as finished (its closing date is set). */
export const FINISHED_STATUSES: ReadonlySet<GenericStatus> = new Set(['closed', 'cancelled']);

const code = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a stable code: lowercase letters, digits and dashes');
const text = z.object({ fr: z.string().min(1), en: z.string().min(1) }).strict();
export type LocalText = z.infer<typeof text>;

const duration = z
  .object({
    days: z.number().int().min(0).optional(),
    hours: z.number().int().min(0).optional(),
    minutes: z.number().int().min(0).optional(),
  })
  .strict()
  .refine((d) => (d.days ?? 0) + (d.hours ?? 0) + (d.minutes ?? 0) > 0, 'a duration longer than zero');
export type Duration = z.infer<typeof duration>;

const stateSchema = z
  .object({
    label: text,
    /** Internal states are never shown to the resident: their timeline keeps the last public state. */
    public: z.boolean(),
    status: z.enum(GENERIC_STATUSES),
    /** Position on the "step n of N" bar of the dashboard. */
    step: z.number().int().min(1).optional(),
    /** What the resident is expected to do while in this state (shown on the dashboard). */
    citizenAction: text.optional(),
  })
  .strict();

const actionField = z
  .object({
    code,
    type: z.enum(['comment', 'reason', 'date', 'photo']),
    label: text,
    required: z.boolean().default(false),
    /** The list a `reason` is chosen from. */
    reasons: z.array(z.object({ code, label: text }).strict()).optional(),
  })
  .strict()
  .refine((f) => f.type !== 'reason' || (f.reasons?.length ?? 0) > 0, 'a reason field needs its list of reasons');
export type ActionField = z.infer<typeof actionField>;

const taskSchema = z.union([
  z.object({ type: z.literal('notify'), template: z.string().min(1), to: z.enum(['citizen']).default('citizen') }).strict(),
  z.object({ type: z.literal('assign'), unit: code }).strict(),
  z.object({ type: z.literal('webhook'), event: z.string().min(1) }).strict(),
  z.object({ type: z.literal('deadline'), after: duration.optional(), clear: z.literal(true).optional() }).strict(),
  z.object({ type: z.literal('anonymise') }).strict(),
  z.object({ type: z.literal('archive') }).strict(),
  // A module's own task type, named "<module>:<task>", with its parameters.
  z.object({ type: z.string().regex(/^[a-z0-9-]+:[a-z0-9-]+$/), params: z.record(z.string(), z.unknown()).optional() }).strict(),
]);
export type TaskSpec = z.infer<typeof taskSchema>;

const actionSchema = z
  .object({
    label: text,
    from: z.array(code).min(1),
    to: code,
    /**
     * Who runs it: agents holding `permission` in the item's unit, the resident the item belongs
     * to, or the platform — automatically on entering a `from` state, on a timer, or (manual) when
     * a module runs it for an integration, such as a contractor's authenticated callback.
     */
    by: z.enum(['agent', 'citizen', 'system']).default('agent'),
    permission: z.string().optional(),
    trigger: z.enum(['manual', 'automatic', 'timer']).default('manual'),
    /** For timers: after a duration in the state, or when the item's deadline passes. */
    timer: z.union([z.object({ after: duration }).strict(), z.object({ at: z.literal('deadline') }).strict()]).optional(),
    fields: z.array(actionField).default([]),
    tasks: z.array(taskSchema).default([]),
    /** Offered for several items at once in the back office. */
    mass: z.boolean().default(false),
  })
  .strict();
export type ActionDefinition = z.infer<typeof actionSchema>;

export const workflowSchema = z
  .object({
    /** "<module>:<name>", stable. */
    code: z.string().regex(/^[a-z0-9-]+:[a-z0-9-]+$/),
    version: z.number().int().min(1),
    label: text,
    initial: code,
    states: z.record(code, stateSchema),
    actions: z.record(code, actionSchema),
  })
  .strict()
  .superRefine((wf, ctx) => {
    const states = new Set(Object.keys(wf.states));
    if (!states.has(wf.initial)) ctx.addIssue({ code: 'custom', path: ['initial'], message: `unknown state "${wf.initial}"` });
    for (const [name, action] of Object.entries(wf.actions)) {
      const at = (p: string) => ['actions', name, p];
      for (const s of action.from) if (!states.has(s)) ctx.addIssue({ code: 'custom', path: at('from'), message: `unknown state "${s}"` });
      if (!states.has(action.to)) ctx.addIssue({ code: 'custom', path: at('to'), message: `unknown state "${action.to}"` });
      if (action.by === 'agent' && !action.permission)
        ctx.addIssue({ code: 'custom', path: at('permission'), message: 'an agent action needs a permission' });
      if (action.trigger === 'timer' && !action.timer)
        ctx.addIssue({ code: 'custom', path: at('timer'), message: 'a timer action needs its timer' });
      if (action.trigger !== 'manual' && action.by !== 'system') {
        ctx.addIssue({ code: 'custom', path: at('by'), message: 'automatic and timer actions are run by "system"' });
      }
    }
  });

export type WorkflowDefinition = z.input<typeof workflowSchema>;
export type Workflow = z.output<typeof workflowSchema>;
export type StateDefinition = Workflow['states'][string];

/** What a task receives: the item as it is after the transition, inside the transition's transaction. */
export interface TaskContext {
  trx: Trx;
  kernel: Kernel;
  workflow: Workflow;
  item: import('./items.js').WorkflowItem;
  action: string;
  fields: Record<string, string>;
  /** Who ran the action (null for the system). */
  actorId: string | null;
  /** Changes a task makes to the item (unit, deadline, archiving), applied by the engine. */
  patch: import('./items.js').ItemPatch;
}

/** A task type a module adds ("street-reports:dispatch"); `params` come from the definition. */
export type TaskHandler = (ctx: TaskContext, params: Record<string, unknown>) => Promise<void>;

/** Validates a definition; the message names the workflow and the path of each problem. */
export function parseWorkflow(definition: WorkflowDefinition): Workflow {
  const parsed = workflowSchema.safeParse(definition);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid workflow "${definition.code}" version ${definition.version}:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export function durationMs(d: Duration): number {
  return (((d.days ?? 0) * 24 + (d.hours ?? 0)) * 60 + (d.minutes ?? 0)) * 60_000;
}
