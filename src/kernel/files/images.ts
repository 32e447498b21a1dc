import type { Metadata } from 'sharp';
import { FileRejected } from './errors.js';

/** Larger images are scaled down to fit: enough for any screen, far less to store and serve. */
const MAX_SIDE = 2048;
const THUMB_SIDE = 320;
export const THUMBNAIL_MIME = 'image/webp';

/**
 * The image types we accept, with the name sharp gives their format. HEIC is absent: sharp's
 * prebuilt binaries cannot decode HEVC, and every image must be re-encoded.
 */
export const DECODABLE = new Map([
  ['image/jpeg', 'jpeg'],
  ['image/png', 'png'],
  ['image/webp', 'webp'],
  ['image/gif', 'gif'],
  ['image/avif', 'heif'],
]);

export interface ProcessedImage {
  data: Buffer;
  mime: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
  thumbnail: Buffer;
}

function unreadable(): FileRejected {
  return new FileRejected('file.unreadable-image', 'The image could not be read: it is damaged or not really an image.');
}

/**
 * Re-encodes an uploaded image so that what we serve is pixels we produced: no metadata (EXIF with
 * GPS position, XMP, comments), no trailing payload, upright, and of bounded size.
 *
 * The scale down uses the Mitchell filter: a phone photo is reduced about twofold, where it looks like
 * Lanczos's at less cost; its smoother output also compresses better, so the JPEG skips the Huffman
 * optimisation pass and still weighs what it did with Lanczos and that pass. The thumbnail is made
 * from the re-encoded image, not the upload: it is far smaller to decode, and keeping the scaled
 * pixels raw in between would cost more in copies and garbage collection of their large buffer than
 * it saves.
 */
export function processImage(input: Buffer, mime: string, maxPixels: number): Promise<ProcessedImage> {
  return oneAtATime(() => reencode(input, mime, maxPixels));
}

/**
 * Images are re-encoded one at a time in a process: libvips already spreads one image over every
 * core, and each 12-megapixel photo in flight holds tens of MB of native memory, which the C
 * allocator keeps after. Two at a time on 2 cores took RSS to 218-250 MB; one at a time keeps it under
 * 200 MB for about 30 % fewer uploads per second (JPEG decoding itself runs on one thread).
 */
let queue: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => undefined);
  return run;
}

async function reencode(input: Buffer, mime: string, maxPixels: number): Promise<ProcessedImage> {
  // Loaded on the first upload: libvips costs start-up time and memory to processes that never see one.
  const sharp = await loadSharp();
  // Reading the header decodes no pixels, so a decompression bomb is refused before it inflates.
  let header: Metadata;
  try {
    header = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw unreadable();
  }
  // libvips picks its decoder by its own sniffing: make sure it is the one for the type we accepted.
  if (header.format !== DECODABLE.get(mime) || !header.width || !header.height) throw unreadable();
  if (header.width * header.height > maxPixels) {
    throw new FileRejected(
      'file.image-too-large',
      `The image is ${header.width}x${header.height} pixels; at most ${maxPixels.toLocaleString('en')} pixels are accepted.`,
      413,
    );
  }
  // limitInputPixels again, in case a decoder disagrees with the header it reported.
  const pipeline = sharp(input, { limitInputPixels: maxPixels, failOn: 'error' })
    .autoOrient()
    .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true, kernel: 'mitchell' });
  // JPEG has no transparency: images that may be transparent (GIF always may) become PNG rather
  // than gain a black background.
  const encoded = header.hasAlpha ? pipeline.png() : pipeline.jpeg({ quality: 82, mozjpeg: false, optimiseCoding: false });
  try {
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    const thumbnail = await sharp(data)
      .resize({ width: THUMB_SIDE, height: THUMB_SIDE, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer();
    return { data, mime: header.hasAlpha ? 'image/png' : 'image/jpeg', width: info.width, height: info.height, thumbnail };
  } catch {
    throw unreadable();
  }
}

type Sharp = typeof import('sharp')['default'];
let loaded: Promise<Sharp> | undefined;

/**
 * sharp, set up once. Its operation cache is off: every upload is a new image, so cached results are
 * never reused and would only hold memory (decoded regions of 12-megapixel photos).
 */
function loadSharp(): Promise<Sharp> {
  loaded ??= import('sharp').then(({ default: sharp }) => {
    sharp.cache(false);
    return sharp;
  });
  return loaded;
}
