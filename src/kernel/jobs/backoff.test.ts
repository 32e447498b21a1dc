import { describe, expect, it } from 'vitest';
import { backoffMs } from './backoff.js';

describe('backoffMs', () => {
  it('doubles from 2 s, half of it random', () => {
    expect(backoffMs(1, () => 0)).toBe(1_000);
    expect(backoffMs(1, () => 1)).toBe(2_000);
    expect(backoffMs(2, () => 1)).toBe(4_000);
    expect(backoffMs(5, () => 0.5)).toBe(24_000);
  });

  it('never waits more than an hour', () => {
    expect(backoffMs(30, () => 1)).toBe(3_600_000);
    expect(backoffMs(1_000, () => 0)).toBe(1_800_000);
  });
});
