import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { HttpError } from '../http/errors.js';
import { LANGS } from '../i18n/types.js';
import { actingOf, adminPage, field } from '../identity/agents/http.js';
import type { Kernel } from '../kernel.js';
import type { FieldError } from '../ui/components.js';
import { config } from './admin-routes.js';
import { saveTemplateVersion, unusedPlaceholders } from './template-edit.js';
import {
  currentTemplate,
  type NotificationTemplateDefinition,
  TEMPLATE_CODE,
  type TemplateContents,
  templateRegistry,
  templateVersions,
} from './templates.js';
import { TemplateFormPage, TemplatesPage } from './views/templates.js';

const codeParams = { type: 'object', properties: { code: { type: 'string', pattern: TEMPLATE_CODE.source } }, required: ['code'] } as const;

function contentsOf(body: unknown): TemplateContents {
  const text = (lang: string, part: string) => field(body, `${lang}_${part}`);
  const [fr, en] = LANGS.map((lang) => ({ subject: text(lang, 'subject'), body: text(lang, 'body'), sms: text(lang, 'sms') }));
  return { fr: fr as TemplateContents['fr'], en: en as TemplateContents['en'] };
}

export function templateRoutes(app: FastifyInstance, kernel: Kernel): void {
  const registry = templateRegistry(kernel);
  const definition = (code: string): NotificationTemplateDefinition => {
    const def = registry.get(code);
    if (!def) throw new HttpError(404, 'not-found', `No notification template ${code}.`);
    return def;
  };

  const form = async (
    request: FastifyRequest,
    reply: FastifyReply,
    def: NotificationTemplateDefinition,
    state: { values?: TemplateContents; baseVersion?: number; errors?: FieldError[]; notice?: string },
  ) => {
    const ctx = reply.view();
    const versions = await templateVersions(kernel.db, def);
    const current = versions[0] ?? (await currentTemplate(kernel.db, def));
    const errors = state.errors ?? [];
    const page = h(TemplateFormPage, {
      ctx,
      def,
      values: state.values ?? current.contents,
      baseVersion: state.baseVersion ?? current.version,
      versions,
      errors,
      notice: state.notice,
    });
    return adminPage(
      kernel,
      request,
      reply,
      ctx.t('notifications.templates.edit', { code: def.code }),
      page,
      errors.length ? 400 : undefined,
    );
  };

  app.get('/admin/notifications/templates', { config }, async (request, reply) => {
    const ctx = reply.view();
    const templates = await Promise.all(
      [...registry.values()]
        .sort((a, b) => a.code.localeCompare(b.code))
        .map(async (def) => ({ def, version: (await currentTemplate(kernel.db, def)).version })),
    );
    return adminPage(kernel, request, reply, ctx.t('notifications.templates.title'), h(TemplatesPage, { ctx, templates }));
  });

  app.get<{ Params: { code: string } }>(
    '/admin/notifications/templates/:code',
    { config, schema: { params: codeParams } },
    async (request, reply) => {
      const def = definition(request.params.code);
      const ctx = reply.view();
      const saved = Number(field(request.query, 'saved'));
      let notice: string | undefined;
      if (saved) {
        // Recomputed from the stored version rather than carried in the address, which anyone can write.
        const unused = [...new Set(Object.values(unusedPlaceholders(def, (await currentTemplate(kernel.db, def)).contents)).flat())];
        notice = ctx.t('notifications.templates.saved', { version: saved });
        if (unused.length) notice += ` ${ctx.t('notifications.templates.unused', { names: unused.map((n) => `((${n}))`).join(', ') })}`;
      }
      return form(request, reply, def, { notice });
    },
  );

  app.post<{ Params: { code: string } }>(
    '/admin/notifications/templates/:code',
    { config, schema: { params: codeParams } },
    async (request, reply) => {
      const def = definition(request.params.code);
      const values = contentsOf(request.body);
      const baseVersion = Number.parseInt(field(request.body, 'base_version'), 10);
      if (!Number.isInteger(baseVersion) || baseVersion < 0)
        throw new HttpError(400, 'validation', 'The form lacks the version it was opened on (base_version).');
      const result = await saveTemplateVersion(kernel.db, actingOf(request), def, values, baseVersion);
      if (!result.ok) {
        const t = reply.view().t;
        // One entry per field in the summary, however many problems it has.
        const byField = new Map<string, string[]>();
        for (const p of result.problems) byField.set(p.field, [...(byField.get(p.field) ?? []), t(p.key, p.params)]);
        const errors = [...byField].map(([name, messages]) => ({ field: name, message: messages.join(' ') }));
        return form(request, reply, def, { values, baseVersion, errors });
      }
      return reply.redirect(`/admin/notifications/templates/${def.code}?saved=${result.version}`, 303);
    },
  );
}
