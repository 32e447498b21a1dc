/** A placeholder's name: a letter, then letters, digits or underscores ("first_name"). */
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** `((name))`, spaces inside allowed as in GOV.UK Notify: `(( name ))`. */
const TOKEN = /\(\(([^()]*)\)\)/g;

export type TemplateData = Readonly<Record<string, string | number>>;

/** Thrown at notify time rather than sending "Hello ((name))". */
export class MissingValuesError extends Error {
  constructor(readonly names: string[]) {
    super(`No value given for ${names.map((n) => `((${n}))`).join(', ')}.`);
  }
}

/** The placeholder names a text uses, each once, in order of appearance. */
export function placeholdersIn(text: string): string[] {
  const names = [...text.matchAll(TOKEN)].map((m) => (m[1] ?? '').trim()).filter((n) => NAME.test(n));
  return [...new Set(names)];
}

export interface PlaceholderProblems {
  /** Well-formed names the template does not declare. */
  unknown: string[];
  /** Text that looks like a placeholder but is not one ("((first name))", "((name)" …). */
  malformed: string[];
}

/** What is wrong with the placeholders of `text`, given the names the template declares. */
export function placeholderProblems(text: string, declared: readonly string[]): PlaceholderProblems {
  const unknown = placeholdersIn(text).filter((n) => !declared.includes(n));
  const malformed = [...text.matchAll(TOKEN)].map((m) => m[0]).filter((token) => !NAME.test(token.slice(2, -2).trim()));
  // Brackets left once every token is taken out were never closed (or opened).
  const rest = text.replace(TOKEN, ' ');
  for (const stray of rest.match(/\(\(|\)\)/g) ?? []) malformed.push(stray);
  return { unknown, malformed: [...new Set(malformed)] };
}

/**
 * Replaces every `((name))` by its value, as plain text: the HTML mail escapes it when it is
 * rendered (Preact), SMS and the mail's text part need it as is. Values are inserted once, so a
 * value that itself contains "((x))" is not expanded again.
 */
export function renderText(text: string, data: TemplateData): string {
  const missing = placeholdersIn(text).filter((n) => !Object.hasOwn(data, n) || data[n] === undefined || data[n] === null);
  if (missing.length) throw new MissingValuesError(missing);
  return text.replace(TOKEN, (whole, inner: string) => {
    const name = inner.trim();
    return NAME.test(name) ? String(data[name]) : whole;
  });
}
