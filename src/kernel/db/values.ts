import { randomBytes } from 'node:crypto';

/** Now as a UTC ISO-8601 string: the one time format stored in every table. */
export function nowIso(now: Date = new Date()): string {
  return now.toISOString();
}

/**
 * A time-sortable id: 12 hex digits of milliseconds then 16 random hex digits. Sorting ids sorts by
 * creation, which keyset pagination relies on.
 */
export function newId(now: number = Date.now()): string {
  return now.toString(16).padStart(12, '0') + randomBytes(8).toString('hex');
}

export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

export function fromJson<T>(text: string | null | undefined, fallback: T): T {
  if (text == null || text === '') return fallback;
  return JSON.parse(text) as T;
}
