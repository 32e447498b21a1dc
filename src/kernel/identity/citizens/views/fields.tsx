import type { ComponentChildren } from 'preact';
import type { FieldProblem } from '../../../http/errors.js';
import type { FieldError } from '../../../ui/components.js';
import type { ViewContext } from '../../../ui/context.js';
import { problemMessage } from '../validation.js';

/** The error summary's entries: each links to the field (its id is the field's name). */
export function summaryOf(ctx: ViewContext, problems: FieldProblem[]): FieldError[] {
  return problems.map((p) => ({ field: p.field, message: problemMessage(ctx.t, p) }));
}

export function errorOf(ctx: ViewContext, problems: FieldProblem[], name: string): string | undefined {
  const problem = problems.find((p) => p.field === name);
  return problem ? problemMessage(ctx.t, problem) : undefined;
}

interface FieldProps {
  name: string;
  label: string;
  hint?: string;
  error?: string;
}

function describedBy(name: string, hint?: string, error?: string): string | undefined {
  return [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
}

/** Label, hint and error above the control; the hint and error are tied to it by aria-describedby (not in its name), as GOV.UK does. */
function FieldFrame({ name, label, hint, error, children }: FieldProps & { children: ComponentChildren }) {
  return (
    <div class={`field${error ? ' field-error' : ''}`}>
      <label for={name}>{label}</label>
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
      {children}
    </div>
  );
}

export function TextField(
  props: FieldProps & {
    value?: string;
    type?: 'text' | 'email' | 'password' | 'tel' | 'date';
    autocomplete: string;
    required?: boolean;
    maxLength?: number;
    readOnly?: boolean;
  },
) {
  return (
    <FieldFrame {...props}>
      <input
        id={props.name}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.type === 'password' ? undefined : props.value}
        autoComplete={props.autocomplete}
        required={props.required}
        maxLength={props.maxLength}
        readOnly={props.readOnly}
        spellcheck={props.type === 'email' || props.type === 'password' ? false : undefined}
        aria-describedby={describedBy(props.name, props.hint, props.error)}
        aria-invalid={props.error ? 'true' : undefined}
      />
    </FieldFrame>
  );
}

export function TextArea(props: FieldProps & { value?: string; autocomplete: string; maxLength: number }) {
  return (
    <FieldFrame {...props}>
      <textarea
        id={props.name}
        name={props.name}
        rows={3}
        autoComplete={props.autocomplete}
        maxLength={props.maxLength}
        aria-describedby={describedBy(props.name, props.hint, props.error)}
        aria-invalid={props.error ? 'true' : undefined}
      >
        {props.value ?? ''}
      </textarea>
    </FieldFrame>
  );
}

/** Radio buttons or checkboxes in a fieldset; the first option's id is the field's name, so the error summary can link to it. */
export function Choices(
  props: FieldProps & { type: 'radio' | 'checkbox'; options: { value: string; label: string }[]; checked: readonly string[] },
) {
  return (
    <fieldset class={`field${props.error ? ' field-error' : ''}`} aria-describedby={describedBy(props.name, props.hint, props.error)}>
      <legend>{props.label}</legend>
      {props.hint ? (
        <span class="hint" id={`${props.name}-hint`}>
          {props.hint}
        </span>
      ) : null}
      {props.error ? (
        <span class="error-message" id={`${props.name}-error`}>
          {props.error}
        </span>
      ) : null}
      <div class="choices">
        {props.options.map((option, index) => (
          <label key={option.value}>
            <input
              type={props.type}
              id={index === 0 ? props.name : `${props.name}-${option.value}`}
              name={props.name}
              value={option.value}
              checked={props.checked.includes(option.value)}
            />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
