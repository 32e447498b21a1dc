import { type RawValues, rawText } from './answers.js';
import type { GroupDef } from './definition.js';

/**
 * Names of the posted values, which are also the ids of the inputs (so an error links to its input):
 * `code` for most fields, `code.text`/`code.lat`/`code.lng` for an address, and for a group's rows
 * `group.<row>.<child>`, with the number of rows shown in `group.rows`.
 */
export const addressNames = (name: string) => ({ text: `${name}.text`, lat: `${name}.lat`, lng: `${name}.lng` });
export const rowsName = (group: string) => `${group}.rows`;
export const childName = (group: string, row: number, child: string) => `${group}.${row}.${child}`;

/** The highest number of rows a group may show (its `max`, or 20). */
export function maxRows(group: GroupDef): number {
  return group.max ?? 20;
}

/** Rows shown: as posted, or enough to reach the minimum (at least one, ready to fill). */
export function rowCount(group: GroupDef, raw: RawValues): number {
  const posted = Number.parseInt(rawText(raw, rowsName(group.code)), 10);
  const shown = Number.isFinite(posted) ? posted : Math.max(group.min ?? 0, 1);
  return Math.min(Math.max(shown, 0), maxRows(group));
}

/** Whether a posted name holds (part of) the answer of the top-level field `code`. */
export function belongsTo(name: string, code: string): boolean {
  return name === code || name.startsWith(`${code}.`);
}
