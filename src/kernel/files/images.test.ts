import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { processImage } from './images.js';

const jpeg = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#3366aa' } })
    .jpeg()
    .toBuffer();

describe('processImage', () => {
  it('re-encodes images given at once, one after the other, in the order given; a bad one stops none of the others', async () => {
    const [small, large] = await Promise.all([jpeg(400, 300), jpeg(3000, 1500)]);
    const finished: string[] = [];
    const track = (name: string, work: Promise<unknown>) => work.finally(() => finished.push(name));
    const results = await Promise.allSettled([
      track('large', processImage(large, 'image/jpeg', 50_000_000)),
      track('broken', processImage(Buffer.from('not an image at all'), 'image/jpeg', 50_000_000)),
      track('small', processImage(small, 'image/jpeg', 50_000_000)),
    ]);
    // Run side by side, the small image would be done long before the large one.
    expect(finished).toEqual(['large', 'broken', 'small']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[0]).toMatchObject({ value: { mime: 'image/jpeg', width: 2048, height: 1024 } });
    expect(results[1]).toMatchObject({ reason: { code: 'file.unreadable-image' } });
    expect(results[2]).toMatchObject({ value: { width: 400, height: 300 } });
  });
});
