import { FileRejected } from './errors.js';

// Bidirectional overrides are refused with control characters: they disguise "gpj.exe" as "exe.jpg".
const UNSAFE = /[/\\\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

/**
 * The name is only ever displayed and offered on download (storage keys are generated), but a
 * name that looks like a path or hides characters is refused rather than silently rewritten.
 */
export function checkFilename(name: string): void {
  if (name.trim() === '' || name.length > 255 || UNSAFE.test(name) || name.includes('..')) {
    throw new FileRejected(
      'file.name-invalid',
      'The file name must have 1 to 255 characters, without slashes, backslashes, ".." or control characters.',
    );
  }
}

const EXTENSIONS = new Map([
  ['image/jpeg', 'jpg'],
  ['image/png', 'png'],
  ['image/webp', 'webp'],
  ['application/pdf', 'pdf'],
]);

/** The extension of a type we store (re-encoded images, thumbnails, PDF). */
export function extensionFor(mime: string): string {
  const ext = EXTENSIONS.get(mime);
  if (!ext) throw new Error(`No extension known for stored type ${mime}`);
  return ext;
}

/**
 * Images are shown in the browser; anything else is downloaded. The offered name keeps the
 * uploaded base name but takes the extension of what is served, which re-encoding may have changed.
 */
export function contentDisposition(originalName: string, mime: string): string {
  const name = `${originalName.replace(/\.[^.]*$/, '') || 'file'}.${extensionFor(mime)}`;
  // The plain `filename` is for old clients: ASCII without accents, quotes or escapes.
  const ascii = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const utf8 = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const disposition = mime.startsWith('image/') ? 'inline' : 'attachment';
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}
