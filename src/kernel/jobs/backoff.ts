const BASE_MS = 2_000;
const CAP_MS = 60 * 60 * 1_000;

/**
 * Delay before retrying after failed attempt number `attempt` (1-based): 2 s doubling up to 1 h.
 * Half of it is random so jobs that failed together (say, a partner API was down) do not all
 * retry in the same instant.
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
