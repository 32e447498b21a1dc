/** The forms engine, as modules use it: define a form, mount its steps, or validate a post yourself. */
export type { AddressAnswer, Answer, FileAnswer, FormData, FormError, RawValues, Row } from './answers.js';
export type { Condition, FieldDef, FormDefinition, LeafFieldDef, StepDef, ValueFieldDef } from './definition.js';
export { defineForm, formDefinitionSchema, InvalidFormDefinition } from './definition.js';
export { type Draft, type DraftKey, discardDraft, draftsOf, eraseDraftsOf, loadDraft, saveDraft } from './drafts.js';
export { type FormFlowOptions, type FormSubmission, mountFormFlow } from './flow.js';
export { ibanProblem, normalizeIban } from './iban.js';
export { belongsTo } from './names.js';
export { type ValidateOptions, type Validation, validateForm } from './validate.js';
export { StepFields } from './views/step-fields.js';
export { FormAnswers } from './views/summary-page.js';
export { answerText, errorText } from './views/text.js';
export { valueFields } from './walk.js';
