import type { ExplanationDef, FieldDef, FormDefinition, GroupDef, LeafFieldDef, SectionDef, StepDef, ValueFieldDef } from './definition.js';

export function isValueField(field: FieldDef): field is ValueFieldDef {
  return field.type !== 'section' && field.type !== 'explanation';
}

/** What a step holds at the top level of the data: its fields and those of its sections, in order. */
export interface Placed {
  field: ValueFieldDef | ExplanationDef;
  /** The section containing the field, whose condition applies too. */
  section?: SectionDef;
}

export function placedFields(step: StepDef): Placed[] {
  return step.fields.flatMap((field): Placed[] =>
    field.type === 'section' ? field.fields.map((inner) => ({ field: inner, section: field })) : [{ field }],
  );
}

/** The top-level fields holding answers of a step (group children are inside their group). */
export function valueFields(step: StepDef): ValueFieldDef[] {
  return placedFields(step)
    .map((p) => p.field)
    .filter(isValueField);
}

/** Every top-level answer field of the form, with its step, in the order they are asked. */
export function allValueFields(definition: FormDefinition): { field: ValueFieldDef; step: StepDef }[] {
  return definition.steps.flatMap((step) => valueFields(step).map((field) => ({ field, step })));
}

export function groupValueFields(group: GroupDef): LeafFieldDef[] {
  return group.fields.filter((f): f is LeafFieldDef => f.type !== 'explanation');
}

export function stepOfField(definition: FormDefinition, code: string): StepDef | undefined {
  return allValueFields(definition).find((f) => f.field.code === code)?.step;
}
