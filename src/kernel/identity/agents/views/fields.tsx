import type { FieldError } from '../../../ui/components.js';

function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** A labelled input whose name is its id, with its hint and its error tied to it for screen readers. */
export function TextField(props: {
  id: string;
  label: string;
  errors: FieldError[];
  hint?: string;
  type?: 'text' | 'email' | 'password' | 'date';
  value?: string;
  autoComplete?: string;
  inputMode?: 'numeric' | 'text';
  maxLength?: number;
}) {
  const error = props.errors.find((e) => e.field === props.id)?.message;
  return (
    <div class={`field${error ? ' field-error' : ''}`}>
      <label for={props.id}>
        {props.label}
        {props.hint ? (
          <span class="hint" id={`${props.id}-hint`}>
            {props.hint}
          </span>
        ) : null}
      </label>
      {error ? (
        <span class="error-message" id={`${props.id}-error`}>
          {error}
        </span>
      ) : null}
      <input
        id={props.id}
        name={props.id}
        type={props.type ?? 'text'}
        value={props.value}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        maxLength={props.maxLength}
        aria-describedby={describedBy(props.id, !!props.hint, !!error)}
        aria-invalid={error ? 'true' : undefined}
      />
    </div>
  );
}

export interface Choice {
  value: string;
  label: string;
}

export function SelectField(props: { id: string; label: string; errors: FieldError[]; choices: Choice[]; value?: string; empty?: string }) {
  const error = props.errors.find((e) => e.field === props.id)?.message;
  return (
    <div class={`field${error ? ' field-error' : ''}`}>
      <label for={props.id}>{props.label}</label>
      {error ? (
        <span class="error-message" id={`${props.id}-error`}>
          {error}
        </span>
      ) : null}
      <select
        id={props.id}
        name={props.id}
        aria-describedby={error ? `${props.id}-error` : undefined}
        aria-invalid={error ? 'true' : undefined}
      >
        {props.empty !== undefined ? <option value="">{props.empty}</option> : null}
        {props.choices.map((c) => (
          <option key={c.value} value={c.value} selected={c.value === props.value}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}
