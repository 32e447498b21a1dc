import type { FieldProblem } from '../../http/errors.js';
import type { Translate } from '../../i18n/i18n.js';
import { LANGS, type Lang } from '../../i18n/types.js';
import { normalizeEmail } from '../accounts.js';
import { passwordProblem } from '../password.js';

export const PASSWORD_MIN = 12;

/** Longest accepted value of each field: the forms' `maxlength`, the API's `maxLength`, the messages' {max}. */
export const LIMITS = {
  email: 254,
  password: 256,
  givenName: 100,
  familyName: 100,
  address: 300,
  phone: 20,
} as const;

/** A form field as text: HTML forms send strings, a repeated field an array (its first value counts). */
export function field(body: Record<string, unknown>, name: string): string {
  const value = Array.isArray(body[name]) ? body[name][0] : body[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** Every value of a repeated field (checkboxes). */
export function fieldList(body: Record<string, unknown>, name: string): string[] {
  const value = body[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === 'string');
}

/** Problems are message keys under identity.errors; the page translates them. */
export function emailProblems(raw: string, problems: FieldProblem[], name = 'email'): string | undefined {
  if (!raw) problems.push({ field: name, message: 'identity.errors.emailRequired' });
  else {
    const email = normalizeEmail(raw);
    if (email) return email;
    problems.push({ field: name, message: 'identity.errors.emailInvalid' });
  }
  return undefined;
}

export function newPasswordProblems(password: string, problems: FieldProblem[], name = 'password'): void {
  const problem = passwordProblem(password);
  if (problem === 'password.too-short') problems.push({ field: name, message: 'identity.errors.passwordShort' });
  if (problem === 'password.too-long') problems.push({ field: name, message: 'identity.errors.passwordLong' });
}

export function nameProblems(value: string, name: 'givenName' | 'familyName', problems: FieldProblem[]): void {
  if (!value) problems.push({ field: name, message: `identity.errors.${name}Required` });
  else if (value.length > LIMITS[name]) problems.push({ field: name, message: 'identity.errors.nameLong' });
}

export function asLang(value: string | null | undefined, fallback: Lang): Lang {
  return (LANGS as readonly string[]).includes(value ?? '') ? (value as Lang) : fallback;
}

/** A problem's message in a language; {max} and {min} are the field's limits. */
export function problemMessage(t: Translate, problem: FieldProblem): string {
  return t(problem.message, { max: LIMITS[problem.field as keyof typeof LIMITS] ?? LIMITS.password, min: PASSWORD_MIN });
}
