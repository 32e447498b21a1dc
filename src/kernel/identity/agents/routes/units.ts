import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Kernel } from '../../../kernel.js';
import type { FieldError } from '../../../ui/components.js';
import { actingOf, adminPage, attempt, field } from '../http.js';
import { createUnitAs, renameUnitAs, unitFor, unitsWhere } from '../unit-admin.js';
import { UnitPage, UnitsPage, type UnitValues } from '../views/units.js';
import { codeParams } from './params.js';

const config = { permission: 'admin.units' };

function valuesOf(body: unknown): Required<UnitValues> {
  return {
    code: field(body, 'code').trim(),
    parent: field(body, 'parent'),
    name_fr: field(body, 'name_fr').trim(),
    name_en: field(body, 'name_en').trim(),
  };
}

export function unitRoutes(app: FastifyInstance, kernel: Kernel): void {
  const list = async (request: FastifyRequest, reply: FastifyReply, errors: FieldError[], values: UnitValues, status?: number) => {
    const { actor } = actingOf(request);
    const ctx = reply.view();
    const done = field(request.query, 'created') || field(request.query, 'renamed');
    const notice = done
      ? ctx.t(field(request.query, 'created') ? 'admin.units.created' : 'admin.units.renamed', { code: done })
      : undefined;
    const units = await unitsWhere(kernel.db, actor, 'admin.units');
    const page = h(UnitsPage, { ctx, units, topLevel: actor.admin, errors, values, notice });
    return adminPage(kernel, request, reply, ctx.t('admin.units.title'), page, status);
  };

  app.get('/admin/units', { config }, async (request, reply) => list(request, reply, [], {}));

  app.post('/admin/units', { config }, async (request, reply) => {
    const values = valuesOf(request.body);
    const input = { code: values.code, parentCode: values.parent || null, name: { fr: values.name_fr, en: values.name_en } };
    const result = await attempt(reply.view().t, () => createUnitAs(kernel.db, actingOf(request), input));
    return result.ok ? reply.redirect(`/admin/units?created=${values.code}`, 303) : list(request, reply, result.errors, values, 400);
  });

  const show = async (
    request: FastifyRequest<{ Params: { code: string } }>,
    reply: FastifyReply,
    errors: FieldError[],
    values?: UnitValues,
  ) => {
    const unit = await unitFor(kernel.db, request.actor, request.params.code);
    const ctx = reply.view();
    const page = h(UnitPage, { ctx, unit, errors, values: values ?? { name_fr: unit.name.fr, name_en: unit.name.en } });
    return adminPage(
      kernel,
      request,
      reply,
      ctx.t('admin.units.rename', { name: unit.name[ctx.lang] }),
      page,
      errors.length ? 400 : undefined,
    );
  };

  app.get<{ Params: { code: string } }>('/admin/units/:code', { config, schema: { params: codeParams } }, async (request, reply) =>
    show(request, reply, []),
  );

  app.post<{ Params: { code: string } }>('/admin/units/:code', { config, schema: { params: codeParams } }, async (request, reply) => {
    const values = valuesOf(request.body);
    const name = { fr: values.name_fr, en: values.name_en };
    const result = await attempt(reply.view().t, () => renameUnitAs(kernel.db, actingOf(request), request.params.code, name));
    return result.ok ? reply.redirect(`/admin/units?renamed=${request.params.code}`, 303) : show(request, reply, result.errors, values);
  });
}
