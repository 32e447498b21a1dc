import type { Localized } from '../i18n/types.js';

/** What a form post gives: urlencoded (or multipart) values by name, a repeated name as an array. */
export type RawValues = Record<string, string | string[]>;

/** An uploaded file, as the form's answer holds it. */
export interface FileAnswer {
  id: string;
  name: string;
  mime: string;
  /** Bytes as stored. */
  size: number;
}

export interface AddressAnswer {
  text: string;
  point: { lat: number; lng: number } | null;
}

/**
 * A typed answer: text, e-mail, phone, IBAN, choice and date (`YYYY-MM-DD`) as strings; integers
 * as numbers; decimals as exact strings with the field's number of decimals ("12.50"); yes/no as
 * booleans; multiple choices as the ticked values; files as `FileAnswer`s; groups as rows.
 */
export type Answer = string | number | boolean | string[] | AddressAnswer | FileAnswer[] | Row[];
export type Row = { [code: string]: Answer };
/** Answers by field code; an unanswered or hidden field has no key. */
export type FormData = { [code: string]: Answer };

/** A problem with one answer: `field` is the input's id, `code` a key under `forms.error.` with its params. */
export interface FormError {
  field: string;
  code: string;
  params?: Record<string, string | number>;
  /** The definition's own message (a pattern's), shown instead of the code's. */
  message?: Localized;
}

/** The first value posted under a name, trimmed, with Windows line ends made plain. */
export function rawText(raw: RawValues, name: string): string {
  const value = raw[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.replace(/\r\n?/g, '\n').trim() : '';
}

/** Every non-blank value posted under a name (checkboxes, file ids). */
export function rawList(raw: RawValues, name: string): string[] {
  const value = raw[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
}
