import { join, resolve } from 'node:path';
import { z } from 'zod';
import { defineModule } from '../../kernel/modules.js';
import { projectRoot } from '../../kernel/paths.js';
import { loadPages } from './content.js';
import { pagesMessages } from './messages.js';
import { feedbackTable } from './migrations/0001_feedback.js';
import { pageApi } from './routes/api.js';
import { pageRoutes } from './routes/html.js';

/** Built-in pages are read from the sources, whether the code runs from `src/` or `dist/`. */
const builtIn = join(projectRoot, 'src/modules/pages/content');

const settings = z
  .object({
    /** A folder of `<slug>.<lang>.md` files, relative to the city configuration, that add or replace pages. */
    contentDir: z.string().default('pages'),
  })
  .strict();

export default defineModule<z.infer<typeof settings>>({
  code: 'pages',
  settings,
  migrations: { '0001_feedback': feedbackTable },
  messages: pagesMessages,
  navigation: {
    public: [{ href: '/pages', label: 'pages.nav.index', description: 'pages.nav.indexDescription', order: 900 }],
    footer: [
      { href: '/pages/accessibilite', label: 'pages.nav.accessibility', order: 1 },
      { href: '/pages/mentions-legales', label: 'pages.nav.legal', order: 2 },
      { href: '/pages/donnees-personnelles', label: 'pages.nav.privacy', order: 3 },
    ],
  },
  routes(app, kernel, options) {
    const library = loadPages([builtIn, resolve(kernel.baseDir, options.contentDir)], kernel.config.city);
    for (const required of ['accessibilite', 'mentions-legales', 'donnees-personnelles']) {
      if (!library.has(required)) throw new Error(`The pages module needs a "${required}" page.`);
    }
    pageRoutes(app, kernel, library);
    pageApi(app, kernel, library);
  },
  retention: [
    {
      name: 'feedback',
      what: 'pages.retention.feedback.what',
      why: 'pages.retention.feedback.why',
      days: 365,
      async apply(kernel, before) {
        const result = await kernel.db.deleteFrom('page_feedback').where('created_at', '<', before.toISOString()).executeTakeFirst();
        return Number(result.numDeletedRows);
      },
    },
  ],
});
