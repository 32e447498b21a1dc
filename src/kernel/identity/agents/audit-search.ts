import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { FieldProblem } from '../../http/errors.js';
import { type Actor, scopesOf } from '../authorization.js';
import type { AuditLogTable } from '../migrations.js';

export interface AuditFilter {
  /** Part of the actor's label ("agent:jeanne@…", "anonymous", "system:…"). */
  actor?: string;
  /** An action ("grant.create") or a family of actions ("grant"). */
  action?: string;
  /** A resource id, or a resource type ("unit"). */
  resource?: string;
  /** Days in the city's time zone (YYYY-MM-DD), both included. */
  from?: string;
  to?: string;
}

export type AuditRow = AuditLogTable;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TEXT_MAX = 200;

/** Reads the search form (a GET query); problems name the fields to correct. */
export function parseAuditFilter(query: Record<string, unknown>): { filter: AuditFilter; problems: FieldProblem[] } {
  const filter: AuditFilter = {};
  const problems: FieldProblem[] = [];
  for (const field of ['actor', 'action', 'resource'] as const) {
    const value = typeof query[field] === 'string' ? query[field].trim() : '';
    if (value.length > TEXT_MAX) problems.push({ field, message: 'admin.errors.too-long' });
    else if (value) filter[field] = value;
  }
  for (const field of ['from', 'to'] as const) {
    const value = typeof query[field] === 'string' ? query[field].trim() : '';
    if (value && !(DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))))
      problems.push({ field, message: 'admin.errors.date-invalid' });
    else if (value) filter[field] = value;
  }
  return { filter, problems };
}

/** How far `timeZone` is ahead of UTC at an instant, in milliseconds. */
export function zoneOffset(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')) - instant;
}

/** The UTC instant at which a day starts in the city (daylight saving time included). */
export function startOfDay(day: string, timeZone: string): string {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  const guess = utcMidnight - zoneOffset(utcMidnight, timeZone);
  return new Date(utcMidnight - zoneOffset(guess, timeZone)).toISOString();
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** `column LIKE pattern`, where `pattern` is `before`, then `value` taken literally, then `after`. */
function like(column: 'actor_label' | 'action', before: string, value: string, after: string) {
  const literal = value.replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql<boolean>`lower(${sql.ref(column)}) like ${before + literal.toLowerCase() + after} escape '\\'`;
}

/**
 * One page of the audit log, newest first, after the entry `before` (keyset pagination on the
 * time-sorted id: stable while new entries arrive). An agent who is not an administrator sees the
 * entries about the units where they hold `admin.audit`.
 */
export async function searchAudit(
  db: Db,
  actor: Actor,
  filter: AuditFilter,
  options: { timeZone: string; before?: string; limit: number },
): Promise<{ rows: AuditRow[]; next?: string }> {
  let query = db.selectFrom('audit_log').selectAll();
  const scopes = scopesOf(actor, 'admin.audit');
  if (scopes !== 'all') {
    if (scopes.length === 0) return { rows: [] };
    // Unit paths hold only letters, digits, dashes and slashes: nothing LIKE would read as a wildcard.
    query = query.where('unit_code', 'in', (eb) =>
      eb
        .selectFrom('units')
        .select('code')
        .where((u) => u.or(scopes.map((s) => u('path', 'like', `${s}%`)))),
    );
  }
  if (filter.actor) query = query.where(like('actor_label', '%', filter.actor, '%'));
  if (filter.action) {
    const action = filter.action;
    query = query.where((eb) => eb.or([eb('action', '=', action), like('action', '', action, '.%')]));
  }
  if (filter.resource) {
    const resource = filter.resource;
    query = query.where((eb) => eb.or([eb('resource_id', '=', resource), eb('resource_type', '=', resource)]));
  }
  if (filter.from) query = query.where('at', '>=', startOfDay(filter.from, options.timeZone));
  if (filter.to) query = query.where('at', '<', startOfDay(nextDay(filter.to), options.timeZone));
  if (options.before) query = query.where('id', '<', options.before);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(options.limit + 1)
    .execute();
  const page = rows.slice(0, options.limit);
  return rows.length > options.limit ? { rows: page, next: page.at(-1)?.id } : { rows: page };
}
