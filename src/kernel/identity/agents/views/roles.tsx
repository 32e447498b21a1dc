import type { PermissionDefinition } from '../../../modules.js';
import { ErrorSummary, type FieldError, Form, Notice } from '../../../ui/components.js';
import type { ViewContext } from '../../../ui/context.js';
import { TextField } from '../../../ui/fields.js';
import type { Role } from '../roles.js';

/** A permission's description in the page's language: the kernel's are translated, a module's as it declares it. */
export function permissionText(ctx: ViewContext, permission: PermissionDefinition): string {
  const key = `admin.permission.${permission.code}`;
  const text = ctx.t(key);
  return text === key ? permission.description : text;
}

export function RolesPage({ ctx, roles, notice }: { ctx: ViewContext; roles: Role[]; notice?: string }) {
  const t = ctx.t;
  return (
    <>
      <h1>{t('admin.roles.title')}</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <p>
        <a class="button" href="/admin/roles/new">
          {t('admin.roles.create')}
        </a>
      </p>
      {roles.length ? (
        <table class="data-table">
          <caption class="visually-hidden">{t('admin.roles.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.fields.name')}</th>
              <th scope="col">{t('admin.fields.code')}</th>
              <th scope="col">{t('admin.roles.permissions')}</th>
            </tr>
          </thead>
          <tbody>
            {roles.map((r) => (
              <tr key={r.code}>
                <th scope="row">
                  <a href={`/admin/roles/${r.code}`}>{r.name[ctx.lang]}</a>
                </th>
                <td>{r.code}</td>
                <td>{r.permissions.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('admin.roles.none')}</p>
      )}
    </>
  );
}

export interface RoleValues {
  code?: string;
  name_fr?: string;
  name_en?: string;
  permissions: string[];
}

/** Creating (no `role`) or editing a role: its names and a checkbox per permission the city's modules declare. */
export function RoleFormPage(props: {
  ctx: ViewContext;
  role?: Role;
  permissions: readonly PermissionDefinition[];
  values: RoleValues;
  errors: FieldError[];
}) {
  const { ctx, role, values, errors } = props;
  const t = ctx.t;
  const permissionsError = errors.find((e) => e.field === 'permissions')?.message;
  return (
    <>
      <h1>{role ? t('admin.roles.edit', { name: role.name[ctx.lang] }) : t('admin.roles.create')}</h1>
      <Form ctx={ctx} action={role ? `/admin/roles/${role.code}` : '/admin/roles'}>
        <ErrorSummary ctx={ctx} errors={errors} />
        {role ? null : (
          <TextField
            name="code"
            label={t('admin.fields.code')}
            hint={t('admin.fields.codeHint')}
            value={values.code}
            maxLength={63}
            errors={errors}
          />
        )}
        <TextField name="name_fr" label={t('admin.fields.nameFr')} value={values.name_fr} maxLength={200} errors={errors} />
        <TextField name="name_en" label={t('admin.fields.nameEn')} value={values.name_en} maxLength={200} errors={errors} />
        <fieldset
          id="permissions"
          class={permissionsError ? 'field-error' : undefined}
          aria-describedby={permissionsError ? 'permissions-error' : undefined}
        >
          <legend>{t('admin.roles.permissions')}</legend>
          {permissionsError ? (
            <span class="error-message" id="permissions-error">
              {permissionsError}
            </span>
          ) : null}
          {props.permissions.map((p) => (
            <div class="checkbox" key={p.code}>
              <input
                type="checkbox"
                id={`permission-${p.code}`}
                name="permissions"
                value={p.code}
                checked={values.permissions.includes(p.code)}
              />
              <label for={`permission-${p.code}`}>
                <code>{p.code}</code> – {permissionText(ctx, p)}
              </label>
            </div>
          ))}
        </fieldset>
        <button type="submit">{t(role ? 'admin.roles.save' : 'admin.roles.createSubmit')}</button>
      </Form>
      <p>
        <a href="/admin/roles">{t('admin.roles.back')}</a>
      </p>
    </>
  );
}
