import { FileRejected } from './errors.js';
import { DECODABLE } from './images.js';

export type FileKind = 'image' | 'pdf';

export interface SniffedType {
  mime: string;
  kind: FileKind;
}

/**
 * The file's real type, read from its bytes. Its name and the type the client declared are never
 * trusted: `declaredType` only helps the message explain a refusal.
 */
export async function sniff(data: Buffer, declaredType?: string): Promise<SniffedType> {
  const { fileTypeFromBuffer } = await import('file-type');
  const found = await fileTypeFromBuffer(data);
  const kind = found?.mime === 'application/pdf' ? 'pdf' : found && DECODABLE.has(found.mime) ? 'image' : undefined;
  if (!found || !kind) {
    const content = found ? `is ${found.mime}` : 'is not a recognised format';
    const declared = declaredType ? ` It was sent as ${declaredType.slice(0, 100)}, but files are judged by their content.` : '';
    throw new FileRejected(
      'file.type-not-allowed',
      `This file's content ${content}. Accepted are JPEG, PNG, WebP, GIF and AVIF images, and PDF documents.${declared}`,
      415,
    );
  }
  return { mime: found.mime, kind };
}
