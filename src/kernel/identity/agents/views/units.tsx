import { ErrorSummary, type FieldError, Form, Notice } from '../../../ui/components.js';
import type { ViewContext } from '../../../ui/context.js';
import { SelectField, TextField } from '../../../ui/fields.js';
import type { Unit } from '../unit-admin.js';

export interface UnitValues {
  code?: string;
  parent?: string;
  name_fr?: string;
  name_en?: string;
}

function NameFields({ ctx, errors, values }: { ctx: ViewContext; errors: FieldError[]; values: UnitValues }) {
  const t = ctx.t;
  return (
    <fieldset id="name">
      <legend>{t('admin.units.names')}</legend>
      <TextField name="name_fr" label={t('admin.fields.nameFr')} value={values.name_fr} maxLength={200} errors={errors} />
      <TextField name="name_en" label={t('admin.fields.nameEn')} value={values.name_en} maxLength={200} errors={errors} />
    </fieldset>
  );
}

/** Nested lists: the units below each unit, as far down as the agent may see. */
function Tree({ ctx, units, parent }: { ctx: ViewContext; units: Unit[]; parent: string | null }) {
  const visible = new Set(units.map((u) => u.code));
  const children = units.filter((u) => (parent === null ? !u.parentCode || !visible.has(u.parentCode) : u.parentCode === parent));
  if (!children.length) return null;
  return (
    <ul class="tree">
      {children.map((u) => (
        <li key={u.code}>
          <a href={`/admin/units/${u.code}`}>{u.name[ctx.lang]}</a> ({u.code})
          <Tree ctx={ctx} units={units} parent={u.code} />
        </li>
      ))}
    </ul>
  );
}

export function UnitsPage(props: {
  ctx: ViewContext;
  units: Unit[];
  topLevel: boolean;
  errors: FieldError[];
  values: UnitValues;
  notice?: string;
}) {
  const { ctx, units, errors, values } = props;
  const t = ctx.t;
  return (
    <>
      <h1>{t('admin.units.title')}</h1>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      {units.length ? <Tree ctx={ctx} units={units} parent={null} /> : <p>{t('admin.units.none')}</p>}
      <h2 id="create">{t('admin.units.create')}</h2>
      <Form ctx={ctx} action="/admin/units">
        <ErrorSummary ctx={ctx} errors={errors} />
        <TextField
          name="code"
          label={t('admin.fields.code')}
          hint={t('admin.fields.codeHint')}
          value={values.code}
          maxLength={63}
          errors={errors}
        />
        <SelectField
          name="parent"
          label={t('admin.units.parent')}
          choices={units.map((u) => ({ value: u.code, label: `${u.name[ctx.lang]} (${u.code})` }))}
          value={values.parent}
          empty={props.topLevel ? t('admin.units.topLevel') : undefined}
          errors={errors}
        />
        <NameFields ctx={ctx} errors={errors} values={values} />
        <button type="submit">{t('admin.units.createSubmit')}</button>
      </Form>
    </>
  );
}

export function UnitPage({ ctx, unit, errors, values }: { ctx: ViewContext; unit: Unit; errors: FieldError[]; values: UnitValues }) {
  const t = ctx.t;
  return (
    <>
      <h1>{t('admin.units.rename', { name: unit.name[ctx.lang] })}</h1>
      <p>{t('admin.units.path', { path: unit.path })}</p>
      <Form ctx={ctx} action={`/admin/units/${unit.code}`}>
        <ErrorSummary ctx={ctx} errors={errors} />
        <NameFields ctx={ctx} errors={errors} values={values} />
        <button type="submit">{t('admin.units.renameSubmit')}</button>
      </Form>
      <p>
        <a href="/admin/units">{t('admin.units.back')}</a>
      </p>
    </>
  );
}
