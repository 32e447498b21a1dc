import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FileNotFound, FileRejected, fileTooLarge } from './errors.js';
import { contentDisposition } from './filename.js';
import type { Files, FileVariant } from './service.js';

const storedFileSchema = {
  type: 'object',
  required: ['id', 'mime', 'size', 'width', 'height', 'url'],
  properties: {
    id: { type: 'string' },
    mime: { type: 'string' },
    size: { type: 'integer', description: 'Bytes stored, after re-encoding.' },
    width: { type: ['integer', 'null'] },
    height: { type: ['integer', 'null'] },
    url: { type: 'string' },
    thumbnailUrl: { type: 'string' },
  },
} as const;

const idParams = {
  type: 'object',
  required: ['id'],
  // newId(): 12 hex digits of time then 16 random ones. Anything else, traversal included, is a 400.
  properties: { id: { type: 'string', pattern: '^[0-9a-f]{28}$' } },
} as const;

type ById = { Params: { id: string } };

/**
 * Upload (`POST /api/v1/files`) and download (`GET /files/:id`, `GET /files/:id/thumb`) of files.
 * Multipart parsing is registered in its own scope so no other route accepts multipart bodies.
 */
export async function fileRoutes(app: FastifyInstance, files: Files, opts: { maxBytes: number }): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: opts.maxBytes, files: 1, fields: 5 },
      // We check truncation ourselves to answer with our own error.
      throwFileSizeLimit: false,
      // Keep the name as sent, so a path in it is refused instead of silently cut to its last part.
      preservePath: true,
    });

    scope.post(
      '/api/v1/files',
      {
        // Anonymous residents attach photos to reports, and apps upload without a page: the upload is
        // only pending (nothing is published until a form that checks its token attaches it).
        config: { public: true, csrf: false, rateLimit: { max: 30, windowSeconds: 600 } },
        schema: {
          tags: ['files'],
          summary: 'Upload a file (JPEG, PNG, WebP, GIF or AVIF image, or PDF)',
          description:
            'multipart/form-data with the file in field `file`. Images are re-encoded (JPEG, or PNG when transparent) without metadata. ' +
            'The file stays pending until attached to something; pending files are deleted after a while.',
          consumes: ['multipart/form-data'],
          response: { 201: storedFileSchema },
        },
      },
      async (request, reply) => {
        if (!request.isMultipart()) {
          throw new FileRejected('file.not-multipart', 'Send the file as multipart/form-data, in a field named "file".', 415);
        }
        const part = await request.file();
        if (part?.fieldname !== 'file') {
          throw new FileRejected('file.missing', 'No file was sent: put it in the multipart field named "file".');
        }
        const data = await part.toBuffer();
        if (part.file.truncated) throw fileTooLarge(opts.maxBytes);
        const stored = await files.store({ data, filename: part.filename, declaredType: part.mimetype });
        return reply.status(201).header('location', stored.url).send(stored);
      },
    );

    const serve = (variant: FileVariant) => async (request: FastifyRequest<ById>, reply: FastifyReply) => {
      const content = await files.read(request.params.id, variant);
      if (!content) throw new FileNotFound();
      reply.headers({
        'content-type': content.mime,
        'x-content-type-options': 'nosniff',
        'content-disposition': contentDisposition(content.file.originalName, content.mime),
        // Even if a browser renders the file as a document, it runs nothing and loads nothing.
        'content-security-policy': "default-src 'none'; sandbox",
        // Content never changes under an id.
        'cache-control': 'public, max-age=31536000, immutable',
      });
      if (content.size !== undefined) reply.header('content-length', content.size);
      return reply.send(content.stream);
    };

    scope.get<ById>(
      '/files/:id',
      { config: { public: true }, schema: { tags: ['files'], summary: 'Download a file', params: idParams } },
      serve('original'),
    );
    scope.get<ById>(
      '/files/:id/thumb',
      {
        config: { public: true },
        schema: { tags: ['files'], summary: "Download an image's thumbnail (WebP, at most 320 pixels wide and high)", params: idParams },
      },
      serve('thumb'),
    );
  });
}
