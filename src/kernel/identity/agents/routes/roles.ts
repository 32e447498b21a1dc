import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Kernel } from '../../../kernel.js';
import type { FieldError } from '../../../ui/components.js';
import { actingOf, adminPage, attempt, field, fieldList } from '../http.js';
import { createRole, listRoles, type Role, roleFor, updateRole } from '../roles.js';
import { RoleFormPage, RolesPage, type RoleValues } from '../views/roles.js';
import { codeParams } from './params.js';

const config = { permission: 'admin.roles' };

function valuesOf(body: unknown): Required<RoleValues> {
  return {
    code: field(body, 'code').trim(),
    name_fr: field(body, 'name_fr').trim(),
    name_en: field(body, 'name_en').trim(),
    permissions: fieldList(body, 'permissions'),
  };
}

export function roleRoutes(app: FastifyInstance, kernel: Kernel): void {
  const known = kernel.permissions.map((p) => p.code);

  const form = (request: FastifyRequest, reply: FastifyReply, values: RoleValues, errors: FieldError[], role?: Role) => {
    const ctx = reply.view();
    const title = role ? ctx.t('admin.roles.edit', { name: role.name[ctx.lang] }) : ctx.t('admin.roles.create');
    const page = h(RoleFormPage, { ctx, role, permissions: kernel.permissions, values, errors });
    return adminPage(kernel, request, reply, title, page, errors.length ? 400 : undefined);
  };

  app.get('/admin/roles', { config }, async (request, reply) => {
    const ctx = reply.view();
    const saved = field(request.query, 'saved');
    const page = h(RolesPage, {
      ctx,
      roles: await listRoles(kernel.db),
      notice: saved ? ctx.t('admin.roles.saved', { code: saved }) : undefined,
    });
    return adminPage(kernel, request, reply, ctx.t('admin.roles.title'), page);
  });

  app.get('/admin/roles/new', { config }, async (request, reply) => form(request, reply, { permissions: [] }, []));

  app.post('/admin/roles', { config }, async (request, reply) => {
    const values = valuesOf(request.body);
    const input = { name: { fr: values.name_fr, en: values.name_en }, permissions: values.permissions };
    const result = await attempt(reply.view().t, () => createRole(kernel.db, actingOf(request), values.code, input, known));
    return result.ok ? reply.redirect(`/admin/roles?saved=${values.code}`, 303) : form(request, reply, values, result.errors);
  });

  app.get<{ Params: { code: string } }>('/admin/roles/:code', { config, schema: { params: codeParams } }, async (request, reply) => {
    const role = await roleFor(kernel.db, request.params.code);
    return form(request, reply, { name_fr: role.name.fr, name_en: role.name.en, permissions: role.permissions }, [], role);
  });

  app.post<{ Params: { code: string } }>('/admin/roles/:code', { config, schema: { params: codeParams } }, async (request, reply) => {
    const role = await roleFor(kernel.db, request.params.code);
    const values = valuesOf(request.body);
    const input = { name: { fr: values.name_fr, en: values.name_en }, permissions: values.permissions };
    const result = await attempt(reply.view().t, () => updateRole(kernel.db, actingOf(request), role.code, input, known));
    return result.ok ? reply.redirect(`/admin/roles?saved=${role.code}`, 303) : form(request, reply, values, result.errors, role);
  });
}
