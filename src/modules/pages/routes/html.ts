import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { HttpError } from '../../../kernel/http/errors.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { PageLibrary } from '../content.js';
import { parseFeedbackForm, recordFeedback } from '../feedback.js';
import { renderMarkdown } from '../markdown.js';
import { ContentPage, type FeedbackState, PageIndex } from '../views/page.js';

const slugParams = {
  type: 'object',
  // No pattern: any unknown slug, however odd, is simply a page that does not exist (404).
  properties: { slug: { type: 'string', maxLength: 100 } },
  required: ['slug'],
} as const;

/** The privacy page, completed with the retention rules the enabled modules declare. */
const PRIVACY = 'donnees-personnelles';

export function pageRoutes(app: FastifyInstance, kernel: Kernel, library: PageLibrary): void {
  // Each page is rendered on its first view, then kept: rendering every page at start made the
  // server slower to answer its first request.
  const html = new Map<string, string>();
  const htmlOf = (slug: string, lang: string, markdown: string) => {
    const key = `${lang}:${slug}`;
    let rendered = html.get(key);
    if (rendered === undefined) {
      rendered = renderMarkdown(markdown);
      html.set(key, rendered);
    }
    return rendered;
  };
  const find = (slug: string) => {
    const page = library.get(slug);
    if (!page) throw new HttpError(404, 'not-found', `No page "${slug}".`);
    return page;
  };

  app.get('/pages', { config: { public: true } }, async (_request, reply) => {
    const ctx = reply.view();
    const pages = [...library.values()].map((p) => p[ctx.lang]).sort((a, b) => a.title.localeCompare(b.title, ctx.lang));
    return reply.page(ctx.t('pages.index.title'), h(PageIndex, { ctx, pages }));
  });

  const retention = kernel.modules.flatMap((m) => m.retention ?? []).map(({ what, why, days }) => ({ what, why, days }));
  const show = (slug: string, reply: import('fastify').FastifyReply, feedback: FeedbackState, status = 200) => {
    const page = find(slug);
    const ctx = reply.view();
    const content = page[ctx.lang];
    const props = {
      ctx,
      page: content,
      html: htmlOf(slug, ctx.lang, content.markdown),
      feedback,
      ...(slug === PRIVACY ? { retention } : {}),
    };
    return reply.page(content.title, h(ContentPage, props), { status });
  };

  app.get<{ Params: { slug: string }; Querystring: { feedback?: string } }>(
    '/pages/:slug',
    {
      config: { public: true },
      schema: {
        params: slugParams,
        querystring: { type: 'object', properties: { feedback: { type: 'string' }, lang: { type: 'string' } } },
      },
    },
    async (request, reply) => show(request.params.slug, reply, { sent: request.query.feedback === 'sent' }),
  );

  // Post/redirect/get: a reload never posts twice, and the thanks message survives without JavaScript.
  app.post<{ Params: { slug: string }; Body: Record<string, unknown> }>(
    '/pages/:slug/feedback',
    { config: { public: true, rateLimit: { max: 10, windowSeconds: 600 } }, schema: { params: slugParams } },
    async (request, reply) => {
      find(request.params.slug);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const parsed = parseFeedbackForm(body);
      if ('problems' in parsed) {
        const values = { useful: String(body.useful ?? ''), comment: String(body.comment ?? '') };
        return show(request.params.slug, reply, { problems: parsed.problems, values }, 400);
      }
      await recordFeedback(kernel.db, { slug: request.params.slug, ...parsed, lang: reply.view().lang });
      return reply.redirect(`/pages/${request.params.slug}?feedback=sent#feedback`, 303);
    },
  );
}
