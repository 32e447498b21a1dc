import { randomBytes } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { h } from 'preact';
import { demandRoutes } from '../demands/routes.js';
import { fileRoutes } from '../files/routes.js';
import { identityRoutes } from '../identity/routes.js';
import type { Kernel } from '../kernel.js';
import { notificationRoutes } from '../notifications/routes.js';
import { ErrorPage, errorTitle } from '../ui/error-page.js';
import { HomePage } from '../ui/home.js';
import { renderPage } from '../ui/render.js';
import { webhookRoutes } from '../webhooks/routes.js';
import { workflowRoutes } from '../workflow/routes.js';
import { installAccess, installRouteRules } from './access.js';
import { registerAssets } from './assets.js';
import { CSRF_FIELD, isFormRequest, verifyCsrf } from './csrf.js';
import { HttpError, toHttpError, toProblem } from './errors.js';
import { registerHealth } from './health.js';
import { lazyChildLogger } from './lazy-logger.js';
import { registerMetrics } from './metrics.js';
import { enforce, type RateLimitRule } from './rate-limit.js';
import { decorateReplies, requestLang } from './request-context.js';
import { securityHeaders } from './security-headers.js';
import { lazySerializers, rememberSerializers } from './serialization.js';
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

/**
 * Request ids unique across processes without a random draw per request: a random prefix for the
 * process, then a counter.
 */
const requestIdPrefix = randomBytes(6).toString('base64url');
let requestCounter = 0;
function nextRequestId(): string {
  requestCounter = (requestCounter + 1) % Number.MAX_SAFE_INTEGER;
  return `${requestIdPrefix}-${requestCounter.toString(36)}`;
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
  const page = h(ErrorPage, { ctx, status: error.statusCode, code: error.code, requestId: String(request.id) });
  return reply.page(errorTitle(ctx, error.statusCode), page, { status: error.statusCode });
}

/**
 * The HTTP application: kernel routes (health, metrics, assets, files, home, API docs), then each
 * enabled module's routes in its own encapsulated scope, all behind the same security hooks.
 */
export async function buildHttp(kernel: Kernel, state: HttpState = { closing: false }): Promise<FastifyInstance> {
  const { config } = kernel;
  const serializers = lazySerializers();
  const app = Fastify({
    schemaController: { compilersFactory: { buildSerializer: serializers.factory } },
    loggerInstance: kernel.log as FastifyBaseLogger,
    // One line per request, written by our onResponse hook (none for health probes).
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyChildLogger,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{8,64}$/.test(given) ? given : nextRequestId();
    },
    bodyLimit: config.limits.bodyBytes,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
  });
  rememberSerializers(app, serializers.compileAll);
  installValidators(app);
  installRouteRules(app);
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
  // Probes stay outside the scope below: no hook runs for them, so they answer at the cost of a bare route.
  registerHealth(app, kernel, state);
  await app.register(async (web) => webScope(web, kernel, state));
  return app;
}

/** Everything but the probes: security headers, sessions, CSRF, rate limits, metrics, then the routes. */
async function webScope(app: FastifyInstance, kernel: Kernel, state: HttpState): Promise<void> {
  const { config } = kernel;
  // First, so that every answer, refusals included, carries them.
  const headers = securityHeaders({ hsts: config.trustProxy });
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers);
    reply.header('x-request-id', request.id);
    done();
  });
  await app.register(fastifyCookie);
  installAccess(app, kernel);
  await app.register(fastifyFormbody, { bodyLimit: config.limits.bodyBytes });
  decorateReplies(app, kernel);
  registerMetrics(app, kernel);
  app.get('/api/docs', { schema: { hide: true }, config: { public: true } }, async () => app.swagger());

  app.addHook('onRequest', (request, _reply, done) => {
    const method = request.method;
    const declared = request.routeOptions.config.rateLimit;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || declared === false) return done();
    const own = config.rateLimit.routes ? declared : undefined;
    const key = `ip:${request.ip}:${own ? request.routeOptions.url : '*'}`;
    enforce(kernel.db, key, own ?? config.rateLimit).then(() => done(), done);
  });
  app.addHook('preValidation', (request, _reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD' || !isFormRequest(request) || request.routeOptions.config.csrf === false) {
      return done();
    }
    const body = request.body as Record<string, unknown> | undefined;
    try {
      verifyCsrf(kernel.secret, request, body?.[CSRF_FIELD]);
    } catch (err) {
      return done(err as Error);
    }
    if (body && typeof body === 'object') delete body[CSRF_FIELD];
    done();
  });
  // While shutting down, close keep-alive connections once answered, so closing does not wait for clients.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (state.closing) reply.header('connection', 'close');
    done(null, payload);
  });
  const logRequests = kernel.log.isLevelEnabled('info');
  app.addHook('onResponse', (request, reply, done) => {
    if (logRequests) {
      request.log.info(
        { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
        'request',
      );
    }
    done();
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
  await identityRoutes(app, kernel);
  await demandRoutes(app, kernel);
  await workflowRoutes(app, kernel);
  await notificationRoutes(app, kernel);
  webhookRoutes(app, kernel);
  // The portal is the same for every anonymous visitor of a language (it depends only on the
  // configuration and the enabled modules), so each process renders it once per language.
  const anonymousHome = new Map<string, string>();
  app.get('/', { schema: { hide: true }, config: { public: true } }, async (request, reply) => {
    const render = () => {
      const ctx = reply.view();
      return renderPage(ctx, ctx.t('ui.home.title'), h(HomePage, { ctx, kernel }));
    };
    if (request.actor.kind !== 'anonymous')
      return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(render());
    const lang = requestLang(request, reply, config.city.defaultLanguage);
    let html = anonymousHome.get(lang);
    if (!html) {
      html = render();
      anonymousHome.set(lang, html);
    }
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
  });

  for (const mod of kernel.modules) {
    if (!mod.routes) continue;
    const settings = kernel.config.moduleSettings[mod.code];
    await app.register(async (scope) => mod.routes?.(scope, kernel, settings), { name: `module:${mod.code}` } as object);
  }
}
