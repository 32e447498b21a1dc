import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fileTooLarge } from '../../../kernel/files/errors.js';
import { sniff } from '../../../kernel/files/sniff.js';
import { acceptMultipart, readPostedForm } from '../../../kernel/http/multipart-form.js';
import { enforce } from '../../../kernel/http/rate-limit.js';
import { negotiateLang, type Translate } from '../../../kernel/i18n/i18n.js';
import type { Lang } from '../../../kernel/i18n/types.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { PHOTOS_MAX } from '../domain/create-report.js';
import { categoriesOf } from '../domain/settings.js';
import { badRequest, notFound, Open311Error, toOpen311 } from './errors.js';
import { FORMATS, type Format, formatOfUrl, send, splitFormat } from './format.js';
import { findActiveKey } from './keys.js';
import { open311KeyRoutes } from './keys-routes.js';
import { checkRequest, fileOpen311Request } from './post-request.js';
import { findRequests, param, parseRequestQuery } from './requests.js';
import { residentServices, serviceDefinition, serviceEntry, serviceOf } from './services.js';

export const OPEN311_BASE = '/open311/v2';
/** When this API last changed, for discovery's `changeset`. */
const CHANGESET = '2026-11-27T00:00:00Z';
/** API clients, not forms: no CSRF token; any visitor may read, a key is needed to post. */
const open = { public: true, csrf: false } as const;
/**
 * One client application posts for all its users, often from one address: the shared per-address
 * budget of state-changing requests would soon refuse it. This route counts apart, and each key has
 * its own budget once known.
 */
const POST_PER_ADDRESS = { max: 600, windowSeconds: 60 };
const POST_PER_KEY = { max: 300, windowSeconds: 60 };

const docs = (summary: string) => ({ tags: ['open311'], summary });

function langOf(request: FastifyRequest, kernel: Kernel): Lang {
  return negotiateLang(
    { query: param(request.query, 'lang'), acceptLanguage: request.headers['accept-language'] },
    kernel.i18n.defaultLang,
  );
}

function baseUrl(request: FastifyRequest, kernel: Kernel): string {
  return kernel.config.publicUrl ?? `${request.protocol}://${request.host}`;
}

/** `name.json` / `name.xml` of a path parameter, or the standard's 404. */
function resource(file: string): { name: string; format: Format } {
  const split = splitFormat(file);
  if (!split) throw notFound(`${file}: name a resource with .json or .xml.`);
  return split;
}

/**
 * Open311 GeoReport v2 at /open311/v2/: discovery, services and their definitions, requests (post,
 * search, read), tokens; each in JSON and XML, errors in the standard's body and statuses. Also the
 * back-office page of the clients' keys.
 */
export async function open311Routes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  open311KeyRoutes(app, kernel);
  await app.register(
    async (scope) => {
      await acceptMultipart(scope, { fileBytes: kernel.config.limits.uploadBytes, files: PHOTOS_MAX, fields: 60, fieldSize: 20_000 });
      const tree = categoriesOf(kernel);
      const tr = (request: FastifyRequest): Translate => kernel.i18n.translator(langOf(request, kernel));

      scope.setErrorHandler((err, request, reply) => {
        const { status, errors } = toOpen311(err, tr(request));
        if (status >= 500) request.log.error({ err }, 'open311 request failed');
        const retryAfter = (err as { retryAfter?: number }).retryAfter;
        if (retryAfter) reply.header('retry-after', String(retryAfter));
        return send(reply, formatOfUrl(request.url), 'errors', errors, status);
      });
      scope.setNotFoundHandler((request, reply) =>
        send(
          reply,
          formatOfUrl(request.url),
          'errors',
          [{ code: 404, description: `No Open311 resource at ${request.method} ${request.url.split('?')[0]}.` }],
          404,
        ),
      );
      // Browser-based clients (maps, dashboards) read the public data from other origins.
      scope.addHook('onSend', (request, reply, payload, done) => {
        if (request.method === 'GET') reply.header('access-control-allow-origin', '*');
        done(null, payload);
      });

      for (const format of FORMATS) {
        scope.get(`/discovery.${format}`, { config: open, schema: docs('Open311 discovery') }, async (request, reply) => {
          const t = tr(request);
          const contact = kernel.config.city.contact;
          return send(reply, format, 'discovery', {
            changeset: CHANGESET,
            contact: [contact?.email, contact?.address].filter(Boolean).join(' – ') || kernel.config.city.name[langOf(request, kernel)],
            key_service: t('street-reports.open311.keyService', { email: contact?.email ?? '' }),
            endpoints: [
              {
                specification: 'http://wiki.open311.org/GeoReport_v2',
                url: `${baseUrl(request, kernel)}${OPEN311_BASE}`,
                changeset: CHANGESET,
                type: 'production',
                formats: ['text/xml', 'application/json'],
              },
            ],
          });
        });

        scope.get(
          `/services.${format}`,
          { config: open, schema: docs('Open311 services (categories residents may report)') },
          async (request, reply) => {
            const lang = langOf(request, kernel);
            return send(
              reply,
              format,
              'services',
              residentServices(tree).map((leaf) => serviceEntry(tree, leaf, lang)),
            );
          },
        );

        scope.post(
          `/requests.${format}`,
          {
            config: { ...open, rateLimit: POST_PER_ADDRESS },
            schema: docs('Open311: file a request (form-encoded, or multipart with a `media` photo)'),
          },
          async (request, reply) => {
            const t = tr(request);
            const posted = await readPostedForm(request);
            const key = await findActiveKey(kernel.db, [posted.values.api_key].flat()[0] ?? param(request.query, 'api_key'));
            if (!key) throw new Open311Error(403, [t('street-reports.open311.errors.api-key')]);
            await enforce(kernel.db, `open311:key:${key.id}`, POST_PER_KEY);
            const checked = checkRequest(kernel, tree, posted.values, t);
            const media = posted.files.filter((f) => f.name === 'media');
            if (posted.files.length > media.length) throw badRequest('Send photos in the file field named media.');
            if (media.length > PHOTOS_MAX) throw badRequest(`media: ${t('street-reports.errors.too-many-photos')}`);
            // Every photo is judged by its bytes before any is stored: only images are report photos.
            for (const file of media) {
              if (file.truncated) throw fileTooLarge(kernel.config.limits.uploadBytes);
              if ((await sniff(file.data, file.declaredType)).kind !== 'image') {
                throw badRequest(`media: ${t('street-reports.open311.errors.media-not-image')}`);
              }
            }
            const photoIds: string[] = [];
            for (const file of media) {
              const stored = await kernel.files.store({
                data: file.data,
                filename: file.filename || 'media',
                declaredType: file.declaredType,
              });
              photoIds.push(stored.id);
            }
            const created = await fileOpen311Request(kernel, tree, key.id, checked, photoIds);
            const lang = langOf(request, kernel);
            return send(reply, format, 'service_requests', [
              {
                service_request_id: created.reference,
                service_notice: created.unit ? t('street-reports.open311.notice', { unit: created.unit[lang] }) : null,
                account_id: checked.contact.accountRef,
              },
            ]);
          },
        );

        scope.get(`/requests.${format}`, { config: open, schema: docs('Open311: search requests') }, async (request, reply) => {
          const records = await findRequests(kernel, tree, parseRequestQuery(request.query), {
            lang: langOf(request, kernel),
            baseUrl: baseUrl(request, kernel),
          });
          return send(reply, format, 'service_requests', records);
        });
      }

      scope.get<{ Params: { file: string } }>(
        '/services/:file',
        { config: open, schema: docs('Open311: a service’s definition (its extra questions)') },
        async (request, reply) => {
          const { name, format } = resource(request.params.file);
          const leaf = serviceOf(tree, name);
          if (!leaf) throw notFound(`No service has the code "${name}".`);
          return send(reply, format, 'service_definition', serviceDefinition(leaf, langOf(request, kernel), tr(request)));
        },
      );

      scope.get<{ Params: { file: string } }>(
        '/requests/:file',
        { config: open, schema: docs('Open311: one request') },
        async (request, reply) => {
          const { name, format } = resource(request.params.file);
          const records = await findRequests(
            kernel,
            tree,
            { ids: [name], page: 1, pageSize: 1 },
            { lang: langOf(request, kernel), baseUrl: baseUrl(request, kernel) },
          );
          if (!records.length) throw notFound(`No request has the id "${name}".`);
          return send(reply, format, 'service_requests', records);
        },
      );

      // Requests get their id at once, so a token is the request's id itself (or its internal key).
      scope.get<{ Params: { file: string } }>(
        '/tokens/:file',
        { config: open, schema: docs('Open311: the request a token stands for') },
        async (request, reply) => {
          const { name, format } = resource(request.params.file);
          const row = await kernel.db
            .selectFrom('street_reports')
            .select('reference')
            .where((eb) => eb.or([eb('reference', '=', name), eb('id', '=', name)]))
            .executeTakeFirst();
          if (!row) throw notFound(`No request has the token "${name}".`);
          return send(reply, format, 'service_requests', [{ service_request_id: row.reference, token: name }]);
        },
      );
    },
    { prefix: OPEN311_BASE },
  );
}
