import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../kernel.js';
import { assetsDir } from '../paths.js';

const IMAGE_TYPES: Record<string, string> = { '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.webp': 'image/webp' };

/** The city's colours as custom properties: theming is configuration, not a fork of the CSS. */
export function themeCss(kernel: Kernel): string {
  const c = kernel.config.city.colours;
  return `:root{--primary:${c.primary};--primary-text:${c.primaryText};--accent:${c.accent};}\n`;
}

export async function registerAssets(app: FastifyInstance, kernel: Kernel): Promise<void> {
  await app.register(fastifyStatic, { root: assetsDir, prefix: '/assets/', maxAge: '1h', index: false });
  const theme = themeCss(kernel);
  app.get('/assets/theme.css', { schema: { hide: true }, config: { public: true } }, async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(theme),
  );
  const logo = kernel.config.city.logo;
  if (logo) {
    const file = resolve(kernel.baseDir, logo);
    const body = readFileSync(file);
    const type = IMAGE_TYPES[extname(file).toLowerCase()];
    if (!type) throw new Error(`City logo ${file}: use an SVG, PNG, JPEG or WebP file.`);
    app.get('/assets/city/logo', { schema: { hide: true }, config: { public: true } }, async (_req, reply) =>
      reply
        .type(type)
        .header('cache-control', 'public, max-age=3600')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .send(body),
    );
  }
}
