import { Form } from '../../ui/components.js';
import type { ViewContext } from '../../ui/context.js';
import { SelectField, TextArea, TextField } from '../../ui/fields.js';
import type { ActionDefinition } from '../definition.js';
import { COMMENT_MAX_LENGTH } from '../fields.js';

/**
 * One action as a form: its fields, the revision the actor saw (a concurrent change makes it a
 * conflict), and where to come back. Photo fields make it multipart; it works without JavaScript.
 */
export function ActionForm(props: {
  ctx: ViewContext;
  postTo: string;
  code: string;
  action: ActionDefinition;
  revision: number;
  returnTo: string;
}) {
  const { ctx, action, code } = props;
  const lang = ctx.lang;
  const id = (field: string) => `${code}-${field}`;
  const hasPhoto = action.fields.some((f) => f.type === 'photo');
  const labelled = action.fields.length > 0;
  const body = (
    <>
      <input type="hidden" name="revision" value={String(props.revision)} />
      <input type="hidden" name="returnTo" value={props.returnTo} />
      {action.fields.map((f) => {
        const label = f.required ? f.label[lang] : `${f.label[lang]} (${ctx.t('workflow.optional')})`;
        if (f.type === 'comment') return <TextArea key={f.code} name={id(f.code)} label={label} maxLength={COMMENT_MAX_LENGTH} />;
        if (f.type === 'reason') {
          return (
            <SelectField
              key={f.code}
              name={id(f.code)}
              label={label}
              empty={ctx.t('workflow.chooseReason')}
              choices={(f.reasons ?? []).map((r) => ({ value: r.code, label: r.label[lang] }))}
            />
          );
        }
        if (f.type === 'date') return <TextField key={f.code} name={id(f.code)} label={label} type="date" />;
        return (
          <div class="field" key={f.code}>
            <label for={id(f.code)}>{label}</label>
            <input type="file" id={id(f.code)} name={id(f.code)} accept="image/jpeg,image/png,image/webp" />
          </div>
        );
      })}
      <button type="submit" class={labelled ? 'button' : 'button secondary'}>
        {action.label[lang]}
      </button>
    </>
  );
  return (
    <Form
      ctx={ctx}
      action={props.postTo}
      enctype={hasPhoto ? 'multipart/form-data' : undefined}
      class={labelled ? 'action-form' : 'inline-form'}
    >
      {labelled ? (
        <fieldset>
          <legend>{action.label[lang]}</legend>
          {body}
        </fieldset>
      ) : (
        body
      )}
    </Form>
  );
}
