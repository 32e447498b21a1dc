import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEAP_GROWING_PERCENT, heapGrowingPercent } from './heap-growth.js';

const HERE = dirname(fileURLToPath(import.meta.url));

describe('heap growth of the web server', () => {
  it('is 50 % by default, 0 leaves V8 its own, anything else is refused clearly', () => {
    expect(heapGrowingPercent({})).toBe(DEFAULT_HEAP_GROWING_PERCENT);
    expect(heapGrowingPercent({ CIVITAS_HEAP_GROWING_PERCENT: '' })).toBe(DEFAULT_HEAP_GROWING_PERCENT);
    expect(heapGrowingPercent({ CIVITAS_HEAP_GROWING_PERCENT: '0' })).toBe(0);
    expect(heapGrowingPercent({ CIVITAS_HEAP_GROWING_PERCENT: '30' })).toBe(30);
    for (const bad of ['-1', '1.5', 'half', '5000']) {
      expect(() => heapGrowingPercent({ CIVITAS_HEAP_GROWING_PERCENT: bad })).toThrow(
        `CIVITAS_HEAP_GROWING_PERCENT must be an integer from 0 to 1000 (0: V8's own growth), not "${bad}".`,
      );
    }
  });

  it('keeps the heap near what the last full collection kept', () => {
    // ~50 MB kept live while replacing 1 GB of it: V8's own growth lets the heap reach about twice
    // what the default 50 % allows (340 against 150 MB with twice these sizes, measured).
    const script = `
      import v8 from 'node:v8';
      import { limitHeapGrowth } from '${HERE}/heap-growth.ts';
      limitHeapGrowth();
      const fresh = () => Array.from({ length: 10000 }, (_, j) => ({ j }));
      const live = Array.from({ length: 100 }, fresh);
      let peak = 0;
      for (let i = 0; i < 1500; i++) {
        live[i % 100] = fresh();
        peak = Math.max(peak, v8.getHeapStatistics().used_heap_size);
      }
      process.stdout.write(String(peak));`;
    const peakMb = (percent: string) =>
      Number(
        execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          encoding: 'utf8',
          env: { ...process.env, CIVITAS_HEAP_GROWING_PERCENT: percent },
        }),
      ) /
      2 ** 20;
    const [limited, free] = [peakMb(''), peakMb('0')];
    expect(limited).toBeGreaterThan(40);
    expect(limited).toBeLessThan(free * 0.7);
  });
});
