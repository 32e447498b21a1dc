import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { invalidForm } from '../identity/agents/acting.js';
import { actingOf, adminPage, attempt, field } from '../identity/agents/http.js';
import { idParams } from '../identity/agents/routes/params.js';
import { type Unit, unitsWhere } from '../identity/agents/unit-admin.js';
import type { Kernel } from '../kernel.js';
import type { FieldError } from '../ui/components.js';
import { deliveryLog, redeliver } from './deliveries.js';
import {
  createEndpoint,
  deleteEndpoint,
  type Endpoint,
  type EndpointInput,
  endpointFor,
  listEndpoints,
  PERMISSION,
  parseEvents,
  rotateSecret,
  updateEndpoint,
} from './endpoints.js';
import { EndpointPage } from './views/endpoint.js';
import type { EndpointValues, FormOptions } from './views/endpoint-form.js';
import { DeleteEndpointPage, EndpointsPage, NewEndpointPage, SecretPage } from './views/endpoints.js';

const config = { permission: PERMISSION };
const deliveryParams = {
  type: 'object',
  properties: { id: idParams.properties.id, deliveryId: idParams.properties.id },
  required: ['id', 'deliveryId'],
} as const;
const logQuery = { type: 'object', properties: { before: idParams.properties.id } } as const;

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

function valuesOf(body: unknown): Required<EndpointValues> {
  return {
    url: field(body, 'url').trim(),
    module: field(body, 'module'),
    unit: field(body, 'unit'),
    events: field(body, 'events'),
    description: field(body, 'description').trim(),
    active: field(body, 'active') === 'on',
  };
}

function valuesFrom(endpoint: Endpoint, units: Unit[]): EndpointValues {
  return {
    url: endpoint.url,
    module: endpoint.module,
    unit: units.find((u) => u.path === endpoint.unitPath)?.code ?? '',
    events: endpoint.events.join(', '),
    description: endpoint.description,
    active: endpoint.active,
  };
}

/** The form's unit code as a path, among the units offered; '' is the whole city. */
function inputOf(values: Required<EndpointValues>, units: Unit[]): EndpointInput {
  const unit = values.unit ? units.find((u) => u.code === values.unit) : undefined;
  if (values.unit && !unit) throw invalidForm([{ field: 'unit', message: 'admin.webhooks.errors.unit' }]);
  return {
    module: values.module,
    unitPath: unit?.path ?? null,
    url: values.url,
    description: values.description,
    events: parseEvents(values.events),
    active: values.active,
  };
}

/** The back office of webhooks: endpoints per module and unit, their secrets and delivery logs. */
export function webhookRoutes(app: FastifyInstance, kernel: Kernel): void {
  const modules = kernel.modules.map((m) => m.code);

  const formOptions = async (request: FastifyRequest): Promise<FormOptions> => {
    const { actor } = actingOf(request);
    return { modules, units: await unitsWhere(kernel.db, actor, PERMISSION), wholeCity: actor.admin };
  };

  app.get('/admin/webhooks', { config }, async (request, reply) => {
    const { actor } = actingOf(request);
    const ctx = reply.view();
    const notice = field(request.query, 'deleted') ? ctx.t('admin.webhooks.deleted') : undefined;
    const [endpoints, units] = await Promise.all([listEndpoints(kernel.db, actor), unitsWhere(kernel.db, actor, PERMISSION)]);
    return adminPage(kernel, request, reply, ctx.t('admin.webhooks.title'), h(EndpointsPage, { ctx, endpoints, units, notice }));
  });

  const newPage = async (request: FastifyRequest, reply: FastifyReply, values: EndpointValues, errors: FieldError[]) => {
    const ctx = reply.view();
    const page = h(NewEndpointPage, { ctx, options: await formOptions(request), values, errors });
    return adminPage(kernel, request, reply, ctx.t('admin.webhooks.new.title'), page, errors.length ? 400 : undefined);
  };

  app.get('/admin/webhooks/new', { config }, async (request, reply) =>
    newPage(request, reply, { module: modules[0], events: '*', active: true }, []),
  );

  app.post('/admin/webhooks', { config }, async (request, reply) => {
    const values = valuesOf(request.body);
    const { units } = await formOptions(request);
    const ctx = reply.view();
    const result = await attempt(ctx.t, () => createEndpoint(kernel.db, actingOf(request), modules, inputOf(values, units)));
    if (!result.ok) return newPage(request, reply, values, result.errors);
    const page = h(SecretPage, { ctx, id: result.value.id, secret: result.value.secret, notice: ctx.t('admin.webhooks.created') });
    return adminPage(kernel, request, reply.header('cache-control', 'no-store'), ctx.t('admin.webhooks.secret.title'), page);
  });

  const show = async (request: IdRequest, reply: FastifyReply, errors: FieldError[], values?: EndpointValues) => {
    const endpoint = await endpointFor(kernel.db, request.actor, request.params.id);
    const options = await formOptions(request);
    const before = field(request.query, 'before') || undefined;
    const log = { ...(await deliveryLog(kernel.db, endpoint.id, before)), paged: before !== undefined };
    const ctx = reply.view();
    const done = ['saved', 'retried'].find((key) => field(request.query, key));
    const notice = done ? ctx.t(`admin.webhooks.${done}`) : undefined;
    const page = h(EndpointPage, {
      ctx,
      endpoint,
      units: options.units,
      options,
      values: values ?? valuesFrom(endpoint, options.units),
      errors,
      log,
      notice,
    });
    const title = ctx.t('admin.webhooks.endpoint.title', { url: endpoint.url });
    return adminPage(kernel, request, reply, title, page, errors.length ? 400 : undefined);
  };

  app.get<{ Params: { id: string } }>(
    '/admin/webhooks/:id',
    { config, schema: { params: idParams, querystring: logQuery } },
    async (request, reply) => show(request, reply, []),
  );

  app.post<{ Params: { id: string } }>('/admin/webhooks/:id', { config, schema: { params: idParams } }, async (request, reply) => {
    const values = valuesOf(request.body);
    const { units } = await formOptions(request);
    const id = request.params.id;
    const result = await attempt(reply.view().t, () => updateEndpoint(kernel.db, actingOf(request), modules, id, inputOf(values, units)));
    return result.ok ? reply.redirect(`/admin/webhooks/${id}?saved=1`, 303) : show(request, reply, result.errors, values);
  });

  app.post<{ Params: { id: string } }>('/admin/webhooks/:id/secret', { config, schema: { params: idParams } }, async (request, reply) => {
    const secret = await rotateSecret(kernel.db, actingOf(request), request.params.id);
    const ctx = reply.view();
    const page = h(SecretPage, { ctx, id: request.params.id, secret });
    return adminPage(kernel, request, reply.header('cache-control', 'no-store'), ctx.t('admin.webhooks.secret.title'), page);
  });

  app.get<{ Params: { id: string } }>('/admin/webhooks/:id/delete', { config, schema: { params: idParams } }, async (request, reply) => {
    const endpoint = await endpointFor(kernel.db, request.actor, request.params.id);
    const ctx = reply.view();
    const title = ctx.t('admin.webhooks.delete.title', { url: endpoint.url });
    return adminPage(kernel, request, reply, title, h(DeleteEndpointPage, { ctx, endpoint }));
  });

  app.post<{ Params: { id: string } }>('/admin/webhooks/:id/delete', { config, schema: { params: idParams } }, async (request, reply) => {
    await deleteEndpoint(kernel.db, actingOf(request), request.params.id);
    return reply.redirect('/admin/webhooks?deleted=1', 303);
  });

  app.post<{ Params: { id: string; deliveryId: string } }>(
    '/admin/webhooks/:id/deliveries/:deliveryId/retry',
    { config, schema: { params: deliveryParams } },
    async (request, reply) => {
      await redeliver(kernel.db, kernel, actingOf(request), request.params.id, request.params.deliveryId);
      return reply.redirect(`/admin/webhooks/${request.params.id}?retried=1#log`, 303);
    },
  );
}
