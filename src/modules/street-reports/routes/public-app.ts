import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../../kernel/kernel.js';
import { assetsDir } from '../../../kernel/paths.js';

/**
 * The reporting pages as an installable app: a web app manifest in the city's name, colours and
 * language, and a service worker whose scope is the reporting pages.
 */
export async function publicAppRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  const city = kernel.config.city;
  // Served from /reports/ rather than /assets/: a worker's scope is at most its own folder.
  const worker = readFileSync(join(assetsDir, 'reports-service-worker.js'), 'utf8');
  app.get('/reports/app.webmanifest', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    const { t, lang } = reply.view();
    const manifest = {
      name: t('street-reports.app.name', { city: city.name[lang] }),
      short_name: t('street-reports.app.shortName'),
      description: t('street-reports.app.description'),
      lang,
      start_url: '/reports/new',
      scope: '/reports/',
      display: 'standalone',
      background_color: '#ffffff',
      theme_color: city.colours.primary,
      icons: city.logo ? [{ src: '/assets/city/logo', sizes: 'any', purpose: 'any' }] : [],
    };
    return reply
      .type('application/manifest+json; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(JSON.stringify(manifest));
  });
  app.get('/reports/service-worker.js', { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(worker),
  );
}
