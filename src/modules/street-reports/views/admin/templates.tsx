import { ErrorSummary, type FieldError, Form, Notice } from '../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import { type Choice, SelectField, TextArea, TextField } from '../../../../kernel/ui/fields.js';
import { COMMENT_MAX_LENGTH } from '../../../../kernel/workflow/fields.js';
import type { CategoryTree } from '../../domain/categories.js';
import { type ResponseTemplate, TITLE_MAX } from '../../domain/response-templates.js';
import { categoryChoices, type Names } from './labels.js';
import { Stylesheet } from './queue.js';

/** The saved answers agents copy into an action's message: list, and a form to add one. */
export function TemplatesPage(props: {
  ctx: ViewContext;
  categories: CategoryTree;
  names: Names;
  templates: ResponseTemplate[];
  actions: Choice[];
  errors: FieldError[];
  form: Record<string, string>;
  notice?: string;
}) {
  const { ctx, form, errors } = props;
  const t = ctx.t;
  const actionLabel = (code: string) => props.actions.find((a) => a.value === code)?.label ?? code;
  return (
    <>
      <Stylesheet />
      <p>
        <a href="/admin/reports">{t('street-reports.admin.back')}</a>
      </p>
      <h1>{t('street-reports.admin.templates.title')}</h1>
      <p class="lead">{t('street-reports.admin.templates.lead')}</p>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      <ErrorSummary ctx={ctx} errors={errors} />
      {props.templates.length === 0 ? (
        <p>{t('street-reports.admin.templates.none')}</p>
      ) : (
        <div class="table-scroll">
          <table class="data-table">
            <caption>{t('street-reports.admin.templates.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('street-reports.admin.templates.name')}</th>
                <th scope="col">{t('street-reports.admin.templates.action')}</th>
                <th scope="col">{t('street-reports.admin.field.category')}</th>
                <th scope="col">{t('street-reports.admin.templates.text')}</th>
                <th scope="col">{t('street-reports.admin.templates.remove')}</th>
              </tr>
            </thead>
            <tbody>
              {props.templates.map((tpl) => (
                <tr key={tpl.id}>
                  <th scope="row">{tpl.title}</th>
                  <td>{actionLabel(tpl.action)}</td>
                  <td>{tpl.category ? props.names.categoryPath(tpl.category) : t('street-reports.admin.templates.allCategories')}</td>
                  <td class="template-body">{tpl.body}</td>
                  <td>
                    <Form ctx={ctx} action={`/admin/reports/templates/${tpl.id}/delete`} class="inline-form">
                      <button type="submit" class="button secondary">
                        {t('street-reports.admin.templates.remove')}
                        <span class="visually-hidden"> {tpl.title}</span>
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Form ctx={ctx} action="/admin/reports/templates" class="action-form">
        <fieldset>
          <legend>{t('street-reports.admin.templates.add')}</legend>
          <TextField
            name="title"
            label={t('street-reports.admin.templates.name')}
            value={form.title}
            maxLength={TITLE_MAX}
            errors={errors}
          />
          <SelectField
            name="action"
            label={t('street-reports.admin.templates.action')}
            choices={props.actions}
            value={form.action}
            errors={errors}
          />
          <SelectField
            name="category"
            label={t('street-reports.admin.field.category')}
            choices={categoryChoices(props.categories, ctx)}
            value={form.category}
            empty={t('street-reports.admin.templates.allCategories')}
            errors={errors}
          />
          <TextArea
            name="body"
            label={t('street-reports.admin.templates.text')}
            value={form.body}
            maxLength={COMMENT_MAX_LENGTH}
            errors={errors}
          />
          <button type="submit" class="button">
            {t('street-reports.admin.templates.save')}
          </button>
        </fieldset>
      </Form>
    </>
  );
}
