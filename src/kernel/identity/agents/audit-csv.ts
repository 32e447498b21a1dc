import { Readable } from 'node:stream';
import type { Db } from '../../db/database.js';
import type { Actor } from '../authorization.js';
import { type AuditFilter, type AuditRow, searchAudit } from './audit-search.js';

const COLUMNS = ['at', 'actor_label', 'action', 'resource_type', 'resource_id', 'unit_code', 'ip', 'details'] as const;
const PAGE = 500;

/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a
 * leading apostrophe: the log holds what visitors typed, such as the e-mail of a failed login.
 */
export function csvCell(value: string | null): string {
  const text = value ?? '';
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function csvLine(row: AuditRow): string {
  return `${COLUMNS.map((c) => csvCell(row[c])).join(',')}\r\n`;
}

/**
 * The whole search result as CSV, read page by page while it is sent, so that a large export
 * never sits in memory. A byte-order mark lets spreadsheets read it as UTF-8.
 */
export function auditCsv(db: Db, actor: Actor, filter: AuditFilter, timeZone: string): Readable {
  async function* lines() {
    yield `\ufeff${COLUMNS.join(',')}\r\n`;
    let before: string | undefined;
    do {
      const page = await searchAudit(db, actor, filter, { timeZone, before, limit: PAGE });
      yield page.rows.map(csvLine).join('');
      before = page.next;
    } while (before);
  }
  return Readable.from(lines());
}
