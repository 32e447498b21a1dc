import { z } from 'zod';
import type { Localized } from '../i18n/types.js';
import { checkDefinition } from './definition-checks.js';

/**
 * A form is configuration a city writes (JSON), so labels are inline translations rather than
 * message keys. The same definition renders the HTML form, validates what is posted and yields
 * typed data (see validate.ts).
 */

export type ConditionOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'includes' | 'empty' | 'notEmpty';
export type ConditionValue = string | number | boolean;
/** Which answers make a field, section or step apply. `field` names an earlier field (or a sibling in a group's row). */
export type Condition = { all: Condition[] } | { any: Condition[] } | { field: string; op: ConditionOp; value?: ConditionValue };

interface Base {
  /** Stable code: the key of the answer in the data, and the name of the posted value. */
  code: string;
  label: Localized;
  hint?: Localized;
  required?: boolean;
  /** Shown and validated only when this holds; otherwise neither required nor kept. */
  when?: Condition;
}

export interface Pattern {
  /** A JavaScript regular expression the whole answer must match. */
  regex: string;
  /** Shown when it does not match ("Enter 9 digits"). */
  message: Localized;
}

export interface TextFieldDef extends Base {
  type: 'text' | 'textarea';
  minLength?: number;
  maxLength?: number;
  pattern?: Pattern;
  /** HTML autocomplete token ("given-name"), so browsers fill what they know. */
  autocomplete?: string;
}
export interface IntegerFieldDef extends Base {
  type: 'integer';
  min?: number;
  max?: number;
}
/** Answers are exact decimal strings with exactly `scale` digits after the point ("12.50"). */
export interface DecimalFieldDef extends Base {
  type: 'decimal';
  scale: number;
  min?: number;
  max?: number;
}
/** Bounds are `YYYY-MM-DD` or `today` (the date in the city when the answer is checked). */
export interface DateFieldDef extends Base {
  type: 'date';
  min?: string;
  max?: string;
}
export interface SimpleFieldDef extends Base {
  type: 'email' | 'phone' | 'iban' | 'yesno';
  autocomplete?: string;
}
export interface Option {
  value: string;
  label: Localized;
}
export interface ChoiceFieldDef extends Base {
  type: 'choice';
  options: Option[];
  display?: 'radios' | 'select';
}
/** Several options; `min`/`max` bound how many are ticked. */
export interface ChoicesFieldDef extends Base {
  type: 'choices';
  options: Option[];
  min?: number;
  max?: number;
}
/** A postal address and, optionally, a point typed as latitude/longitude (a map only enhances it). */
export interface AddressFieldDef extends Base {
  type: 'address';
  point?: 'none' | 'optional' | 'required';
}
/** Uploaded files; `accept` lists MIME types as stored (images are re-encoded to JPEG or PNG). */
export interface FileFieldDef extends Base {
  type: 'file' | 'photo';
  accept?: string[];
  maxBytes?: number;
  min?: number;
  max?: number;
}
export type LeafFieldDef =
  | TextFieldDef
  | IntegerFieldDef
  | DecimalFieldDef
  | DateFieldDef
  | SimpleFieldDef
  | ChoiceFieldDef
  | ChoicesFieldDef
  | AddressFieldDef
  | FileFieldDef;

export interface ExplanationDef {
  type: 'explanation';
  code: string;
  title?: Localized;
  text: Localized;
  when?: Condition;
}
/** Rows of the same fields (one per child…); `min`/`max` bound the rows, blank rows are ignored. */
export interface GroupDef extends Base {
  type: 'group';
  fields: (LeafFieldDef | ExplanationDef)[];
  /** Legend of each row, `{n}` being its number ("Child {n}"). */
  rowLabel: Localized;
  min?: number;
  max?: number;
}
/** A heading and its fields, shown or hidden as a whole. Its fields' answers sit at the top level of the data. */
export interface SectionDef {
  type: 'section';
  code: string;
  title: Localized;
  hint?: Localized;
  when?: Condition;
  fields: (LeafFieldDef | GroupDef | ExplanationDef)[];
}
export type FieldDef = LeafFieldDef | GroupDef | SectionDef | ExplanationDef;
/** A field that holds an answer (not a section or an explanation). */
export type ValueFieldDef = LeafFieldDef | GroupDef;

export interface StepDef {
  code: string;
  title: Localized;
  /** A step whose condition does not hold is skipped (conditions on earlier steps work without JavaScript). */
  when?: Condition;
  fields: FieldDef[];
}

export interface FormDefinition {
  /** Stable code ("transport:children-pass"): drafts are kept per form code. */
  code: string;
  /** Raised when the questions change; drafts record the version they were typed against. */
  version: number;
  title: Localized;
  description?: Localized;
  steps: StepDef[];
}

const CODE = /^[a-z][a-z0-9_]*$/;
const code = z.string().regex(CODE, 'must be lowercase letters, digits and underscores, starting with a letter');
const localized = z.strictObject({ fr: z.string().trim().min(1), en: z.string().trim().min(1) });
const count = z.number().int().min(0);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(condition).min(1) }),
    z.strictObject({ any: z.array(condition).min(1) }),
    z.strictObject({
      field: z.string().min(1),
      op: z.enum(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'includes', 'empty', 'notEmpty']),
      value: z.union([z.string(), z.number(), z.boolean()]).optional(),
    }),
  ]),
);

const base = { code, label: localized, hint: localized.optional(), required: z.boolean().optional(), when: condition.optional() };
const autocomplete = z
  .string()
  .regex(/^[a-z0-9 -]+$/)
  .optional();
const option = z.strictObject({
  value: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/, 'must be 1 to 60 letters, digits, _ or -'),
  label: localized,
});
const pattern = z.strictObject({
  regex: z.string().refine((source) => {
    try {
      new RegExp(source, 'u');
      return true;
    } catch {
      return false;
    }
  }, 'is not a valid regular expression'),
  message: localized,
});
const dateBound = z.union([z.literal('today'), z.string().regex(ISO_DATE, 'must be YYYY-MM-DD or "today"')]);

const leafSchemas = [
  z.strictObject({
    ...base,
    type: z.enum(['text', 'textarea']),
    minLength: count.optional(),
    maxLength: z.number().int().min(1).max(100_000).optional(),
    pattern: pattern.optional(),
    autocomplete,
  }),
  z.strictObject({ ...base, type: z.literal('integer'), min: z.number().int().optional(), max: z.number().int().optional() }),
  z.strictObject({
    ...base,
    type: z.literal('decimal'),
    scale: z.number().int().min(0).max(6),
    min: z.number().optional(),
    max: z.number().optional(),
  }),
  z.strictObject({ ...base, type: z.literal('date'), min: dateBound.optional(), max: dateBound.optional() }),
  z.strictObject({ ...base, type: z.enum(['email', 'phone', 'iban', 'yesno']), autocomplete }),
  z.strictObject({ ...base, type: z.literal('choice'), options: z.array(option).min(1), display: z.enum(['radios', 'select']).optional() }),
  z.strictObject({ ...base, type: z.literal('choices'), options: z.array(option).min(1), min: count.optional(), max: count.optional() }),
  z.strictObject({ ...base, type: z.literal('address'), point: z.enum(['none', 'optional', 'required']).optional() }),
  z.strictObject({
    ...base,
    type: z.enum(['file', 'photo']),
    accept: z
      .array(z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/, 'must be a MIME type such as application/pdf'))
      .min(1)
      .optional(),
    maxBytes: z.number().int().min(1).optional(),
    min: count.optional(),
    max: z.number().int().min(1).max(20).optional(),
  }),
] as const;

const explanation = z.strictObject({
  type: z.literal('explanation'),
  code,
  title: localized.optional(),
  text: localized,
  when: condition.optional(),
});
const group = z.strictObject({
  ...base,
  type: z.literal('group'),
  fields: z.array(z.discriminatedUnion('type', [...leafSchemas, explanation])).min(1),
  rowLabel: localized,
  min: count.optional(),
  max: z.number().int().min(1).max(100).optional(),
});
const section = z.strictObject({
  type: z.literal('section'),
  code,
  title: localized,
  hint: localized.optional(),
  when: condition.optional(),
  fields: z.array(z.discriminatedUnion('type', [...leafSchemas, group, explanation])).min(1),
});
const step = z.strictObject({
  code,
  title: localized,
  when: condition.optional(),
  fields: z.array(z.discriminatedUnion('type', [...leafSchemas, group, section, explanation])).min(1),
});

export const formDefinitionSchema: z.ZodType<FormDefinition> = z
  .strictObject({
    code: z.string().regex(/^[a-z][a-z0-9-]*(:[a-z0-9-]+)*$/, 'must be lowercase words joined by "-" or ":"'),
    version: z.number().int().min(1),
    title: localized,
    description: localized.optional(),
    steps: z.array(step).min(1),
  })
  .superRefine((definition, ctx) => {
    for (const problem of checkDefinition(definition as FormDefinition)) {
      ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
    }
  }) as z.ZodType<FormDefinition>;

export class InvalidFormDefinition extends Error {
  override readonly name = 'InvalidFormDefinition';
}

/**
 * Checks a definition (a module's, or one a city wrote) and returns it typed. A bad definition throws
 * at start-up with every problem and its path ("steps.1.fields.0.options: …").
 */
export function defineForm(input: unknown): FormDefinition {
  const parsed = formDefinitionSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const formCode = (input as { code?: unknown } | null)?.code;
  const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(form)'}: ${i.message}`);
  throw new InvalidFormDefinition(`Invalid form definition${typeof formCode === 'string' ? ` "${formCode}"` : ''}:\n${lines.join('\n')}`);
}
