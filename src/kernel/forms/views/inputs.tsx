import type { ViewContext } from '../../ui/context.js';
import { Choices, SelectField, TextArea, TextField } from '../../ui/fields.js';
import { type FileAnswer, type FormError, type RawValues, rawList, rawText } from '../answers.js';
import type { AddressFieldDef, FileFieldDef, LeafFieldDef } from '../definition.js';
import { addressNames } from '../names.js';
import { DEFAULT_ACCEPT, DEFAULT_MAX_LENGTH, megabytes, mimeLabel } from '../validate.js';
import { errorText } from './text.js';

/** What every input of a step needs: the values to show again, the problems, the uploads of the draft. */
export interface StepView {
  ctx: ViewContext;
  raw: RawValues;
  errors: readonly FormError[];
  files: ReadonlyMap<string, FileAnswer>;
}

export function errorFor(view: StepView, name: string): string | undefined {
  const error = view.errors.find((e) => e.field === name);
  return error ? errorText(view.ctx, error) : undefined;
}

function AddressInput({
  view,
  field,
  name,
  label,
  hint,
}: {
  view: StepView;
  field: AddressFieldDef;
  name: string;
  label: string;
  hint?: string;
}) {
  const { t } = view.ctx;
  const names = addressNames(name);
  const text = (n: string) => rawText(view.raw, n);
  return (
    <fieldset class="field form-address">
      <legend>{label}</legend>
      {hint ? <span class="hint">{hint}</span> : null}
      <TextField
        name={names.text}
        label={t('forms.address.text')}
        value={text(names.text)}
        autocomplete="street-address"
        error={errorFor(view, names.text)}
      />
      {field.point === 'none' ? null : (
        <div class="form-point">
          <p class="hint">{t(field.point === 'required' ? 'forms.address.pointRequired' : 'forms.address.pointOptional')}</p>
          <TextField
            name={names.lat}
            label={t('forms.address.lat')}
            hint={t('forms.address.latHint')}
            value={text(names.lat)}
            error={errorFor(view, names.lat)}
          />
          <TextField
            name={names.lng}
            label={t('forms.address.lng')}
            hint={t('forms.address.lngHint')}
            value={text(names.lng)}
            error={errorFor(view, names.lng)}
          />
        </div>
      )}
    </fieldset>
  );
}

/** The uploads kept in the draft, each with a button to remove it, then the input for more. */
function FileInput({
  view,
  field,
  name,
  label,
  hint,
}: {
  view: StepView;
  field: FileFieldDef;
  name: string;
  label: string;
  hint?: string;
}) {
  const { t } = view.ctx;
  const error = errorFor(view, name);
  const uploaded = rawList(view.raw, name)
    .map((id) => view.files.get(id))
    .filter((f): f is FileAnswer => f !== undefined);
  const accept = field.accept ?? DEFAULT_ACCEPT[field.type];
  const max = field.max ?? 1;
  const rules = [
    t('forms.file.types', { types: accept.map(mimeLabel).join(', ') }),
    field.maxBytes ? t('forms.file.maxSize', { max: megabytes(field.maxBytes) }) : '',
    max > 1 ? t('forms.file.maxCount', { max }) : '',
  ].filter(Boolean);
  const hintText = [hint, ...rules].filter(Boolean).join(' ');
  const describedBy = [`${name}-hint`, error ? `${name}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={`field form-file${error ? ' field-error' : ''}`}>
      <label for={name}>{label}</label>
      <span class="hint" id={`${name}-hint`}>
        {hintText}
      </span>
      {error ? (
        <span class="error-message" id={`${name}-error`}>
          {error}
        </span>
      ) : null}
      {uploaded.length > 0 ? (
        <ul class="form-uploads" aria-label={t('forms.file.uploaded')}>
          {uploaded.map((file) => (
            <li key={file.id}>
              <span>{file.name}</span>
              <button type="submit" class="secondary" name="_action" value={`remove-file:${name}:${file.id}`}>
                {t('forms.file.remove')}
                <span class="visually-hidden"> {file.name}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {uploaded.length < max ? (
        <input
          type="file"
          id={name}
          name={`${name}.upload`}
          accept={accept.join(',')}
          multiple={max - uploaded.length > 1}
          aria-describedby={describedBy}
          aria-invalid={error ? 'true' : undefined}
        />
      ) : (
        <p id={name} tabIndex={-1}>
          {t('forms.file.full')}
        </p>
      )}
    </div>
  );
}

/** The input of one leaf field, posted under `name` (its code, or `group.<row>.<code>` in a group). */
export function LeafInput({ view, field, name, hint }: { view: StepView; field: LeafFieldDef; name: string; hint?: string }) {
  const { ctx, raw } = view;
  const label = field.label[ctx.lang];
  const value = rawText(raw, name);
  const error = errorFor(view, name);
  const common = { name, label, hint, error, value };
  switch (field.type) {
    case 'text':
      return <TextField {...common} autocomplete={field.autocomplete} />;
    case 'textarea':
      return <TextArea {...common} maxLength={field.maxLength ?? DEFAULT_MAX_LENGTH.textarea} autocomplete={field.autocomplete} />;
    case 'integer':
      return <TextField {...common} inputMode="numeric" />;
    case 'decimal':
      return <TextField {...common} />;
    case 'date':
      return <TextField {...common} type="date" />;
    case 'email':
      return <TextField {...common} type="email" autocomplete={field.autocomplete ?? 'email'} />;
    case 'phone':
      return <TextField {...common} type="tel" autocomplete={field.autocomplete ?? 'tel'} />;
    case 'iban':
      return <TextField {...common} autocomplete="off" />;
    case 'yesno':
      return (
        <Choices
          {...common}
          type="radio"
          options={[
            { value: 'yes', label: ctx.t('forms.yes') },
            { value: 'no', label: ctx.t('forms.no') },
          ]}
          checked={[value]}
        />
      );
    case 'choice': {
      const options = field.options.map((o) => ({ value: o.value, label: o.label[ctx.lang] }));
      return field.display === 'select' ? (
        <SelectField {...common} choices={options} empty={ctx.t('forms.select')} />
      ) : (
        <Choices {...common} type="radio" options={options} checked={[value]} />
      );
    }
    case 'choices':
      return (
        <Choices
          {...common}
          type="checkbox"
          options={field.options.map((o) => ({ value: o.value, label: o.label[ctx.lang] }))}
          checked={rawList(raw, name)}
        />
      );
    case 'address':
      return <AddressInput view={view} field={field} name={name} label={label} hint={hint} />;
    case 'file':
    case 'photo':
      return <FileInput view={view} field={field} name={name} label={label} hint={hint} />;
  }
}
