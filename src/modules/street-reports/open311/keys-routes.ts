import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { HttpError } from '../../../kernel/http/errors.js';
import { actingOf, adminPage, field } from '../../../kernel/identity/agents/http.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { FieldError } from '../../../kernel/ui/components.js';
import { createKey, listKeys, revokeKey } from './keys.js';
import { KEYS_PATH, KeysPage } from './keys-page.js';

export const KEYS_PERMISSION = 'street-reports.open311-keys';
const config = { permission: KEYS_PERMISSION };
const idParams = { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9a-f]{28}$' } }, required: ['id'] } as const;

/** The back-office page where administrators issue and revoke Open311 keys. */
export function open311KeyRoutes(app: FastifyInstance, kernel: Kernel): void {
  app.get(KEYS_PATH, { config }, async (request, reply) => {
    const ctx = reply.view();
    const keys = await listKeys(kernel.db);
    const revoked = keys.find((k) => k.id === field(request.query, 'revoked') && k.revokedAt)?.name;
    return adminPage(kernel, request, reply, ctx.t('street-reports.open311.keys.title'), h(KeysPage, { ctx, keys, revoked }));
  });

  app.post(KEYS_PATH, { config }, async (request, reply) => {
    const ctx = reply.view();
    const name = field(request.body, 'name');
    let created: { name: string; key: string } | undefined;
    let errors: FieldError[] = [];
    try {
      created = { name: name.trim(), key: (await createKey(kernel.db, actingOf(request), name)).key };
    } catch (err) {
      if (!(err instanceof HttpError) || err.statusCode !== 400) throw err;
      errors = err.fields.map((f) => ({ field: f.field, message: ctx.t(f.message) }));
    }
    // The key is shown in this answer only (never in a URL, never stored): no redirect, no cache.
    reply.header('cache-control', 'no-store');
    const page = h(KeysPage, { ctx, keys: await listKeys(kernel.db), created, errors, name: created ? '' : name });
    return adminPage(kernel, request, reply, ctx.t('street-reports.open311.keys.title'), page, created ? 200 : 400);
  });

  app.post<{ Params: { id: string } }>(`${KEYS_PATH}/:id/revoke`, { config, schema: { params: idParams } }, async (request, reply) => {
    const key = await revokeKey(kernel.db, actingOf(request), request.params.id);
    return reply.redirect(`${KEYS_PATH}?revoked=${key.id}`, 303);
  });
}
