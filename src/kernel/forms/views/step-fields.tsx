import type { ComponentChildren } from 'preact';
import type { FormData } from '../answers.js';
import { type ConditionLookup, holds, referencedFields } from '../conditions.js';
import type { Condition, ExplanationDef, FieldDef, FormDefinition, GroupDef, LeafFieldDef, StepDef } from '../definition.js';
import { childName, maxRows, rowCount, rowsName } from '../names.js';
import { groupValueFields, isValueField, placedFields } from '../walk.js';
import { errorFor, LeafInput, type StepView } from './inputs.js';
import { describeCondition, type FieldFinder, fieldFinder } from './text.js';

/**
 * Conditions without JavaScript: a condition on earlier steps is decided by the server, which leaves
 * the field out of the page. A condition on a field of the same step (or of the same row) cannot be
 * decided before the page is sent: the field is shown with its condition read out in its hint, and
 * the server ignores its answer when the condition does not hold. The script assets/forms.js, when
 * it runs, hides and shows such fields live (`data-when`).
 */
type Visibility = { kind: 'shown' } | { kind: 'hidden' } | { kind: 'explained'; text: string; condition: Condition };

interface Scope {
  definition: FormDefinition;
  view: StepView;
  /** Codes answered on this page (the step's, or the row's): conditions on them are explained. */
  local: ReadonlySet<string>;
  lookup: ConditionLookup;
  find: FieldFinder;
  /** `group.<row>.` inside a row, so the script finds siblings by name. */
  prefix: string;
}

function visibility(scope: Scope, condition: Condition | undefined): Visibility {
  if (!condition) return { kind: 'shown' };
  if (referencedFields(condition).some((code) => scope.local.has(code))) {
    const text = scope.view.ctx.t('forms.condition.onlyIf', { condition: describeCondition(scope.view.ctx, condition, scope.find) });
    return { kind: 'explained', text, condition };
  }
  return holds(condition, scope.lookup) ? { kind: 'shown' } : { kind: 'hidden' };
}

function withHint(hint: string | undefined, v: Visibility): string | undefined {
  return v.kind === 'explained' ? [hint, v.text].filter(Boolean).join(' ') : hint;
}

function Conditional({ scope, v, children }: { scope: Scope; v: Visibility; children: ComponentChildren }) {
  if (v.kind !== 'explained') return <>{children}</>;
  return (
    <div class="form-conditional" data-when={JSON.stringify(v.condition)} data-prefix={scope.prefix}>
      {children}
    </div>
  );
}

function Explanation({ scope, field, level }: { scope: Scope; field: ExplanationDef; level: 2 | 3 }) {
  const lang = scope.view.ctx.lang;
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <div class="form-explanation">
      {field.title ? <Heading>{field.title[lang]}</Heading> : null}
      {field.text[lang].split(/\n\s*\n/).map((paragraph) => (
        <p key={paragraph}>{paragraph}</p>
      ))}
    </div>
  );
}

function rowLabel(group: GroupDef, lang: 'fr' | 'en', index: number): string {
  return group.rowLabel[lang].replace('{n}', String(index + 1));
}

function Group({ scope, group, hint }: { scope: Scope; group: GroupDef; hint?: string }) {
  const { ctx, raw } = scope.view;
  const count = rowCount(group, raw);
  const error = errorFor(scope.view, group.code);
  const children = groupValueFields(group);
  const describedBy = [hint ? `${group.code}-hint` : '', error ? `${group.code}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset id={group.code} tabIndex={-1} class={`field form-group${error ? ' field-error' : ''}`} aria-describedby={describedBy}>
      <legend>{group.label[ctx.lang]}</legend>
      {hint ? (
        <span class="hint" id={`${group.code}-hint`}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span class="error-message" id={`${group.code}-error`}>
          {error}
        </span>
      ) : null}
      <input type="hidden" name={rowsName(group.code)} value={String(count)} />
      {Array.from({ length: count }, (_, i) => {
        const rowScope: Scope = {
          ...scope,
          local: new Set([...scope.local, ...children.map((c) => c.code)]),
          find: fieldFinder(scope.definition, children),
          prefix: `${group.code}.${i}.`,
        };
        const label = rowLabel(group, ctx.lang, i);
        return (
          <fieldset class="form-row" key={i}>
            <legend>{label}</legend>
            {group.fields.map((child) =>
              child.type === 'explanation' ? (
                <Explanation key={child.code} scope={rowScope} field={child} level={3} />
              ) : (
                <Leaf key={child.code} scope={rowScope} field={child} name={childName(group.code, i, child.code)} />
              ),
            )}
            <button type="submit" class="secondary" name="_action" value={`remove-row:${group.code}:${i}`}>
              {ctx.t('forms.group.remove')}
              <span class="visually-hidden"> {label}</span>
            </button>
          </fieldset>
        );
      })}
      {count < maxRows(group) ? (
        <button type="submit" class="secondary" name="_action" value={`add-row:${group.code}`}>
          {ctx.t('forms.group.add', { row: rowLabel(group, ctx.lang, count) })}
        </button>
      ) : null}
    </fieldset>
  );
}

function Leaf({ scope, field, name }: { scope: Scope; field: LeafFieldDef; name: string }) {
  const v = visibility(scope, field.when);
  if (v.kind === 'hidden') return null;
  return (
    <Conditional scope={scope} v={v}>
      <LeafInput view={scope.view} field={field} name={name} hint={withHint(field.hint?.[scope.view.ctx.lang], v)} />
    </Conditional>
  );
}

function Field({ scope, field, level }: { scope: Scope; field: FieldDef; level: 2 | 3 }) {
  const lang = scope.view.ctx.lang;
  if (field.type === 'explanation') {
    const v = visibility(scope, field.when);
    if (v.kind === 'hidden') return null;
    return (
      <Conditional scope={scope} v={v}>
        <Explanation scope={scope} field={field} level={level} />
      </Conditional>
    );
  }
  if (field.type === 'group') {
    const v = visibility(scope, field.when);
    if (v.kind === 'hidden') return null;
    return (
      <Conditional scope={scope} v={v}>
        <Group scope={scope} group={field} hint={withHint(field.hint?.[lang], v)} />
      </Conditional>
    );
  }
  if (field.type === 'section') {
    const v = visibility(scope, field.when);
    if (v.kind === 'hidden') return null;
    const hint = withHint(field.hint?.[lang], v);
    return (
      <Conditional scope={scope} v={v}>
        <fieldset class="form-section" aria-describedby={hint ? `${field.code}-hint` : undefined}>
          <legend>
            <h2>{field.title[lang]}</h2>
          </legend>
          {hint ? (
            <p class="hint" id={`${field.code}-hint`}>
              {hint}
            </p>
          ) : null}
          {field.fields.map((inner) => (
            <Field key={inner.code} scope={scope} field={inner} level={3} />
          ))}
        </fieldset>
      </Conditional>
    );
  }
  return <Leaf scope={scope} field={field} name={field.code} />;
}

/** The inputs of one step, with the values and problems of `view`; `data` holds the valid answers of the whole form. */
export function StepFields({
  definition,
  step,
  view,
  data,
}: {
  definition: FormDefinition;
  step: StepDef;
  view: StepView;
  data: FormData;
}) {
  const find = fieldFinder(definition);
  const local = new Set(
    placedFields(step)
      .map((p) => p.field)
      .filter(isValueField)
      .map((f) => f.code),
  );
  const lookup: ConditionLookup = (code) => {
    const field = find(code);
    return field ? { field, value: data[code] } : undefined;
  };
  const scope: Scope = { definition, view, local, lookup, find, prefix: '' };
  return (
    <>
      {step.fields.map((field) => (
        <Field key={field.code} scope={scope} field={field} level={2} />
      ))}
    </>
  );
}
