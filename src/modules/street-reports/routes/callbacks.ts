import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../../../kernel/http/errors.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { authenticateItemCallback } from '../../../kernel/webhooks/incoming.js';
import { COMMENT_MAX_LENGTH } from '../../../kernel/workflow/fields.js';
import {
  applyContractorCallback,
  CALLBACK_ACTIONS,
  CALLBACK_BODY_BYTES,
  type CallbackTarget,
  type ContractorCallback,
  PHOTO_MAX_BYTES,
  reportForCallback,
} from '../domain/callbacks.js';
import { reportSubject } from '../domain/contractor.js';
import { settingsOf } from '../domain/settings.js';
import { simulatorRoutes } from '../simulator/built-in.js';

const CallbackBody = Type.Object(
  {
    id: Type.String({ pattern: '^[\\w.:-]{1,200}$', description: 'Unique per callback: a repeat is answered 409 and not applied.' }),
    status: Type.Union(
      Object.keys(CALLBACK_ACTIONS).map((s) => Type.Literal(s)),
      { description: 'scheduled (with date), done (with comment, optional photo), rejected or requalify (with comment: the reason)' },
    ),
    date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Planned date (YYYY-MM-DD), for "scheduled".' })),
    comment: Type.Optional(Type.String({ maxLength: COMMENT_MAX_LENGTH })),
    photo: Type.Optional(
      Type.String({
        description: `"After" photo for "done": a JPEG, PNG, WebP, GIF or AVIF image of at most ${PHOTO_MAX_BYTES / 1_048_576} MB, in base64 or as a data: URL.`,
      }),
    ),
  },
  { additionalProperties: false },
);

const CallbackResult = Type.Object({
  id: Type.String(),
  reference: Type.String(),
  state: Type.String({ description: 'The report’s state after the callback.' }),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
});

/** The report found (404) and the token checked (401) before the body's validation: strangers learn nothing of it. */
const targets = new WeakMap<FastifyRequest, CallbackTarget>();

/** The contractors' callback API, and the demo's built-in contractor when the city enables it. */
export async function contractorRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  app.post<{ Params: { id: string }; Body: ContractorCallback }>(
    '/api/v1/street-reports/:id/callbacks',
    {
      // A server calls with the report's token, not a browser: no session, so no CSRF token either.
      config: { public: true, csrf: false },
      bodyLimit: CALLBACK_BODY_BYTES,
      schema: {
        tags: ['street-reports'],
        summary: 'A contractor reports progress on a work order',
        description:
          'Authenticated by the work order’s token (`Authorization: Bearer <token>`, sent with the order). Answers 401 for a wrong token, 404 for an unknown report, 409 for a repeated callback id or a status the report’s state does not allow, 413 for a photo over the limit, 415 for a body that is not JSON or a photo that is not an image; a refused callback changes nothing.',
        params: Type.Object({ id: Type.String({ pattern: '^[\\w-]{1,64}$' }) }),
        body: CallbackBody,
        response: { 200: CallbackResult },
      },
      preValidation: async (request) => {
        const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
        if (type !== 'application/json') {
          throw new HttpError(415, 'body.unsupported-type', 'Callbacks are JSON (Content-Type: application/json).');
        }
        const report = await reportForCallback(kernel.db, request.params.id);
        authenticateItemCallback(request, kernel, reportSubject(report.id));
        targets.set(request, report);
      },
    },
    async (request) => applyContractorCallback(kernel, targets.get(request)!, request.body),
  );

  if (settingsOf(kernel).simulator) await simulatorRoutes(app, kernel);
}
