import type { ComponentChildren } from 'preact';
import type { FieldError } from './components.js';

/**
 * Form fields as GOV.UK and the DSFR build them: label, then hint and error tied to the control by
 * aria-describedby (never inside its name), `aria-invalid` when wrong. The control's id is its name,
 * so the error summary can link to it. A field gets its error directly (`error`) or picks it by
 * name from the form's list (`errors`).
 */
interface FieldProps {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  errors?: readonly FieldError[];
}

function errorMessage(props: FieldProps): string | undefined {
  return props.error ?? props.errors?.find((e) => e.field === props.name)?.message;
}

function describedBy(name: string, hint?: string, error?: string): string | undefined {
  return [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
}

function HintAndError({ name, hint, error }: { name: string; hint?: string; error?: string }) {
  return (
    <>
      {hint ? (
        <span class="hint" id={`${name}-hint`}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span class="error-message" id={`${name}-error`}>
          {error}
        </span>
      ) : null}
    </>
  );
}

function FieldFrame({
  name,
  label,
  hint,
  error,
  children,
}: {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  children: ComponentChildren;
}) {
  return (
    <div class={`field${error ? ' field-error' : ''}`}>
      <label for={name}>{label}</label>
      <HintAndError name={name} hint={hint} error={error} />
      {children}
    </div>
  );
}

export function TextField(
  props: FieldProps & {
    value?: string;
    type?: 'text' | 'email' | 'password' | 'tel' | 'date' | 'datetime-local';
    autocomplete?: string;
    inputMode?: 'numeric' | 'text';
    required?: boolean;
    maxLength?: number;
    readOnly?: boolean;
  },
) {
  const error = errorMessage(props);
  return (
    <FieldFrame name={props.name} label={props.label} hint={props.hint} error={error}>
      <input
        id={props.name}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.type === 'password' ? undefined : props.value}
        autoComplete={props.autocomplete}
        inputMode={props.inputMode}
        required={props.required}
        maxLength={props.maxLength}
        readOnly={props.readOnly}
        spellcheck={props.type === 'email' || props.type === 'password' ? false : undefined}
        aria-describedby={describedBy(props.name, props.hint, error)}
        aria-invalid={error ? 'true' : undefined}
      />
    </FieldFrame>
  );
}

export function TextArea(props: FieldProps & { value?: string; autocomplete?: string; maxLength: number }) {
  const error = errorMessage(props);
  return (
    <FieldFrame name={props.name} label={props.label} hint={props.hint} error={error}>
      <textarea
        id={props.name}
        name={props.name}
        rows={3}
        autoComplete={props.autocomplete}
        maxLength={props.maxLength}
        aria-describedby={describedBy(props.name, props.hint, error)}
        aria-invalid={error ? 'true' : undefined}
      >
        {props.value ?? ''}
      </textarea>
    </FieldFrame>
  );
}

/** Photos to upload (a multipart form): several at once, images only, the server re-checks every file. */
export function PhotosField(props: FieldProps & { accept?: string }) {
  const error = errorMessage(props);
  return (
    <FieldFrame name={props.name} label={props.label} hint={props.hint} error={error}>
      <input
        id={props.name}
        name={props.name}
        type="file"
        accept={props.accept ?? 'image/*'}
        multiple
        aria-describedby={describedBy(props.name, props.hint, error)}
        aria-invalid={error ? 'true' : undefined}
      />
    </FieldFrame>
  );
}

export interface Choice {
  value: string;
  label: string;
}

export function SelectField(props: FieldProps & { choices: Choice[]; value?: string; empty?: string }) {
  const error = errorMessage(props);
  return (
    <FieldFrame name={props.name} label={props.label} hint={props.hint} error={error}>
      <select
        id={props.name}
        name={props.name}
        aria-describedby={describedBy(props.name, props.hint, error)}
        aria-invalid={error ? 'true' : undefined}
      >
        {props.empty !== undefined ? <option value="">{props.empty}</option> : null}
        {props.choices.map((c) => (
          <option key={c.value} value={c.value} selected={c.value === props.value}>
            {c.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/** Radio buttons or checkboxes in a fieldset; the first option's id is the field's name, for the error summary's link. */
export function Choices(props: FieldProps & { type: 'radio' | 'checkbox'; options: Choice[]; checked: readonly string[] }) {
  const error = errorMessage(props);
  return (
    <fieldset class={`field${error ? ' field-error' : ''}`} aria-describedby={describedBy(props.name, props.hint, error)}>
      <legend>{props.label}</legend>
      <HintAndError name={props.name} hint={props.hint} error={error} />
      <div class="choices">
        {props.options.map((option, index) => (
          <label key={option.value}>
            <input
              type={props.type}
              id={index === 0 ? props.name : `${props.name}-${option.value}`}
              name={props.name}
              value={option.value}
              checked={props.checked.includes(option.value)}
              aria-invalid={error ? 'true' : undefined}
            />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
