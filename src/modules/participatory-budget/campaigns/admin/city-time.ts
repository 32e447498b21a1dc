import { zoneOffset } from '../../../../kernel/identity/agents/audit-search.js';

/**
 * Phases are typed in the city's time ("2027-09-01T10:00", what a `datetime-local` field sends) and
 * stored in UTC; the definition wants an instant with its offset, which depends on the day (summer time).
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** "2027-09-01T10:00" in the city for a stored UTC time. */
export function toCityLocal(iso: string, timeZone: string): string {
  const instant = Date.parse(iso);
  return new Date(instant + zoneOffset(instant, timeZone)).toISOString().slice(0, 16);
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?$/;

/**
 * The instant with its offset ("2027-09-01T10:00:00+02:00") for a time typed in the city; a day alone
 * means its midnight. Anything else comes back as typed, for the definition's check to refuse it.
 */
export function fromCityLocal(text: string, timeZone: string): string {
  const m = LOCAL.exec(text.trim());
  if (!m) return text;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4] ?? '00', m[5] ?? '00'].map(Number) as number[];
  const wall = Date.UTC(year!, month! - 1, day!, hour!, minute!);
  if (new Date(wall).getUTCDate() !== day || hour! > 23 || minute! > 59) return text;
  // The offset at the wall time read as UTC, then again at the instant found (right unless it crosses a change).
  const offset = Math.round(zoneOffset(wall - zoneOffset(wall, timeZone), timeZone) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${year}-${pad(month!)}-${pad(day!)}T${pad(hour!)}:${pad(minute!)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
