import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newId } from './values.js';

describe('newId', () => {
  it('is 28 hex digits, the first 12 the millisecond it was made in', () => {
    const at = Date.UTC(2026, 10, 27, 16, 0, 0, 123);
    const id = newId(at);
    expect(id).toMatch(/^[0-9a-f]{28}$/);
    expect(Number.parseInt(id.slice(0, 12), 16)).toBe(at);
  });

  it('sorts in the order ids were made, within one millisecond as across them', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 200 }), (steps) => {
        // Clock readings that stay put or move forward, as a process sees them.
        let at = Date.UTC(2026, 10, 27);
        const ids = steps.map((step) => {
          at += step;
          return newId(at);
        });
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.toSorted()).toEqual(ids);
      }),
    );
  });

  it('keeps an explicit earlier time (seeding a past date) instead of moving it forward', () => {
    const later = newId(Date.UTC(2026, 10, 27));
    const earlier = newId(Date.UTC(2024, 0, 1));
    expect(Number.parseInt(earlier.slice(0, 12), 16)).toBe(Date.UTC(2024, 0, 1));
    expect(earlier < later).toBe(true);
  });
});
