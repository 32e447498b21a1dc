import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../../../kernel/http/errors.js';
import type { Lang } from '../../../kernel/i18n/types.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { PageLibrary } from '../content.js';
import { COMMENT_MAX, recordFeedback } from '../feedback.js';
import { renderMarkdown } from '../markdown.js';

const LangSchema = Type.Union([Type.Literal('fr'), Type.Literal('en')], { default: 'fr' });
const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,80}$' });
const PageSummary = Type.Object({ slug: Type.String(), title: Type.String() });
const Page = Type.Object({ slug: Type.String(), lang: LangSchema, title: Type.String(), markdown: Type.String(), html: Type.String() });
const FeedbackBody = Type.Object(
  { useful: Type.Boolean(), comment: Type.Optional(Type.String({ maxLength: COMMENT_MAX })), lang: Type.Optional(LangSchema) },
  { additionalProperties: false },
);

export function pageApi(app: FastifyInstance, kernel: Kernel, library: PageLibrary): void {
  const find = (slug: string) => {
    const page = library.get(slug);
    if (!page) throw new HttpError(404, 'not-found', `No page "${slug}".`);
    return page;
  };

  app.get<{ Querystring: { lang: Lang } }>(
    '/api/v1/pages',
    {
      config: { public: true },
      schema: {
        tags: ['pages'],
        summary: 'List content pages',
        querystring: Type.Object({ lang: LangSchema }),
        response: { 200: Type.Array(PageSummary) },
      },
    },
    async (request) => [...library.values()].map((p) => ({ slug: p[request.query.lang].slug, title: p[request.query.lang].title })),
  );

  app.get<{ Params: { slug: string }; Querystring: { lang: Lang } }>(
    '/api/v1/pages/:slug',
    {
      config: { public: true },
      schema: {
        tags: ['pages'],
        summary: 'One content page, as Markdown and HTML',
        params: Type.Object({ slug: Slug }),
        querystring: Type.Object({ lang: LangSchema }),
        response: { 200: Page },
      },
    },
    async (request) => {
      const content = find(request.params.slug)[request.query.lang];
      return { ...content, lang: request.query.lang, html: renderMarkdown(content.markdown) };
    },
  );

  app.post<{ Params: { slug: string }; Body: { useful: boolean; comment?: string; lang?: Lang } }>(
    '/api/v1/pages/:slug/feedback',
    {
      config: { public: true, rateLimit: { max: 10, windowSeconds: 600 } },
      schema: {
        tags: ['pages'],
        summary: 'Say whether a page was useful',
        params: Type.Object({ slug: Slug }),
        body: FeedbackBody,
        response: { 201: Type.Object({ id: Type.String() }) },
      },
    },
    async (request, reply) => {
      find(request.params.slug);
      const { useful, comment, lang } = request.body;
      const trimmed = comment?.trim();
      const id = await recordFeedback(kernel.db, {
        slug: request.params.slug,
        useful,
        ...(trimmed ? { comment: trimmed } : {}),
        lang: lang ?? kernel.config.city.defaultLanguage,
      });
      return reply.status(201).send({ id });
    },
  );
}
