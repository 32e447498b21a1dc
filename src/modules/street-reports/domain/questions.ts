import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  belongsTo,
  defineForm,
  type FieldDef,
  type FormData,
  type FormDefinition,
  type FormError,
  type RawValues,
  type ValueFieldDef,
  validateForm,
  valueFields,
} from '../../../kernel/forms/index.js';
import { CATEGORY_ICONS, type Category, type CategoryTree } from './categories.js';

const localText = z.object({ fr: z.string().min(1), en: z.string().min(1) }).strict();

/**
 * What a city says of its categories beyond the tree file, by code (`street-report-categories.json`
 * next to the CSV): any category's icon; a leaf's extra questions (forms engine fields), "not handled
 * here" with where to go instead, whether anonymous reports are allowed.
 */
const categoryConfigSchema = z.record(
  z.string(),
  z
    .object({
      icon: z.enum(CATEGORY_ICONS).optional(),
      questions: z.array(z.unknown()).optional(),
      elsewhere: localText.optional(),
      anonymousAllowed: z.boolean().optional(),
    })
    .strict(),
);

/** One definition per leaf with questions, built once: the web form, the APIs and agents' pages share it. */
const forms = new WeakMap<Category, FormDefinition>();

/** The leaf's questions as a one-step form, or null when it asks none. */
export function questionsForm(leaf: Category): FormDefinition | null {
  if (!leaf.questions?.length) return null;
  let form = forms.get(leaf);
  if (!form) {
    form = defineForm({
      code: `street-reports:${leaf.code.replaceAll('.', ':')}`,
      version: 1,
      title: leaf.label,
      steps: [{ code: 'questions', title: leaf.label, fields: leaf.questions }],
    });
    forms.set(leaf, form);
  }
  return form;
}

/** The fields holding answers of a category's questions (none for an unknown code). */
export function questionsFor(tree: CategoryTree, code: string): ValueFieldDef[] {
  const leaf = tree.byCode.get(code);
  const form = leaf ? questionsForm(leaf) : null;
  return form ? valueFields(form.steps[0]!) : [];
}

/** The posted values that answer the leaf's questions (an address posts `code.text`, `code.lat`…). */
export function answersIn(leaf: Category, posted: Readonly<Record<string, string | string[] | undefined>>): RawValues {
  const form = questionsForm(leaf);
  if (!form) return {};
  const codes = valueFields(form.steps[0]!).map((f) => f.code);
  const raw: RawValues = {};
  for (const [name, value] of Object.entries(posted)) {
    if (value !== undefined && codes.some((code) => belongsTo(name, code))) raw[name] = value;
  }
  return raw;
}

/** Checks raw answers (as posted) with the forms engine: the typed answers, or the problems by field. */
export function checkAnswers(leaf: Category, raw: RawValues): { answers: FormData; errors: FormError[] } {
  const form = questionsForm(leaf);
  if (!form) return { answers: {}, errors: [] };
  const result = validateForm(form, raw);
  return { answers: result.data, errors: result.errors };
}

/**
 * Applies a category configuration to the tree; a code that is not a leaf, an unknown key or a bad
 * question definition stops the start with the file and the path of the problem.
 */
export function applyCategoryConfig(tree: CategoryTree, input: unknown, source: string): void {
  const parsed = categoryConfigSchema.safeParse(
    input && typeof input === 'object' ? Object.fromEntries(Object.entries(input).filter(([k]) => !k.startsWith('$'))) : input,
  );
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new Error(`${source}: invalid category configuration:\n${lines.join('\n')}`);
  }
  for (const [code, config] of Object.entries(parsed.data)) {
    const leaf = tree.byCode.get(code);
    if (!leaf) throw new Error(`${source}: "${code}" is not a category of the tree.`);
    if (config.icon) leaf.icon = config.icon;
    const { icon: _icon, ...leafOnly } = config;
    if (leaf.children.length > 0 && Object.keys(leafOnly).length > 0) {
      throw new Error(
        `${source}: "${code}" has sub-categories: only an icon can be given to it (questions and the rest go to its leaves).`,
      );
    }
    if (config.elsewhere) leaf.elsewhere = config.elsewhere;
    if (config.anonymousAllowed !== undefined) leaf.anonymousAllowed = config.anonymousAllowed;
    if (config.questions) {
      // Residents' photos have their own place in the report, and Open311 attributes are flat values.
      const flat = (fields: unknown[]): { type?: unknown }[] =>
        (fields as { type?: unknown; fields?: unknown[] }[]).flatMap((f) =>
          f?.type === 'section' && Array.isArray(f.fields) ? flat(f.fields) : [f],
        );
      const refused = flat(config.questions).find((f) => f?.type === 'file' || f?.type === 'photo' || f?.type === 'group');
      if (refused) throw new Error(`${source}: questions of "${code}": a question of type "${String(refused.type)}" cannot be asked here.`);
      leaf.questions = config.questions as FieldDef[];
      try {
        questionsForm(leaf);
      } catch (err) {
        throw new Error(`${source}: questions of "${code}": ${(err as Error).message}`);
      }
    }
  }
}

/** The configuration file next to the tree's CSV, applied when it exists. */
export function applyCategoryConfigFile(tree: CategoryTree, file: string): void {
  if (!existsSync(file)) return;
  applyCategoryConfig(tree, JSON.parse(readFileSync(file, 'utf8')), file);
}
