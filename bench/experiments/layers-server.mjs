// A Fastify server with some of Civitas's HTTP layers (LAYERS=logger,helmet,…), each built like
// src/kernel/http/app.ts does, on a /healthz-like route: shows what each layer costs. Used by layers.mjs.
import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifySwagger from '@fastify/swagger';
import Fastify from 'fastify';
import helmet from 'helmet';
import pino from 'pino';
import { registerMetrics } from '../../dist/kernel/http/metrics.js';

const layers = new Set((process.env.LAYERS ?? '').split(',').filter(Boolean));
const helmetOptions = {
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
  hsts: false,
  crossOriginEmbedderPolicy: false,
};

const app = Fastify(
  layers.has('logger')
    ? {
        loggerInstance: pino({ level: 'warn' }),
        disableRequestLogging: true,
        genReqId: (req) => {
          const given = req.headers['x-request-id'];
          return typeof given === 'string' && /^[\w.-]{8,64}$/.test(given) ? given : randomUUID();
        },
      }
    : { logger: false },
);
async function addLayers(app) {
  if (layers.has('swagger')) await app.register(fastifySwagger, { openapi: { openapi: '3.1.0', info: { title: 't', version: '1' } } });
  if (layers.has('cookie')) {
    await app.register(fastifyCookie);
    await app.register(fastifyFormbody);
  }
  if (layers.has('helmet')) await app.register(fastifyHelmet, helmetOptions);
  if (layers.has('static-helmet')) {
    // The same headers, computed once by helmet at start-up, then copied onto each reply.
    const headers = {};
    helmet(helmetOptions)({}, { setHeader: (k, v) => (headers[k] = v), removeHeader: (k) => delete headers[k] }, () => {});
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
  }
  if (layers.has('metrics')) registerMetrics(app, { config: { metrics: {} }, jobs: { queueDepth: async () => ({}) } });
  if (layers.has('hooks')) {
    app.addHook('onRequest', async (request, reply) => {
      reply.header('x-request-id', request.id);
      if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    });
    app.addHook('preValidation', async (request) => {
      if (request.method === 'GET' || request.method === 'HEAD') return;
    });
    app.addHook('onResponse', async (request) => {
      if (request.url === '/healthz' || request.url === '/readyz') return;
    });
  }
  if (layers.has('sync-hooks')) {
    // The same hooks written as callback (non-async) hooks.
    app.addHook('onRequest', (request, reply, done) => {
      reply.header('x-request-id', request.id);
      done();
    });
    app.addHook('preValidation', (_request, _reply, done) => done());
    app.addHook('onResponse', (_request, _reply, done) => done());
  }
}

// 'isolated': the layers live in an encapsulated child scope (where the site's routes would be) and
// /healthz stays at the root, so it runs none of their hooks.
app.get('/healthz', async () => ({ status: 'ok' }));
if (layers.has('isolated')) {
  await app.register(async (scope) => {
    await addLayers(scope);
    scope.get('/site', async () => ({ status: 'ok' }));
  });
} else await addLayers(app);

const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
process.stdout.write(`listening ${address}\n`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
