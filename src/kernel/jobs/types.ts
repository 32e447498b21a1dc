import type { Logger } from 'pino';
import type { Kernel } from '../kernel.js';

export interface JobContext {
  kernel: Kernel;
  job: { id: string; name: string; attempt: number; maxAttempts: number };
  log: Logger;
  /** Aborted when the process shuts down and the job should stop at a safe point. */
  signal: AbortSignal;
}

/** Runs a job; throwing makes it retry with backoff, until its attempts are exhausted (dead letter). */
export type JobHandler<Payload = any> = (payload: Payload, ctx: JobContext) => Promise<void>;

/** A job run once per cron schedule across all processes (the module's `jobs` entry named `job`). */
export interface ScheduleDefinition {
  name: string;
  /** Five- or six-field cron expression, evaluated in UTC unless `timezone` is given. */
  cron: string;
  job: string;
  payload?: unknown;
  timezone?: string;
}

/** Receives an event emitted through the outbox; each subscriber gets its own job (own retries). */
export interface SubscriberDefinition {
  event: string;
  name: string;
  handler: JobHandler;
}
