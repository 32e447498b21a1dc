import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { h } from 'preact';
import { fileRoutes } from '../files/routes.js';
import type { Kernel } from '../kernel.js';
import { ErrorPage, errorTitle } from '../ui/error-page.js';
import { HomePage } from '../ui/home.js';
import { registerAssets } from './assets.js';
import { CSRF_FIELD, isFormRequest, verifyCsrf } from './csrf.js';
import { HttpError, toHttpError, toProblem } from './errors.js';
import { registerHealth } from './health.js';
import { registerMetrics } from './metrics.js';
import { enforce, type RateLimitRule } from './rate-limit.js';
import { decorateReplies } from './request-context.js';
import { installValidators } from './validation.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Open to anyone (identity declares the others' permissions). */
    public?: boolean;
    /** Form posts are checked for a CSRF token unless a route opts out (it checks it itself). */
    csrf?: boolean;
    /** This route's own limit, or `false` for none; state-changing requests default to the city's. */
    rateLimit?: RateLimitRule | false;
  }
}

export interface HttpState {
  closing: boolean;
}

function wantsJson(request: FastifyRequest): boolean {
  if (request.url.startsWith('/api/') || request.url.startsWith('/open311/')) return true;
  const accept = request.headers.accept ?? '';
  return accept.includes('json') && !accept.includes('text/html');
}

function sendError(error: HttpError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const retryAfter = (error as HttpError & { retryAfter?: number }).retryAfter;
  if (retryAfter) reply.header('retry-after', String(retryAfter));
  if (wantsJson(request)) {
    return reply
      .status(error.statusCode)
      .type('application/problem+json; charset=utf-8')
      .send(toProblem(error, String(request.id), request.url.split('?')[0] ?? '/'));
  }
  const ctx = reply.view();
  const detail = error.code === 'csrf.missing' || error.code === 'csrf.invalid' ? ctx.t('error.403.csrf') : error.message;
  return reply.page(
    errorTitle(ctx, error.statusCode),
    h(ErrorPage, { ctx, status: error.statusCode, detail, requestId: String(request.id) }),
    {
      status: error.statusCode,
    },
  );
}

/**
 * The HTTP application: kernel routes (health, metrics, assets, files, home, API docs), then each
 * enabled module's routes in its own encapsulated scope, all behind the same security hooks.
 */
export async function buildHttp(kernel: Kernel, state: HttpState = { closing: false }): Promise<FastifyInstance> {
  const { config } = kernel;
  const app = Fastify({
    loggerInstance: kernel.log as FastifyBaseLogger,
    // One line per request, written by our onResponse hook (none for health probes).
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{8,64}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: config.limits.bodyBytes,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
  });
  installValidators(app);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: `Civitas – ${config.city.name.en}`, version: '1', description: 'JSON APIs of the city’s services.' },
    },
    transform: ({ schema, url }) => {
      const api = url.startsWith('/api/') || url.startsWith('/open311/');
      return { schema: api ? schema : { ...schema, hide: true }, url };
    },
  });
  app.get('/api/docs', { schema: { hide: true }, config: { public: true } }, async () => app.swagger());

  registerHealth(app, kernel, state);

  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: config.limits.bodyBytes });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: config.trustProxy ? { maxAge: 31_536_000 } : false,
    crossOriginEmbedderPolicy: false,
  });
  decorateReplies(app, kernel);
  registerMetrics(app, kernel);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    const method = request.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return;
    const own = request.routeOptions.config.rateLimit;
    if (own === false) return;
    const rule = own ?? config.rateLimit;
    await enforce(kernel.db, `ip:${request.ip}:${own ? request.routeOptions.url : '*'}`, rule);
  });
  app.addHook('preValidation', async (request) => {
    if (request.method === 'GET' || request.method === 'HEAD' || !isFormRequest(request)) return;
    if (request.routeOptions.config.csrf === false) return;
    const body = request.body as Record<string, unknown> | undefined;
    verifyCsrf(kernel.secret, request, body?.[CSRF_FIELD]);
    if (body && typeof body === 'object') delete body[CSRF_FIELD];
  });
  // While shutting down, answer in-flight requests then close their keep-alive connections, so the
  // server's close does not wait for clients' idle timeouts.
  app.addHook('onSend', async (_request, reply) => {
    if (state.closing) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (request, reply) => {
    if (request.url === '/healthz' || request.url === '/readyz') return;
    request.log.info({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  app.setErrorHandler((err, request, reply) => {
    const error = toHttpError(err, (request.headers['content-type'] ?? '').split(';')[0]);
    if (error.statusCode >= 500) request.log.error({ err }, 'request failed');
    return sendError(error, request, reply);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(new HttpError(404, 'not-found', `No resource at ${request.method} ${request.url.split('?')[0]}.`), request, reply),
  );

  await registerAssets(app, kernel);
  await fileRoutes(app, kernel.files, { maxBytes: config.limits.uploadBytes });
  app.get('/', { schema: { hide: true }, config: { public: true } }, async (_request, reply) => {
    const ctx = reply.view();
    return reply.page(ctx.t('ui.home.title'), h(HomePage, { ctx, kernel }));
  });

  for (const mod of kernel.modules) {
    if (!mod.routes) continue;
    const settings = kernel.config.moduleSettings[mod.code];
    await app.register(async (scope) => mod.routes?.(scope, kernel, settings), { name: `module:${mod.code}` } as object);
  }
  return app;
}
