import { randomBytes } from 'node:crypto';

let seedingClock: (() => number) | null = null;

/** Now in milliseconds: the real time, or the seeding clock while `withSeedingClock` runs. */
export function nowMs(): number {
  return seedingClock ? Math.floor(seedingClock()) : Date.now();
}

/**
 * Runs `fn` with "now" given by `at`, so demo seeding writes months of believable history (every
 * time and id written inside says when). The clock is the process's: only for seeding, before the
 * process serves requests or runs jobs.
 */
export async function withSeedingClock<T>(at: () => number, fn: () => Promise<T>): Promise<T> {
  seedingClock = at;
  try {
    return await fn();
  } finally {
    seedingClock = null;
  }
}

/** Now as a UTC ISO-8601 string: the one time format stored in every table. */
export function nowIso(now: Date = new Date(nowMs())): string {
  return now.toISOString();
}

let previous = { ms: -1, random: 0n };

/**
 * A time-sortable id: 12 hex digits of milliseconds then 16 random hex digits. Sorting ids sorts by
 * creation, which keyset pagination and histories listed by id rely on. Within one millisecond, an
 * id of this process follows the one before it (its random part plus one, from 63 random bits so
 * that it never wraps): rows written one after the other keep their order.
 */
export function newId(now: number = nowMs()): string {
  const random = now === previous.ms ? previous.random + 1n : randomBytes(8).readBigUInt64BE() >> 1n;
  previous = { ms: now, random };
  return now.toString(16).padStart(12, '0') + random.toString(16).padStart(16, '0');
}

export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

export function fromJson<T>(text: string | null | undefined, fallback: T): T {
  if (text == null || text === '') return fallback;
  return JSON.parse(text) as T;
}
